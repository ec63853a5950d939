import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, modify, parseTree, ParseErrorCode, type JSONPath, type Node } from 'jsonc-parser';
import type { DataJsonReport } from '../../../src/core/datajson/api';
import { childrenOf, parseJson, scanJson, shallowTree, type JsonNode } from '../../../src/core/datajson/json';
import { summaryMarkdown } from '../../../src/core/datajson/summary';
import { validateDataJson } from '../../../src/core/datajson/validate';
import { seededRandom } from '../random';
import { withTranslations } from '../translations';
import { DATA_JSON_CODES } from '../../../src/core/datajson/api';

/**
 * The validator never throws, whatever it is given, and agrees with JSON.parse (which is what
 * bwdc uses) about which text would be reset: seeded mutations of the corpus, truncations,
 * deep nesting, huge values, wrong types everywhere, and files of a megabyte.
 */

const FIXTURES = findFixtures();
const SYNTAX_CODES = new Set(['data-json-syntax', 'data-json-comment', 'data-json-trailing-comma', 'data-json-bom']);
const CODES: ReadonlySet<string> = new Set(DATA_JSON_CODES.filter((code) => code !== 'data-check-failed'));
const CONTEXTS = [{}, { plaintextSecrets: true, fileMode: 0o644, pathKind: () => 'missing' as const }];

