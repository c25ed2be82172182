/** Where a command writes and what it reads from its environment; tests pass their own. */
export interface CommandIO {
  // Properties, not methods: commands pass `io.out` around as a plain function.
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

export const processIO: CommandIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};
