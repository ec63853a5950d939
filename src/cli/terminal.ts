import { unifiedDiff } from '../core/diff';
import type { TaskUi } from '../workflows/task';
import type { CliIo } from './io';
import type { SecretInput } from './secret';

/**
 * The workflows' questions and previews on a terminal: a unified diff on stdout, a y/N question
 * (or --yes), the password read without echo. Without a terminal nothing is confirmed unless
 * --yes was given; `refusedForNoTerminal` tells the command to say so.
 */
export function terminalUi(io: CliIo, input: SecretInput, yes: boolean): TaskUi & { refusedForNoTerminal: boolean } {
  const ui = {
    refusedForNoTerminal: false,
    async preview(title: string, before: string, after: string, labels?: { readonly before: string; readonly after: string }) {
      io.stdout(unifiedDiff(before, after, labels?.before ?? `${title} (now)`, labels?.after ?? `${title} (after)`) || `${title}: no change\n`);
    },
    async confirm(question: string, detail: string) {
      if (yes) return true;
      const answer = input.ask ? await input.ask(`${question} ${detail} [y/N] `) : undefined;
      if (answer === undefined) {
        ui.refusedForNoTerminal = true;
        return false;
      }
      return /^y(es)?$/i.test(answer.trim());
    },
    say(message: string) {
      io.stdout(`${message}\n`);
    },
    warn(message: string) {
      io.stderr(`bwdc-schedule: note: ${message}\n`);
    },
    password(prompt: string) {
      return input.readSecret(`${prompt} (not shown): `);
    },
  };
  return ui;
}
