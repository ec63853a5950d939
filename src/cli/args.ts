import { parseArgs } from 'util';
import { UsageError } from './io';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

/** node:util parseArgs, with its errors turned into usage errors naming the subcommand. */
export function parse(command: string, args: readonly string[], options: Record<string, OptionSpec>): Parsed {
  try {
    const result = parseArgs({
      args: [...args],
      options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' }, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: result.values as Parsed['values'], positionals: result.positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '.') : String(error);
    throw new UsageError(`${command}: ${message}`);
  }
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function integerOption(parsed: Parsed, command: string, name: string, fallback: number, min: number, max: number): number {
  const text = stringOption(parsed, name);
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${command}: --${name} must be a whole number from ${min} to ${max}, not '${text}'.`);
  }
  return Number(text);
}
