// The arguments of the commands that read files and take only `--json`: `reckon reconcile FILE
// [--json]` and its kin. A wrong count or an unknown option is one line and the usage on stderr;
// the caller exits 2.

export interface FileArgs {
  files: string[];
  json: boolean;
}

/** The files and `--json` of `argv`, or null once the problem and `usage` are written. */
export function fileArgs(argv: string[], command: string, count: number, expected: string, usage: string): FileArgs | null {
  const files = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--json');
  if (files.length === count && unknown.length === 0) return { files, json: argv.includes('--json') };
  process.stderr.write(`reckon ${command}: ${unknown.length ? `unknown option ${unknown[0]}` : `expected ${expected}`}\n${usage}\n`);
  return null;
}
