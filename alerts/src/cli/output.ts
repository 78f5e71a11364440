// Where the commands write: the process's streams by default, a test's buffers otherwise.

export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Collects what a command prints (for tests). */
export function bufferedOutput(): CommandOutput & { out: string; err: string; all: string } {
  const buffer = {
    out: '',
    err: '',
    all: '',
    stdout(text: string) {
      buffer.out += text;
      buffer.all += text;
    },
    stderr(text: string) {
      buffer.err += text;
      buffer.all += text;
    },
  };
  return buffer;
}
