// The `reckon` command line. Each command lives in its own module; this file only dispatches.

import { reconcileCommand } from './reconcile';
import { importCommand } from './import';
import { exportCommand } from './export';
import { reportCommand } from './report';
import { share } from './share';
import { InputError } from './input';

const USAGE = `usage: reckon <command> [options]

commands:
  reconcile FILE [--json]     reconcile a workbook (.json or .yjs) and print its positions
  import FILE --out DOC.yjs   make a workbook document (.yjs) from a workbook file (.json, .xlsx, .csv or a folder of .csv files)
  export DOC.yjs --out FILE   write a workbook document back as a workbook file (.json or .xlsx)
  report FILE --format csv|xlsx|html --out OUT
                              the position report of a workbook (.json, .yjs, .xlsx or a CSV folder)
  share WORKSPACE --role edit|view [--expires 7d] [--data-dir DIR] [--base-url URL]
                              a link to a workspace, signed for the relay
  share --revoke TOKEN_ID     revoke a link`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  reconcile: reconcileCommand,
  import: importCommand,
  export: exportCommand,
  report: reportCommand,
  share,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`reckon: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    // Bad input (a missing file, not a workbook…): one line naming the file, exit 2.
    if (!(err instanceof InputError)) throw err;
    process.stderr.write(`reckon: ${err.message}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    // Last resort: a bug, not bad input. Still one line, never a stack trace to the user.
    process.stderr.write(`reckon: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
