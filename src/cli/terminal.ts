/** Where a command writes: lines of output and of diagnostics, and a TTY stream for progress bars. */
export type Terminal = {
  out(line: string): void;
  err(line: string): void;
  /** Set when diagnostics go to an interactive terminal. */
  tty: NodeJS.WriteStream | null;
};

export const processTerminal: Terminal = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  tty: process.stderr.isTTY ? process.stderr : null,
};
