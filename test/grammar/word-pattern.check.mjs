// Checks language-configuration.json: the wordPattern keeps cron fields, keys and paths whole,
// and the folding markers match `# region` / `# endregion`. Run: node test/grammar/word-pattern.check.mjs
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { firstLine, repoRoot } from '../../scripts/lib/helpers.mjs';

const config = JSON.parse(readFileSync(path.join(repoRoot, 'language-configuration.json'), 'utf8'));
/** @type {string[]} */
const failures = [];
const check = (/** @type {unknown} */ ok, /** @type {string} */ message) => {
  if (!ok) failures.push(message);
};

// VS Code compiles a string wordPattern as `new RegExp(pattern)` and adds the `g` flag.
const pattern = config.wordPattern;
check(typeof pattern === 'string', 'wordPattern is a string');
check(!/\(\?<[=!]/.test(pattern), 'wordPattern uses no lookbehind');
/** @type {RegExp | undefined} */
let wordRe;
try {
  wordRe = new RegExp(pattern, 'g');
} catch (e) {
  failures.push(`wordPattern does not compile: ${firstLine(e)}`);
}

/**
 * The word VS Code would find at `column` (0-based), like getWordAtText: a match that touches the column.
 * @param {string} line
 * @param {number} column
 * @returns {string | { empty: true } | null}
 */
function wordAt(line, column) {
  if (!wordRe) return null;
  wordRe.lastIndex = 0;
  for (let m; (m = wordRe.exec(line)) !== null;) {
    if (m[0].length === 0) return { empty: true };
    if (m.index <= column && column <= m.index + m[0].length) return m[0];
    if (m.index > column) break;
  }
  return null;
}

// [line, the word expected when the cursor is inside it]
const wholeWords = [
  ['schedule   */15 1-5 * * mon-fri', '*/15'],
  ['schedule   */15 1-5 * * mon-fri', '1-5'],
  ['schedule   */15 1-5 * * mon-fri', 'mon-fri'],
  ['schedule   0,15,30 * * * *', '0,15,30'],
  ['schedule   0 8 * JAN-Jun MON-FRI', 'JAN-Jun'],
  ['schedule   @daily', '@daily'],
  ['schedule   @daily', 'schedule'],
  ['client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11', 'client-id'],
  ['client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11', 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11'],
  ['run-as     bwdc', 'run-as'],
  ['run-as     bwdc', 'bwdc'],
  ['name       weekly-sync', 'weekly-sync'],
  ['timezone   America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
  ['log        /home/bwdc/bwdc.log', '/home/bwdc/bwdc.log'],
  ['instance   ./instance-1', './instance-1'],
  ['instance   /home/jürgen/instance-1', '/home/jürgen/instance-1'],
  ['instance   C:\\ProgramData\\bwdc\\instance-1', 'C:\\ProgramData\\bwdc\\instance-1'],
  ['secret     file:/home/bwdc/.config/bwdc/client_secret', 'file:/home/bwdc/.config/bwdc/client_secret'],
  ['env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true', 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS'],
  ['env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true', 'true'],
  ['log        /var/log/bwdc.log # rotated weekly', '/var/log/bwdc.log'],
];
if (wordRe) {
  for (const [line, word] of wholeWords) {
    const start = line.indexOf(word);
    check(start >= 0, `test case: "${word}" occurs in "${line}"`);
    for (const column of [start, start + Math.floor(word.length / 2), start + word.length]) {
      const found = wordAt(line, column);
      check(found === word, `word at column ${column} of "${line}" is ${JSON.stringify(found)}, expected ${JSON.stringify(word)}`);
    }
  }
  // Neither blanks nor `#` are part of a word; the pattern never matches the empty string.
  check(wordAt('log x # note', 6) === null, '`#` between blanks is not a word');
  check(wordAt('name   x', 5) === null, 'blanks are not a word');
  check(new RegExp(pattern).exec('') === null, 'wordPattern does not match the empty string');
  check(new RegExp(pattern).exec('   \t') === null, 'wordPattern does not match blanks');
}

// Folding markers (`# region` / `# endregion`).
const { start, end } = config.folding?.markers ?? {};
const startRe = new RegExp(start),
  endRe = new RegExp(end);
for (const line of ['# region', '#region', '  # region instances', '\t#  region']) check(startRe.test(line), `folding start matches "${line}"`);
for (const line of ['# regional', '# endregion', 'name region', 'x # region']) check(!startRe.test(line), `folding start does not match "${line}"`);
for (const line of ['# endregion', '#endregion', '  # endregion instances']) check(endRe.test(line), `folding end matches "${line}"`);
for (const line of ['# region', '# endregions']) check(!endRe.test(line), `folding end does not match "${line}"`);

check(config.comments?.lineComment === '#' && config.comments.blockComment === undefined, 'line comment `#`, no block comment');

if (failures.length) {
  console.error(`word-pattern check: ${failures.length} failure(s)`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`word-pattern check: ${wholeWords.length} words, folding markers and comments OK`);
