import { redactSecrets } from '../core/redact';
import { describeCron } from '../core/cron/describe';
import { parseCron } from '../core/cron/parse';
import { parse, stringOption } from './args';
import type { CliIo } from './io';
import { UsageError } from './io';

export const EXPLAIN_HELP = `Usage: bwdc-schedule explain EXPR [--locale LL] [--24h] [--notes]

Describes a cron expression in plain language, on one line, the way Debian
cron runs it. Quote the expression: bwdc-schedule explain '0 12 * * 1'

Options:
  --locale LL  language of the description (de, fr, pt-br, ...); English by default
  --24h        24-hour times
  --notes      also print what to know about it (day-field OR/AND, uneven steps)
  -h, --help   show this help

Exit status: 0 described, 1 invalid expression (the error on stderr), 2 usage error.
`;

export function runExplain(args: readonly string[], io: CliIo): number {
  const parsed = parse('explain', args, { locale: { type: 'string' }, '24h': { type: 'boolean' }, notes: { type: 'boolean' } });
  if (parsed.values['help']) {
    io.stdout(EXPLAIN_HELP);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError("explain: give a cron expression, for example: bwdc-schedule explain '0 12 * * 1'");
  const text = parsed.positionals.join(' ');
  const result = parseCron(text);
  if (!result.expression) {
    for (const problem of result.problems.filter((p) => p.severity === 'error')) io.stderr(`bwdc-schedule: ${redactSecrets(text)}: ${problem.message}\n`);
    return 1;
  }
  const locale = stringOption(parsed, 'locale');
  const description = describeCron(result.expression, {
    ...(locale ? { locale } : {}),
    ...(parsed.values['24h'] ? { use24HourTime: true } : {}),
  });
  io.stdout(`${description.text}\n`);
  if (parsed.values['notes']) for (const note of description.notes) io.stdout(`  note: ${note}\n`);
  for (const problem of result.problems.filter((p) => p.severity === 'warning')) io.stderr(`warning: ${problem.message}\n`);
  return 0;
}
