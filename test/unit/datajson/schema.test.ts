import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ErrorObject } from 'ajv';
import { DATA_JSON_CODES, type DataJsonCode } from '../../../src/core/datajson/api';

/**
 * schemas/bwdc-data-json.schema.json against the data.json corpus in
 * test/fixtures/datajson/corpus: the corpus's index.json says which files the schema accepts
 * and, for the others, where the errors are.
 */

const ROOT = findRoot();
const SCHEMA_PATH = path.join(ROOT, 'schemas/bwdc-data-json.schema.json');
const CORPUS = path.join(ROOT, 'test/fixtures/datajson/corpus');

type JsonObject = { [key: string]: unknown };
type Layout = 'L1' | 'L2' | 'L3' | 'empty' | 'unknown';

interface CorpusEntry {
  readonly file: string;
  readonly description: string;
  readonly layout: Layout;
  readonly upgradedFromL2: boolean;
  readonly directoryType: number | null;
  /** Absent for the files under broken/, which are not JSON. */
  readonly schemaValid?: boolean;
  readonly schemaErrorPaths?: readonly string[];
  readonly expectedCodes: readonly string[];
}

/** Keywords VS Code's JSON language service reads besides draft-07's. */
const VSCODE_KEYWORDS = ['markdownDescription', 'enumDescriptions', 'markdownEnumDescriptions', 'defaultSnippets'];

const schema = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as JsonObject;
const index = JSON.parse(fs.readFileSync(path.join(CORPUS, 'index.json'), 'utf8')) as { files: CorpusEntry[] };
const parsedEntries = index.files.filter((entry) => !isBroken(entry.file));
const brokenEntries = index.files.filter((entry) => isBroken(entry.file));

/**
 * strict is off because the schema carries VS Code's own keywords (markdownDescription,
 * enumDescriptions, markdownEnumDescriptions, defaultSnippets), which Ajv's strict mode
 * rejects as unknown; a separate test compiles it strictly with those keywords declared.
 */
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