function findFixtures(): string {
  for (const up of ['../../../../test/fixtures/datajson/validator', '../../fixtures/datajson/validator']) {
    const candidate = path.resolve(__dirname, up);
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.resolve(process.cwd(), 'test/fixtures/datajson/validator');
}

const corpus = fs
  .readdirSync(FIXTURES)
  .sort()
  .map((name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8'));

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/** What every report must satisfy, and agreement with JSON.parse. */
function check(text: string, report: DataJsonReport, label: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of report.diagnostics) {
    assert.ok(CODES.has(d.code), `${label}: unexpected code ${d.code}`);
    const { start, end } = d.range;
    assert.ok(start.line >= 0 && end.line < lineCount(text), `${label}: ${d.code} line out of range`);
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${label}: ${d.code} ends before it starts`);
    assert.ok(start.character <= lines[start.line]!.length && end.character <= lines[end.line]!.length, `${label}: ${d.code} character out of range`);
    assert.ok(d.message.length > 0 && d.message.length < 1000, `${label}: ${d.code} message length ${d.message.length}`);
  }
  let parsed: unknown;
  let valid = true;
  try {
    parsed = JSON.parse(text);
  } catch {
    valid = false;
  }
  const syntax = report.diagnostics.some((d) => SYNTAX_CODES.has(d.code));
  assert.equal(
    syntax,
    !valid,
    `${label}: JSON.parse ${valid ? 'accepts' : 'rejects'} the text, but the syntax diagnostics say otherwise: ${report.diagnostics.map((d) => d.code).join(', ')}`,
  );
  if (valid) {
    const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
    assert.equal(report.summary !== undefined, isObject, `${label}: summary iff the top level is an object`);
    assert.equal(
      report.diagnostics.some((d) => d.code === 'data-not-object'),
      !isObject,
      `${label}: data-not-object iff not an object`,
    );
  }
  if (report.summary) {
    const markdown = summaryMarkdown(report.summary);
    assert.ok(markdown.length < 3000, `${label}: summary length ${markdown.length}`);
  }
}

function validateChecked(text: string, label: string): DataJsonReport {
  let last: DataJsonReport | undefined;
  for (const context of CONTEXTS) {
    last = validateDataJson(text, context);
    check(text, last, label);
  }
  return last!;
}

const PALETTE = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '/',
  '*',
  '//',
  '/*',
  '*/',
  '0',
  '7',
  '-',
  '.',
  'e',
  'true',
  'null',
  ' ',
  '\n',
  '\r',
  '\t',
  '\uFEFF',
  '\u00a0',
  '\u2028',
  '\ud800',
  '\u0000',
  'x',
  'é',
  '\u{1F600}',
  '"directoryType"',
  '"0"',
  '[STORED SECURELY]',
];

function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  switch (Math.floor(random() * 6)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));
    case 1:
      return text.slice(0, at) + pick(PALETTE) + text.slice(at);
    case 2:
      return text.slice(0, at) + pick(PALETTE) + text.slice(at + 1);
    case 3: {
      const from = Math.floor(random() * text.length);
      return text.slice(0, at) + text.slice(from, from + Math.floor(random() * 40)) + text.slice(at);
    }
    case 4:
      return text.slice(0, at);
    default: {
      // Change one character code, as a bit flip in the file would.
      const code = text.charCodeAt(at) ^ (1 << Math.floor(random() * 7));
      return text.slice(0, at) + String.fromCharCode(Number.isNaN(code) ? 32 : code) + text.slice(at + 1);
    }
  }
}

/** A node tree as plain data, as deep as `shape` has children, for comparing the two readers. */
function plain(node: JsonNode | undefined, shape: JsonNode | undefined): unknown {
  if (!node) return undefined;
  const children = shape?.children ? childrenOf(node) : undefined;
  return {
    type: node.type,
    offset: node.offset,
    length: node.length,
    value: node.value,
    colonOffset: node.colonOffset,
    children: children?.map((child, index) => plain(child, shape!.children![index])),
  };
}

describe('data.json validator: robustness', function () {
  this.timeout(120_000);

  it('never throws on seeded random mutations of the corpus, and agrees with JSON.parse', () => {
    const random = seededRandom(20260720);
    let count = 0;
    for (let round = 0; round < 120; round++) {
      for (const [index, original] of corpus.entries()) {
        let text = original;
        const mutations = 1 + Math.floor(random() * 4);
        for (let step = 0; step < mutations; step++) text = mutate(text, random);
        validateChecked(text, `round ${round}, file ${index}`);
        count++;
      }
    }
    assert.ok(count > 2000);
  });

  it('reads valid text the fast way exactly as token by token', () => {
    const random = seededRandom(7);
    let compared = 0;
    for (let round = 0; round < 150; round++) {
      for (const original of corpus) {
        const text = round === 0 ? original : mutate(original, random);
        try {
          JSON.parse(text);
        } catch {
          continue;
        }
        const slow = scanJson(text);
        assert.deepEqual(slow.problems, []);
        assert.deepEqual(plain(shallowTree(text), slow.root), plain(slow.root, slow.root));
        compared++;
      }
    }
    assert.ok(compared > corpus.length * 10, `compared ${compared}`);
  });

  it('agrees with jsonc-parser’s parseTree on comments, trailing commas and where the text breaks', () => {
    const random = seededRandom(42);
    for (let round = 0; round < 60; round++) {
      for (const original of corpus) {
        let text = original;
        for (let step = 0; step < 3; step++) text = mutate(text, random);
        const errors: { error: ParseErrorCode; offset: number; length: number }[] = [];
        parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
        const mine = scanJson(text);
        const comments = mine.problems.filter((p) => p.kind === 'comment');
        const commas = mine.problems.filter((p) => p.kind === 'trailing-comma');
        const explained = (e: { error: ParseErrorCode; offset: number; length: number }): boolean =>
          (e.error === ParseErrorCode.InvalidCommentToken && comments.some((c) => c.offset === e.offset && c.length === e.length)) ||
          (e.error === ParseErrorCode.InvalidSymbol && e.offset === 0 && text.charCodeAt(0) === 0xfeff) ||
          ((e.error === ParseErrorCode.PropertyNameExpected || e.error === ParseErrorCode.ValueExpected) &&
            commas.some(
              (c) => c.offset < e.offset && /^[\s]*$/.test(withoutComments(text, c.offset + 1, e.offset, comments)) && '}]'.includes(text[e.offset]!),
            ));
        const broken = mine.problems.some((p) => p.kind === 'syntax');
        if (!broken) {
          assert.deepEqual(
            errors.filter((e) => !explained(e)),
            [],
            `round ${round}: ${JSON.stringify(text.slice(0, 60))}`,
          );
          for (const c of comments)
            assert.ok(
              errors.some((e) => e.error === ParseErrorCode.InvalidCommentToken && e.offset === c.offset),
              'a comment parseTree did not see',
            );
        } else {
          assert.ok(
            errors.some((e) => !explained(e)),
            `round ${round}: parseTree found no error where the reader stopped`,
          );
          const first = mine.problems.find((p) => p.kind === 'syntax')!;
          const theirs = errors.filter((e) => !explained(e))[0]!;
          assert.equal(
            first.offset,
            theirs.offset,
            `round ${round}: first error offset, ${JSON.stringify(text.slice(Math.max(0, first.offset - 20), first.offset + 20))}`,
          );
        }
      }
    }
  });

  it('never throws on any truncation of a file', () => {
    for (const original of [corpus[0]!, corpus.find((text) => text.includes('\t'))!]) {
      for (let end = 0; end <= original.length; end++) validateChecked(original.slice(0, end), `cut at ${end}`);
    }
  });

  it('never throws on random token soup', () => {
    const random = seededRandom(99);
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let index = 0; index < length; index++) text += PALETTE[Math.floor(random() * PALETTE.length)];
      validateChecked(text, `soup ${round}`);
    }
  });

  it('handles 10,000 levels of nesting, closed or not, at the top or inside a setting', () => {
    const depth = 10_000;
    const l3 = corpus.find((text) => text.includes('"stateVersion": 6') && text.includes('"directoryLdap": {\n    "ssl": true'))!;
    const cases = [
      '['.repeat(depth) + ']'.repeat(depth),
      '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
      '['.repeat(depth),
      '{"a":'.repeat(depth),
      '{"a":['.repeat(depth) + ']}'.repeat(depth),
      l3.replace('"stateVersion": 6,', `"stateVersion": 6, "deep": ${'['.repeat(depth)}${']'.repeat(depth)},`),
      l3.replace('"ssl": true,', `"ssl": ${'{"x":'.repeat(depth)}1${'}'.repeat(depth)},`),
      l3.replace('"stateVersion": 6,', `"stateVersion": 6, "deep": ${'['.repeat(depth)}}`),
    ];
    for (const [index, text] of cases.entries()) validateChecked(text, `nesting case ${index}`);
    const report = validateDataJson(cases[5]!);
    assert.equal(report.summary!.layout, 'L3');
    assert.deepEqual(report.diagnostics, []);
    assert.deepEqual(
      validateDataJson(cases[6]!).diagnostics.map((d) => d.code),
      ['data-field-type'],
    );
  });

  it('handles huge strings, keys and numbers without putting them whole into messages or the summary', () => {
    const l3 = corpus.find((text) => text.includes('"stateVersion": 6') && text.includes('"directoryOnelogin": {\n    "clientId"'))!;
    const huge = 'h'.repeat(4_000_000);
    const cases = [
      l3.replace('"region": "eu"', `"region": "${huge}"`),
      l3.replace('"stateVersion": 6,', `"stateVersion": 6, "${huge}": 1,`),
      l3.replace('"stateVersion": 6,', `"stateVersion": 6, "n": 1${'0'.repeat(100_000)},`),
      l3.replace('"region": "eu"', `"region": "${huge}`),
      `"${huge}"`,
    ];
    for (const [index, text] of cases.entries()) validateChecked(text, `huge case ${index}`);
    const region = validateDataJson(cases[0]!);
    assert.deepEqual(
      region.diagnostics.map((d) => d.code),
      ['data-onelogin-region'],
    );
    assert.ok(region.diagnostics[0]!.message.length < 400);
  });

  it('never throws when any value in any corpus file has the wrong type', () => {
    const random = seededRandom(5);
    const values: unknown[] = [null, 0, -1, 1.5, 1e300, '', 'x', '0', '[STORED SECURELY]', true, false, [], {}, [1, 'a'], { a: 1 }];
    let count = 0;
    for (const original of corpus) {
      const tree = parseTree(original)!;
      const paths: JSONPath[] = [];
      const walk = (node: Node, at: JSONPath): void => {
        if (at.length > 0) paths.push(at);
        if (node.type === 'object') for (const property of node.children ?? []) walk(property.children![1]!, [...at, property.children![0]!.value as string]);
      };
      walk(tree, []);
      for (const where of paths) {
        const value = values[Math.floor(random() * values.length)];
        const text = applyEdits(original, modify(original, where, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } }));
        validateChecked(text, `${where.join('.')} = ${JSON.stringify(value)}`);
        count++;
      }
    }
    assert.ok(count > 500, `checked ${count}`);
  });

  it('survives translations and pathKind functions that return odd things', () => {
    const ldap = corpus.find((text) => text.includes('"sslCaPath"'))!;
    const report = withTranslations(
      () => '',
      () => validateDataJson(ldap, { pathKind: () => undefined as never }),
    );
    assert.ok(Array.isArray(report.diagnostics));
    assert.ok(validateDataJson(undefined as unknown as string).diagnostics.length > 0);
  });
});

