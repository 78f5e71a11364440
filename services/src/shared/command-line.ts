// The command line of a service's main.ts: node's parseArgs with `--help`, the usage printed and exit code 2
// on a bad option, exit 0 after --help. One place for what every service process does first.
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed values, typed from the option declarations. */
export type CommandLineValues<T extends Options> = {
  [K in keyof T]?: T[K] extends { type: 'boolean' }
    ? boolean
    : T[K] extends { multiple: true }
      ? string[]
      : string;
};

export function parseCommandLine<const T extends Options>(options: T, usage: string): CommandLineValues<T> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values as CommandLineValues<T>;
}
