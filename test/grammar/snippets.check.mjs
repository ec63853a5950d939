// Checks snippets/bwdc-schedule.code-snippets: expands every snippet to the text VS Code inserts
// by default and checks that it is a complete, valid schedule file that the grammar highlights
// without any invalid token. Run: node test/grammar/snippets.check.mjs
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { errorMessage, repoRoot } from '../../scripts/lib/helpers.mjs';

/** @type {string[]} */
const failures = [];
/** Records `message` as a failure unless `ok`; returns `ok`. */
const check = (/** @type {unknown} */ ok, /** @type {string} */ message) => {
  if (!ok) failures.push(message);
  return ok;
};

// ---------------------------------------------------------------------------------------------
// Snippet syntax (VS Code's SnippetParser rules):
//   $1, ${1}            tab stop (mirrors the default of the same tab stop, else empty)
//   ${1:default}        placeholder; the default may nest tab stops
//   ${1|a,b|}           choice; the first option is inserted
//   \$ \} \\            escapes; any other backslash stays a literal backslash
//   inside a choice     \, \| \\ are escapes
// Variables ($NAME, ${NAME}) are rejected: these snippets do not use any, so an unescaped `$`
// followed by a name is a mistake (it would be replaced by an empty string).

/**
 * A piece of a parsed snippet: plain `text`, or a `tabstop` - bare, a `choice` of options, or a
 * placeholder whose default is `children`.
 * @typedef {{ text?: string, tabstop?: number, choice?: string[], children?: SnippetNode[] }} SnippetNode
 */

/**
 * Parses a snippet body into nodes; throws on anything the snippets should not contain.
 * @param {string} src
 * @returns {SnippetNode[]}
 */