describe('data.json validator: size', function () {
  this.timeout(60_000);

  /** An L3 LDAP file of about 1 MB: the settings plus a long delta token and a large block of app state. */
  function megabyte(): string {
    const l3 = JSON.parse(corpus.find((text) => text.includes('"stateVersion": 6') && text.includes('"directoryLdap": {\n    "ssl": true'))!) as Record<
      string,
      unknown
    >;
    l3['userDeltaToken'] = `https://graph.microsoft.com/v1.0/users/delta?$deltatoken=${'Ab9_'.repeat(60_000)}`;
    const state: Record<string, unknown> = {};
    for (let index = 0; index < 4_000; index++)
      state[`entry-${index}`] = { id: index, name: `Group ${index}`, members: [`u${index}`, `u${index + 1}`], nested: { a: [1, 2, { b: null }] } };
    l3['window'] = state;
    return JSON.stringify(l3, null, 2);
  }

  it('checks a 1 MB file and finds its layout', () => {
    const text = megabyte();
    assert.ok(text.length > 1_000_000, `${text.length} characters`);
    const report = validateDataJson(text);
    assert.equal(report.summary!.layout, 'L3');
    assert.equal(report.summary!.directoryType, 0);
    assert.deepEqual(report.diagnostics, []);
  });

  it('checks a 1 MB file that is broken near its end, token by token', () => {
    const text = megabyte();
    const broken = `${text.slice(0, text.length - 200)},}`;
    const report = validateDataJson(broken);
    assert.equal(report.summary!.layout, 'L3');
    assert.deepEqual(
      report.diagnostics.map((d) => d.code),
      ['data-json-syntax'],
    );
  });

  it('reads valid text without the token scanner, and invalid text with it', () => {
    assert.deepEqual(parseJson('{"a": [1, {"b": 2}]}').problems, []);
    assert.deepEqual(
      parseJson('{"a": 1,}').problems.map((p) => p.kind),
      ['trailing-comma'],
    );
  });
});

function withoutComments(text: string, from: number, to: number, comments: readonly { offset: number; length: number }[]): string {
  let result = '';
  for (let index = from; index < to; index++) {
    const comment = comments.find((c) => c.offset === index);
    if (comment) {
      index += comment.length - 1;
      continue;
    }
    result += text[index];
  }
  return result;
}