describe('data.json schema', () => {
  it('is a draft-07 schema that validates against the draft-07 meta-schema', () => {
    assert.strictEqual(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.strictEqual(ajv.validateSchema(schema), true, ajv.errorsText(ajv.errors));
  });

  it('uses no keyword but draft-07 and VS Code ones, so a misspelt keyword cannot hide', () => {
    const strict = new Ajv({ strict: true, allowUnionTypes: true });
    strict.addVocabulary(VSCODE_KEYWORDS);
    assert.doesNotThrow(() => strict.compile(schema));
  });

  it('describes every property, for VS Code hovers', () => {
    const undescribed = propertiesOf(schema)
      .filter(({ property }) => typeof property.description !== 'string' || property.description.trim() === '')
      .map(({ pointer }) => pointer);
    assert.deepStrictEqual(undescribed, []);
  });

  it('documents definitions in $comment, since VS Code lets a $ref target replace the description beside the $ref', () => {
    for (const [name, body] of Object.entries(schema.definitions as Record<string, JsonObject>)) {
      assert.strictEqual(body.description, undefined, `definitions/${name}`);
      assert.strictEqual(body.markdownDescription, undefined, `definitions/${name}`);
      assert.strictEqual(typeof body.$comment, 'string', `definitions/${name}`);
    }
  });

  it('never closes an object to the keys bwdc and its libraries add', () => {
    const closed = schemaNodes(schema)
      .filter(({ node }) => node.additionalProperties === false)
      .map(({ pointer }) => pointer);
    assert.deepStrictEqual(closed, []);
  });

  it('describes each enum value for completion lists', () => {
    for (const { node, pointer } of schemaNodes(schema)) {
      for (const keyword of ['enumDescriptions', 'markdownEnumDescriptions']) {
        if (node[keyword] === undefined) continue;
        assert.ok(Array.isArray(node.enum), `${pointer}: ${keyword} without enum`);
        assert.strictEqual((node[keyword] as unknown[]).length, node.enum.length, `${pointer}: one ${keyword} entry per enum value`);
      }
    }
  });

  const secrets: Array<[definition: string, property: string, setting: string]> = [
    ['ldapConfiguration', 'password', 'ldap.password'],
    ['entraConfiguration', 'key', 'entra.key'],
    ['gsuiteConfiguration', 'privateKey', 'gsuite.key'],
    ['oktaConfiguration', 'token', 'okta.token'],
    ['oneLoginConfiguration', 'clientSecret', 'onelogin.secret'],
  ];
  for (const [definition, property, setting] of secrets) {
    it(`says where the ${definition.replace('Configuration', '')} ${property} really lives`, () => {
      const description = String(definitionProperty(definition, property).description);
      for (const words of ['"[STORED SECURELY]"', 'OS keychain', 'ignored', 'BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true', `bwdc config ${setting}`]) {
        assert.ok(description.includes(words), `${definition}.${property} should mention ${words}`);
      }
    });
  }

  it('offers directory types 0 to 4 as numbers', () => {
    const directoryType = definition('directoryType');
    assert.deepStrictEqual(directoryType.enum, [0, 1, 2, 3, 4, null]);
  });

  it('accepts every snippet it offers for a new file', () => {
    const snippets = schema.defaultSnippets as Array<{ label: string; body: unknown }>;
    assert.ok(snippets.length >= 5);
    for (const snippet of snippets) {
      assert.ok(validate(snippet.body), `${snippet.label}: ${paths(validate.errors).join(', ')}`);
    }
  });

  // Each case changes one value of a clean file (l3-ldap.json).
  const fieldCases: Array<[pointer: string, value: unknown, valid: boolean]> = [
    ['/directoryLdap/port', 636, true],
    ['/directoryLdap/port', '636', true],
    ['/directoryLdap/port', 'ldaps', false],
    ['/directoryLdap/port', true, false],
    ['/directoryLdap/ssl', 'true', false],
    ['/sync/interval', null, true],
    ['/sync/interval', '5', false],
    ['/sync/groups', 1, false],
    ['/directoryType', 4, true],
    ['/directoryType', null, true],
    ['/directoryType', 5, false],
    ['/directoryType', 1.5, false],
    ['/directoryEntra/identityAuthority', null, true],
    ['/directoryEntra/identityAuthority', 'login.microsoftonline.us', true],
    ['/directoryEntra/identityAuthority', 'login.microsoftonline.de', false],
    ['/directoryOnelogin/region', 'eu', true],
    ['/directoryOnelogin/region', 'EU', false],
    ['/someKeyOfAFutureVersion', { any: 'thing' }, true],
    ['/directoryLdap/someFieldOfAFutureVersion', 42, true],
    ['/sync/someFieldOfAFutureVersion', 'x', true],
  ];
  for (const [pointer, value, valid] of fieldCases) {
    it(`${valid ? 'accepts' : 'rejects'} ${JSON.stringify(value)} at ${pointer}`, () => {
      const file = readCorpusJson('l3-ldap.json') as JsonObject;
      setAt(file, pointer, value);
      assert.strictEqual(validate(file), valid, paths(validate.errors).join(', '));
      if (!valid) assert.deepStrictEqual(paths(validate.errors), [pointer]);
    });
  }
});

describe('data.json corpus', () => {
  it('lists every corpus file in index.json, and only those', () => {
    const onDisk = listFiles(CORPUS)
      .filter((file) => file !== 'index.json')
      .sort();
    const listed = index.files.map((entry) => entry.file).sort();
    assert.deepStrictEqual(listed, onDisk);
    assert.strictEqual(new Set(listed).size, listed.length, 'a file is listed twice');
  });

  it('has every layout, upgraded files included, with every directory type as a clean file', () => {
    const shapes: Array<[layout: Layout, upgraded: boolean, codes: string[]]> = [
      ['L1', false, ['data-layout-legacy']],
      ['L2', false, []],
      ['L3', false, []],
      ['L3', true, []],
    ];
    for (const [layout, upgraded, codes] of shapes) {
      for (const type of [0, 1, 2, 3, 4]) {
        const match = parsedEntries.find(
          (entry) =>
            entry.layout === layout &&
            entry.upgradedFromL2 === upgraded &&
            entry.directoryType === type &&
            entry.schemaValid === true &&
            sameList(entry.expectedCodes, codes),
        );
        assert.ok(match, `no clean ${layout}${upgraded ? ' (upgraded from L2)' : ''} file for directory type ${type}`);
      }
    }
  });

  it('records complete entries with known codes, sorted and distinct', () => {
    for (const entry of index.files) {
      assert.ok(entry.description.length > 0, `${entry.file}: description`);
      assert.ok(['L1', 'L2', 'L3', 'empty', 'unknown'].includes(entry.layout), `${entry.file}: layout`);
      assert.strictEqual(typeof entry.upgradedFromL2, 'boolean', `${entry.file}: upgradedFromL2`);
      assert.ok(entry.directoryType === null || [0, 1, 2, 3, 4].includes(entry.directoryType), `${entry.file}: directoryType`);
      assert.deepStrictEqual(entry.expectedCodes, [...new Set(entry.expectedCodes)].sort(), `${entry.file}: codes sorted and distinct`);
      for (const code of entry.expectedCodes) assert.ok(DATA_JSON_CODES.includes(code as DataJsonCode), `${entry.file}: unknown code ${code}`);
      if (isBroken(entry.file)) {
        assert.strictEqual(entry.schemaValid, undefined, `${entry.file}: broken files are not schema-checked`);
      } else {
        assert.strictEqual(typeof entry.schemaValid, 'boolean', `${entry.file}: schemaValid`);
        assert.strictEqual(entry.schemaErrorPaths?.length === 0, entry.schemaValid, `${entry.file}: schemaErrorPaths`);
      }
    }
  });

  it('holds only fake secrets and placeholders', () => {
    const secretKeys = new Set([
      'password',
      'key',
      'privateKey',
      'token',
      'clientSecret',
      'apiKeyClientSecret',
      'apikey_clientSecret',
      'accessToken',
      'refreshToken',
    ]);
    for (const entry of parsedEntries) {
      for (const [key, value] of entriesDeep(readCorpusJson(entry.file))) {
        if (!secretKeys.has(key) || typeof value !== 'string') continue;
        assert.ok(value === '[STORED SECURELY]' || value.startsWith('FAKE-'), `${entry.file}: ${key} is neither a placeholder nor FAKE-`);
      }
    }
  });

  it('has broken files that JSON.parse rejects as bwdc reads them, BOM included', () => {
    assert.ok(brokenEntries.length > 0);
    for (const entry of brokenEntries) {
      const text = fs.readFileSync(path.join(CORPUS, entry.file), 'utf8');
      assert.throws(() => JSON.parse(text), SyntaxError, entry.file);
    }
  });

  for (const entry of parsedEntries) {
    const verdict = entry.schemaValid ? 'valid' : `invalid at ${entry.schemaErrorPaths?.map((p) => p || '(root)').join(', ')}`;
    it(`${entry.file} is ${verdict}`, () => {
      const valid = validate(readCorpusJson(entry.file));
      assert.strictEqual(valid, entry.schemaValid, paths(validate.errors).join(', '));
      assert.deepStrictEqual(paths(validate.errors), [...(entry.schemaErrorPaths ?? [])].sort());
    });
  }
});

describe('data.json schema contribution', () => {
  it("is bound to the Directory Connector's own data.json files only", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation?: Array<{ fileMatch: string | string[]; url: string }> };
    };
    const bindings = (manifest.contributes.jsonValidation ?? []).filter((binding) => binding.url === './schemas/bwdc-data-json.schema.json');
    assert.deepStrictEqual(bindings, [
      {
        fileMatch: ['**/Bitwarden Directory Connector/data.json', '**/bitwarden-connector-appdata/data.json'],
        url: './schemas/bwdc-data-json.schema.json',
      },
    ]);
    assert.ok(fs.existsSync(path.join(ROOT, bindings[0]!.url)));
  });

  it('ships the schema in the package', () => {
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split(/\r?\n/);
    assert.ok(ignore.includes('!schemas/**'));
  });
});

function findRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'schemas/bwdc-data-json.schema.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

function isBroken(file: string): boolean {
  return file.startsWith('broken/');
}

function readCorpusJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(CORPUS, file), 'utf8'));
}

function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((dirent) => (dirent.isDirectory() ? listFiles(path.join(dir, dirent.name), `${prefix}${dirent.name}/`) : [`${prefix}${dirent.name}`]));
}

/** The distinct instance paths of Ajv's errors, sorted. */
function paths(errors: ErrorObject[] | null | undefined): string[] {
  return [...new Set((errors ?? []).map((error) => error.instancePath))].sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function definition(name: string): JsonObject {
  const found = (schema.definitions as Record<string, JsonObject>)[name];
  assert.ok(found, `definition ${name}`);
  return found;
}

function definitionProperty(name: string, property: string): JsonObject {
  const found = (definition(name).properties as Record<string, JsonObject>)[property];
  assert.ok(found, `${name}.${property}`);
  return found;
}

/** Every subschema with its JSON pointer in the schema file (defaultSnippets bodies are data, not schemas). */
function schemaNodes(node: JsonObject, pointer = ''): Array<{ node: JsonObject; pointer: string }> {
  const found = [{ node, pointer }];
  const visit = (child: unknown, at: string): void => {
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) found.push(...schemaNodes(child as JsonObject, at));
  };
  for (const keyword of ['properties', 'patternProperties', 'definitions', 'dependencies']) {
    const map = node[keyword] as Record<string, unknown> | undefined;
    for (const [name, child] of Object.entries(map ?? {})) visit(child, `${pointer}/${keyword}/${name}`);
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    ((node[keyword] as unknown[] | undefined) ?? []).forEach((child, i) => visit(child, `${pointer}/${keyword}/${i}`));
  }
  for (const keyword of ['items', 'additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'not', 'if', 'then', 'else']) {
    const child = node[keyword];
    if (Array.isArray(child)) child.forEach((item, i) => visit(item, `${pointer}/${keyword}/${i}`));
    else visit(child, `${pointer}/${keyword}`);
  }
  return found;
}

/** Every schema that describes a named property (properties and patternProperties entries). */
function propertiesOf(root: JsonObject): Array<{ property: JsonObject; pointer: string }> {
  return schemaNodes(root).flatMap(({ node, pointer }) =>
    ['properties', 'patternProperties'].flatMap((keyword) =>
      Object.entries((node[keyword] as Record<string, JsonObject> | undefined) ?? {}).map(([name, property]) => ({
        property,
        pointer: `${pointer}/${keyword}/${name}`,
      })),
    ),
  );
}

/** Every [key, value] pair of a JSON value, at any depth. */
function entriesDeep(value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.flatMap(entriesDeep);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [[key, child] as [string, unknown], ...entriesDeep(child)]);
}

/** Sets the value at a JSON pointer, creating the objects on the way. */
function setAt(target: JsonObject, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1);
  const last = keys.pop()!;
  let node = target;
  for (const key of keys) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as JsonObject;
  }
  node[last] = value;
}
