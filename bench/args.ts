// A bench's command line: `--json` (figures as one JSON object on stdout, nothing else) and
// numeric options `--name N`.

export interface BenchArgs {
  asJson: boolean;
  /** The number after `name`, or `fallback` when it is absent. */
  option(name: string, fallback: number): number;
  /** A progress line, printed only without --json (stdout then holds the JSON alone). */
  log(line: string): void;
}

export function benchArgs(args: readonly string[] = process.argv.slice(2)): BenchArgs {
  const asJson = args.includes('--json');
  return {
    asJson,
    option: (name, fallback) => {
      const i = args.indexOf(name);
      return i >= 0 ? Number(args[i + 1]) : fallback;
    },
    log: (line) => {
      if (!asJson) console.log(line);
    },
  };
}