function parseSnippet(src) {
  let i = 0;
  /** @returns {SnippetNode[]} */
  const nodes = (/** @type {boolean} */ inPlaceholder) => {
    /** @type {SnippetNode[]} */
    const out = [];
    let text = '';
    const flush = () => {
      if (text) {
        out.push({ text });
        text = '';
      }
    };
    while (i < src.length) {
      const c = src[i];
      if (c === '\\') {
        const n = src[i + 1];
        if (n === '$' || n === '}' || n === '\\') {
          text += n;
          i += 2;
        } else {
          text += c;
          i += 1;
        }
      } else if (c === '}' && inPlaceholder) {
        break;
      } else if (c === '$') {
        flush();
        out.push(dollar());
      } else {
        text += c;
        i += 1;
      }
    }
    flush();
    return out;
  };
  /** @returns {SnippetNode} */
  const dollar = () => {
    const rest = src.slice(i);
    let m;
    if ((m = /^\$([0-9]+)/.exec(rest)) || (m = /^\$\{([0-9]+)\}/.exec(rest))) {
      i += m[0].length;
      return { tabstop: Number(m[1]) };
    }
    if ((m = /^\$\{([0-9]+)\|/.exec(rest))) {
      i += m[0].length;
      /** @type {string[]} */
      const options = [];
      let option = '';
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated choice in ${JSON.stringify(src)}`);
        const c = src[i];
        if (c === '\\' && [',', '|', '\\'].includes(src[i + 1])) {
          option += src[i + 1];
          i += 2;
          continue;
        }
        if (c === ',') {
          options.push(option);
          option = '';
          i += 1;
          continue;
        }
        if (c === '|' && src[i + 1] === '}') {
          options.push(option);
          i += 2;
          break;
        }
        option += c;
        i += 1;
      }
      return { tabstop: Number(m[1]), choice: options };
    }
    if ((m = /^\$\{([0-9]+):/.exec(rest))) {
      i += m[0].length;
      const children = nodes(true);
      if (src[i] !== '}') throw new Error(`unterminated placeholder in ${JSON.stringify(src)}`);
      i += 1;
      return { tabstop: Number(m[1]), children };
    }
    throw new Error(`unexpected "$" (a variable or a stray dollar; write \\\\$ in JSON for a literal $) at ${JSON.stringify(rest.slice(0, 20))}`);
  };
  const result = nodes(false);
  return result;
}

/**
 * The text VS Code inserts, with `pick` choosing choice options (default: the first); the tab
 * stops and the choices of the snippet.
 * @param {string | string[]} body
 * @param {(choice: SnippetNode) => number} [pick] the index of the option to insert
 */
function expand(body, pick = () => 0) {
  const tree = parseSnippet(Array.isArray(body) ? body.join('\n') : body);
  /** @type {Map<number | undefined, string>} */
  const defaults = new Map();
  /** @type {number[]} */
  const stops = [];
  /** @type {(SnippetNode & { tabstop: number, choice: string[] })[]} */
  const choices = [];
  const collect = (/** @type {SnippetNode[]} */ ns) => {
    for (const n of ns) {
      if (n.tabstop === undefined) continue;
      stops.push(n.tabstop);
      if (n.choice) choices.push({ ...n, tabstop: n.tabstop, choice: n.choice });
      if (n.children) collect(n.children);
    }
  };
  collect(tree);
  /** @returns {string} */
  const render = (/** @type {SnippetNode[]} */ ns) =>
    ns
      .map((n) => {
        if (n.text !== undefined) return n.text;
        if (n.choice) return n.choice[pick(n)];
        if (n.children) {
          const s = render(n.children);
          if (!defaults.has(n.tabstop)) defaults.set(n.tabstop, s);
          return s;
        }
        return defaults.get(n.tabstop) ?? '';
      })
      .join('');
  render(tree); // first pass: placeholder defaults, so that a bare $n mirrors them
  return { text: render(tree), stops, choices };
}

// The expander itself, on the cases that matter here.
const selfTests = [
  ['${1:default}', 'default'],
  ['${1|a,b|}', 'a'],
  ['a$1b', 'ab'],
  ['${1:x} $1', 'x x'],
  ['\\$HOME \\} \\\\', '$HOME } \\'],
  ['C:\\ProgramData\\bwdc', 'C:\\ProgramData\\bwdc'],
  ['${2:C:\\\\ProgramData\\\\bwdc}', 'C:\\ProgramData\\bwdc'],
  ['${1|a\\,b,c\\|d|}', 'a,b'],
  ['${1:outer ${2:inner}}', 'outer inner'],
  ['a}', 'a}'],
];
for (const [src, expected] of selfTests) {
  let got;
  try {
    got = expand(src).text;
  } catch (e) {
    got = `throws ${errorMessage(e)}`;
  }
  check(got === expected, `expander: ${JSON.stringify(src)} gives ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
}
for (const bad of ['$HOME', '${TM_FILENAME}', '${1:unterminated', '${1|a,b']) {
  let threw = false;
  try {
    expand(bad);
  } catch {
    threw = true;
  }
  check(threw, `expander rejects ${JSON.stringify(bad)}`);
}

// ---------------------------------------------------------------------------------------------
// Schedule file rules (SCHEDULE-FORMAT.md) that a snippet must satisfy.
const KEYS = ['name', 'schedule', 'timezone', 'platform', 'run-as', 'bwdc', 'client-id', 'secret', 'instance', 'env', 'log', 'script', 'notify'];
const AT_MOST_ONCE = ['name', 'timezone', 'platform', 'run-as', 'bwdc', 'client-id', 'secret', 'log', 'script'];
const REQUIRED = ['schedule', 'client-id', 'secret'];
const UUID = '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}';
const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@reboot'];
/** @type {Record<string, RegExp | undefined>} */
const VALUE_RULES = {
  name: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  schedule: /^(?:\S+\s+){4}\S+$|^@\w+$/,
  platform: /^(?:linux|macos|windows)$/,
  'client-id': new RegExp(`^organization\\.${UUID}$`),
  secret: /^(?:file:\S.*|env:[A-Za-z_][A-Za-z0-9_]*|keychain:\S.*|dpapi:\S.*)$/,
  env: /^[A-Za-z_][A-Za-z0-9_]*=/,
  notify: /^(?:ping:https?:\/\/[^\s'"`]+|exec:\/\S.*)$/,
};

/**
 * Checks one expanded snippet as a schedule file; returns the directives as [key, value] pairs.
 * @param {string} label
 * @param {string} text
 */
function checkScheduleFile(label, text) {
  /** @type {[string, string][]} */
  const directives = [];
  const lines = text.split('\n');
  check(text.endsWith('\n'), `${label}: ends with a newline`);
  lines.forEach((line, n) => {
    const where = `${label} line ${n + 1} ${JSON.stringify(line)}`;
    if (/^\s*$/.test(line) || /^\s*#/.test(line)) return;
    const m = /^\s*(\S+)[ \t]+(.*?)\s*$/.exec(line);
    if (!m) {
      check(false, `${where}: is a comment, blank, or "key value"`);
      return;
    }
    const [, key = '', value = ''] = m;
    if (!check(KEYS.includes(key), `${where}: "${key}" is a known key`)) return;
    check(!/\s#/.test(value), `${where}: no trailing comment in a snippet value`);
    const rule = VALUE_RULES[key];
    check(!rule || rule.test(value), `${where}: "${value}" is a valid ${key} value`);
    if (key === 'schedule' && value.startsWith('@')) check(MACROS.includes(value), `${where}: known macro`);
    directives.push([key, value]);
  });
  for (const key of AT_MOST_ONCE) check(directives.filter(([k]) => k === key).length <= 1, `${label}: at most one "${key}"`);
  for (const key of REQUIRED)
    check(
      directives.some(([k]) => k === key),
      `${label}: has "${key}"`,
    );
  return directives;
}

// ---------------------------------------------------------------------------------------------
// The grammar must not mark anything in a snippet invalid.
const require = createRequire(import.meta.url);
const resolveDep = (/** @type {string} */ name) => {
  try {
    return require.resolve(name);
  } catch {
    return require.resolve(name, { paths: [path.join(repoRoot, 'node_modules', 'vscode-tmgrammar-test')] });
  }
};
const tm = require(resolveDep('vscode-textmate'));
const onigPath = resolveDep('vscode-oniguruma');
const onig = require(onigPath);
await onig.loadWASM(readFileSync(onigPath.replace(/main\.js$/, 'onig.wasm')).buffer);
const grammarPath = path.join(repoRoot, 'syntaxes', 'bwdc-schedule.tmLanguage.json');
const registry = new tm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (/** @type {string[]} */ patterns) => new onig.OnigScanner(patterns),
    createOnigString: (/** @type {string} */ text) => new onig.OnigString(text),
  }),
  loadGrammar: async () => tm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath),
});
/** @type {import('vscode-textmate').IGrammar} */
const grammar = await registry.loadGrammar('source.bwdc-schedule');
/** Fails on every token of `text` that the grammar marks `invalid.*`. */
function checkHighlighting(/** @type {string} */ label, /** @type {string} */ text) {
  let stack = tm.INITIAL;
  text.split('\n').forEach((line, n) => {
    const { tokens, ruleStack } = grammar.tokenizeLine(line, stack);
    stack = ruleStack;
    for (const t of tokens) {
      const bad = t.scopes.find((s) => s.startsWith('invalid.'));
      check(!bad, `${label} line ${n + 1}: "${line.slice(t.startIndex, t.endIndex)}" is highlighted ${bad}`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
const file = path.join(repoRoot, 'snippets', 'bwdc-schedule.code-snippets');
/** @type {Record<string, { prefix?: string | string[], description?: unknown, body: string | string[] }>} */
let snippets = {};
try {
  snippets = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  failures.push(`snippets file is not valid JSON: ${errorMessage(e)}`);
}

const LINUX = 'bwdc schedule (Linux)';
const WINDOWS = 'bwdc schedule (Windows)';
const SEVERAL = 'bwdc schedule (several instances)';
const NOTIFY = 'bwdc schedule (alerts on failure)';
check(
  JSON.stringify(Object.keys(snippets).sort()) === JSON.stringify([LINUX, SEVERAL, WINDOWS, NOTIFY].sort()),
  `exactly the snippets "${LINUX}", "${WINDOWS}", "${SEVERAL}", "${NOTIFY}"`,
);

/** @type {Record<string, ReturnType<typeof expand>>} */
const expanded = {};
for (const [label, snippet] of Object.entries(snippets)) {
  const prefixes = [snippet.prefix ?? []].flat();
  check(prefixes.length > 0 && prefixes.every((p) => typeof p === 'string' && p.startsWith('bwdc')), `${label}: prefixes start with "bwdc"`);
  check(typeof snippet.description === 'string' && snippet.description.length > 20, `${label}: has a description`);
  check(Array.isArray(snippet.body) && snippet.body.every((l) => typeof l === 'string'), `${label}: body is an array of lines`);
  let result;
  try {
    result = expand(snippet.body);
  } catch (e) {
    failures.push(`${label}: ${errorMessage(e)}`);
    continue;
  }
  expanded[label] = result;
  check(new Set(result.stops).size >= 5, `${label}: has tab stops`);
  check(result.choices.length >= 1, `${label}: has a choice`);
  checkScheduleFile(label, result.text);
  checkHighlighting(label, result.text);
  // Every option of every choice must give a valid file as well.
  for (const c of result.choices) {
    c.choice.forEach((option, k) => {
      const variant = expand(snippet.body, (n) => (n.tabstop === c.tabstop ? k : 0)).text;
      checkScheduleFile(`${label} with choice "${option}"`, variant);
      checkHighlighting(`${label} with choice "${option}"`, variant);
    });
  }
}

// (a) Linux: the example from SCHEDULE-FORMAT.md, except the placeholder client-id and the added env line and comments.
if (expanded[LINUX]) {
  const NIL = '00000000-0000-0000-0000-000000000000';
  const example = [
    '# Sync both directories every Monday at 12:00',
    'name       weekly-sync',
    'schedule   0 12 * * 1',
    'run-as     bwdc',
    'client-id  organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    'secret     file:/home/bwdc/.config/bwdc/client_secret',
    'instance   ./instance-1',
    'instance   ./instance-2',
    'log        /home/bwdc/bwdc.log',
  ];
  const expected = example.map((l) => l.replace(/organization\.\S+/, `organization.${NIL}`));
  const lines = expanded[LINUX].text.split('\n');
  const envLine = 'env        BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true';
  const core = lines.filter((l) => l.trim() !== '' && l !== envLine && !(l.startsWith('#') && !expected.includes(l)));
  check(
    JSON.stringify(core) === JSON.stringify(expected),
    `${LINUX}: equals the example apart from the env line and comments:\n    got      ${JSON.stringify(core)}\n    expected ${JSON.stringify(expected)}`,
  );
  const envAt = lines.indexOf(envLine);
  check(envAt > 0, `${LINUX}: has "${envLine}"`);
  let first = envAt;
  while (first > 0 && lines[first - 1].startsWith('#')) first -= 1;
  check(envAt > 0 && /headless/i.test(lines.slice(first, envAt).join(' ')), `${LINUX}: a comment just above the env line explains headless Linux`);
  const schedule = expanded[LINUX].choices.find((c) => c.choice.includes('0 12 * * 1'));
  for (const option of ['0 12 * * 1', '0 0 * * 2', '0 2 * * *', '0 8 * * 1-5', '0 20 * * 0', '0 * * * *']) {
    check(schedule?.choice.includes(option), `${LINUX}: the schedule choice offers "${option}"`);
  }
  check(/organization\.\$\{\d+:0{8}-0{4}-0{4}-0{4}-0{12}\}/.test([snippets[LINUX].body].flat().join('\n')), `${LINUX}: client-id UUID is a placeholder`);
}

// (b) Windows: Task Scheduler example (Sunday 8 PM), DPAPI secret, single backslashes in the inserted paths.
if (expanded[WINDOWS]) {
  const lines = expanded[WINDOWS].text.split('\n');
  for (const line of [
    'platform   windows',
    'schedule   0 20 * * 0',
    'run-as     bwdc',
    'secret     dpapi:C:\\ProgramData\\bwdc\\client_secret.xml',
    'instance   C:\\ProgramData\\bwdc\\instance-1',
    'log        C:\\ProgramData\\bwdc\\bwdc.log',
  ])
    check(lines.includes(line), `${WINDOWS}: inserts ${JSON.stringify(line)}`);
  check(!expanded[WINDOWS].text.includes('\\\\'), `${WINDOWS}: no doubled backslash in the inserted text`);
}

// (c) Several instances: three instance folders, and a comment on order and BITWARDENCLI_CONNECTOR_APPDATA_DIR.
if (expanded[SEVERAL]) {
  const lines = expanded[SEVERAL].text.split('\n');
  check(lines.filter((l) => /^instance\s/.test(l)).length === 3, `${SEVERAL}: three instance lines`);
  const comments = lines.filter((l) => l.startsWith('#')).join(' ');
  check(
    /BITWARDENCLI_CONNECTOR_APPDATA_DIR/.test(comments) && /order/.test(comments),
    `${SEVERAL}: a comment explains the order and BITWARDENCLI_CONNECTOR_APPDATA_DIR`,
  );
}

// (d) Alerts: a ping line and an exec line, each explained by a comment above it.
if (expanded[NOTIFY]) {
  const lines = expanded[NOTIFY].text.split('\n');
  const ping = lines.findIndex((l) => /^notify\s+ping:https:\/\//.test(l));
  const exec = lines.findIndex((l) => /^notify\s+exec:\//.test(l));
  check(ping > 0 && /URL\/start/.test(lines[ping - 2] ?? ''), `${NOTIFY}: a notify ping: line, explained above it`);
  check(exec > 0 && /stdin/.test(lines[exec - 1] ?? ''), `${NOTIFY}: a notify exec: line, explained above it`);
}

if (failures.length) {
  console.error(`snippets check: ${failures.length} failure(s)`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
for (const [label, { text }] of Object.entries(expanded)) {
  console.log(`--- ${label}\n${text}`);
}
console.log(`snippets check: ${Object.keys(expanded).length} snippets OK`);
