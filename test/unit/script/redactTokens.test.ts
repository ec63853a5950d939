import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { version } from '../../../package.json';
import { redactSecrets } from '../../../src/core/redact';
import { generateScript } from '../../../src/core/script/generate';
import { readFixture } from '../schedule/support';
import { seededRandom } from '../random';
import { jobOf } from './support';

/** The script's redact_tokens function alone, run by bash on each text (NUL-separated), printing the results the same way. */
function redactInBash(texts: readonly string[]): string[] {
  const script = generateScript(jobOf(readFixture('linux.bwdc-schedule'), '/srv/weekly.bwdc-schedule'), version).text;
  const start = script.indexOf('redact_tokens() {');
  const end = script.indexOf('\n}\n', start);
  assert.ok(start > 0 && end > start, 'the script has redact_tokens');
  const program = `${script.slice(start, end + 3)}\nwhile IFS= read -r -d '' text; do redact_tokens "$text" redacted; printf '%s\\0' "$redacted"; done\n`;
  const result = spawnSync('bash', ['-c', program], {
    input: texts.map((text) => `${text}\0`).join(''),
    encoding: 'utf8',
    env: { LC_ALL: 'C', PATH: '/usr/bin:/bin' },
  });
  assert.strictEqual(result.status, 0, result.stderr);
  return result.stdout.split('\0').slice(0, -1);
}

/**
 * `<log>.last.json` carries the script's messages to monitoring tools: tokens shaped like an API
 * secret are replaced there as the history output replaces them (src/core/redact.ts), so that a
 * secret bwdc might echo into a message never reaches another tool. The bash function is held to
 * the TypeScript one on texts without secret-named assignments (which the log format never has in
 * a message: the script writes its own sentences).
 */
describe('the script redacts secret-shaped tokens in .last.json messages as the history does', () => {
  it('known cases: a 30-character API secret, one in a path, long runs that are not secrets, the edges 24 and 64', () => {
    const cases = [
      'login failed: mKx7Qv2LpN9sTz4WcRb6YdHf3Jg8Ua is not accepted',
      'skipped: the instance folder /srv/bwdc/Ab3dEfGh1jKlMnOpQrStUvWx/x does not exist',
      'abcdefghijklmnopqrstuvwxyz0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ 012345678901234567890123456789',
      `${'aB3'.repeat(8)} ${'aB3'.repeat(21)}x ${'aB3'.repeat(22)}`,
      'short aB3dE and nothing else',
      '',
    ];
    assert.deepStrictEqual(redactInBash(cases), cases.map(redactSecrets));
    assert.match(redactInBash([cases[0]!])[0]!, /^login failed: \[secret removed\] is not accepted$/);
  });

  it('equals redactSecrets on 2,000 random messages of words, paths, punctuation and tokens', () => {
    const next = seededRandom(20261204);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    const pick = (chars: string): string => chars[Math.floor(next() * chars.length)]!;
    const token = (length: number): string => Array.from({ length }, () => pick(alphabet)).join('');
    const part = (): string => {
      const kind = next();
      if (kind < 0.3) return token(20 + Math.floor(next() * 50));
      if (kind < 0.45) return token(24 + Math.floor(next() * 10)).toLowerCase();
      if (kind < 0.8) return token(1 + Math.floor(next() * 8));
      return pick(' /.:-_()"\'[]é\\$*');
    };
    const texts = Array.from({ length: 2000 }, () => Array.from({ length: 1 + Math.floor(next() * 8) }, part).join(''));
    assert.deepStrictEqual(redactInBash(texts), texts.map(redactSecrets));
  });
});
