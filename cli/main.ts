// The `reckon` command line. Each command lives in its own module; this file only dispatches.

import { InputError } from './input';

const USAGE = `usage: reckon <command> [options]

commands:
  reconcile FILE [--json]     reconcile a workbook (.json or .yjs) and print its positions
  import FILE --out DOC.yjs [--no-catalogue]
                              make a workbook document (.yjs) from a workbook file (.json, .xlsx, .csv or a folder of .csv
                              files): tools' exports recognised, references matched, the default normalization catalogue added
  normalize FILE [--json]     the software no normalization rule and no entitlement recognises, largest first
  savings FILE [--json]       surplus, reclaim candidates (reason, rows, rights freed, cost) and plans to compliance
  export DOC.yjs --out FILE   write a workbook document back as a workbook file (.json or .xlsx)
  diff BASE SCENARIO [--json] what a scenario (or another workbook) changes: positions, HAM units, rows and cells
  report FILE --format csv|xlsx|html --out OUT
                              the position report of a workbook (.json, .yjs, .xlsx or a CSV folder)
  share WORKSPACE --role edit|view [--expires 7d] [--data-dir DIR] [--base-url URL]
                              a link to a workspace, signed for the relay
  share --revoke TOKEN_ID     revoke a link`;

type Command = (argv: string[]) => Promise<number>;

// Commands load on demand: the report's chart library alone costs a quarter of a second to load,
// and a whole-process reconcile is measured against JSON.parse (cli/run.mjs bundles with splitting).
const COMMANDS: Record<string, () => Promise<Command>> = {
  reconcile: async () => (await import('./reconcile')).reconcileCommand,
  import: async () => (await import('./import')).importCommand,
  normalize: async () => (await import('./normalize')).normalizeCommand,
  savings: async () => (await import('./savings')).savingsCommand,
  export: async () => (await import('./export')).exportCommand,
  report: async () => (await import('./report')).reportCommand,
  diff: async () => (await import('./diff')).diffCommand,
  share: async () => (await import('./share')).share,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`reckon: unknown command "${name}"\n${USAGE}\n`);
    return 2;
  }
  try {
    const command = await load();
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
