import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { commentText, powerShellQuote, shellQuote, UnquotableValueError } from '../../../src/core/script/quote';
import { lexPowerShell } from './powershellLexer';
import { VALUES } from './support';

/** Every hostile value of the fixtures, all printable ASCII, and a few more. */
const VALUES_TO_QUOTE: readonly string[] = [
  ...new Set([
    ...Object.values(VALUES.posix.hostile).flat(),
    ...Object.values(VALUES.windows.hostile).flat(),
    VALUES.oddSecret,
    Array.from({ length: 95 }, (_, index) => String.fromCharCode(32 + index)).join(''),
    "''''",
    "'",
    '',
    'tab\there',
    '-n',
    '\u2018\u2019\u201a\u201b\u201c\u201d\u201e',
    '\u00a0non-breaking\u2028line separator',
  ]),
];

const CONTROL: readonly string[] = ['a\nb', 'a\rb', '\u0000', 'a\u001bb', '\u007f', '\u0085', '\u009f'];

describe('quoting values for generated scripts', () => {
  it('shellQuote: bash reads every value back exactly (one bash for all)', () => {
    const script = VALUES_TO_QUOTE.map((value) => `printf '%s\\0' ${shellQuote(value)}`).join('\n');
    const result = spawnSync('/bin/bash', ['-c', script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' } });
    assert.strictEqual(result.status, 0, result.stderr);
    assert.deepStrictEqual(result.stdout.split('\0').slice(0, -1), VALUES_TO_QUOTE);
  });

  it('shellQuote: a value stays one word in an array, an assignment and an argument', () => {
    const value = VALUES.posix.hostile.instances[1]!;
    const script = `A=(${shellQuote(value)} ${shellQuote(value)}); B=${shellQuote(value)}; printf '%s|' "\${#A[@]}" "\${A[0]}" "$B"`;
    const result = spawnSync('/bin/bash', ['-c', script], { encoding: 'utf8' });
    assert.strictEqual(result.stdout, `2|${value}|${value}|`);
  });

  it("powerShellQuote: PowerShell's tokenizer reads every value back exactly, as one verbatim string", () => {
    for (const value of VALUES_TO_QUOTE) {
      const tokens = lexPowerShell(`$x = ${powerShellQuote(value)}; $y = 1`);
      assert.deepStrictEqual(
        tokens.map((token) => [token.kind, token.value]),
        [
          ['code', '$x = '],
          ['verbatim', value],
          ['code', '; $y = 1'],
        ],
        JSON.stringify(value),
      );
    }
  });

  for (const value of CONTROL) {
    it(`refuses the control character in ${JSON.stringify(value)} for both shells`, () => {
      assert.throws(() => shellQuote(value), UnquotableValueError);
      assert.throws(() => powerShellQuote(value), UnquotableValueError);
    });
  }

  it('commentText: keeps a comment on its line (control characters and line separators become ?)', () => {
    assert.strictEqual(commentText('a\nb\rc\u0000d\u2028e\u2029f\u0085g\th'), 'a?b?c?d?e?f?g?h');
    assert.strictEqual(commentText("plain 'text' $HOME ü"), "plain 'text' $HOME ü");
  });
});
