/**
 * Does the bwdc stand-in (test/fixtures/bwdc-standin/bwdc.js, what the unit tests run) answer
 * like the REAL Bitwarden Directory Connector CLI?
 *
 * For each real release locateRealBwdc() finds, one command sequence runs twice: with the real
 * bwdc (against the tests' own slapd and the local stand-in for the Bitwarden server, in the
 * mode each step needs) and with the stand-in (configured through its data.json keys, with
 * `standinRelease` set to the release). Each step is then compared: exit code, stdout and
 * stderr byte for byte, and what data.json holds afterwards (its text with the keys in order,
 * the trailing newline, its mode) and which files the instance folder holds. Normalised, and
 * only that: the instance folder's path (each side has its own), the values that are random or
 * timed (appId, the access token, the sync hash, sync times, account activity), the stand-in's
 * own `standin*` keys, and in a crash the location header and stack frames (bwdc's bundle vs the
 * stand-in's file). Both sides start from the same data.json: the real release's own.
 *
 * The two releases run at the same time (one slapd, one API stand-in: a step that depends on
 * the import's answer waits until no step of the other release needs a different one): 28 real
 * calls, about 80 s on 2 cores. Both transcripts are written to
 * test-results/realbwdc/conformance.json (secrets replaced).
 *
 * Not compared, and why, is in the test names: data.json.bak after the unparsable file (the real
 * bwdc races a copy against the truncation; checked to be one of its outcomes), and "hang"
 * (a real call killed after 10 s each; sync.test.ts shows the real import hang, stopped by the
 * script's timeout).
 *
 *   npx tsc -p tsconfig.test.json && npx mocha --no-config --timeout 600000 out/test/realbwdc/conformance.test.js
 */
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { startApiStandIn, type ApiStandIn, type ImportMode } from './apiStandIn';
import { dataJsonPath, editDataJson, layoutOf, readDataJson, setServerUrl, writeDirectorySettings } from './instance';
import { locateRealBwdc, repoRoot, runBwdc, type BwdcRun, type RealBwdc } from './realbwdc';
import { startSlapd, type Slapd } from './slapd';

const ORGANIZATION_ID = 'bd5c2a4e-6b8f-4a6e-9d0c-3f1e2a7b9c10';
const CLIENT_ID = `organization.${ORGANIZATION_ID}`;
const CLIENT_SECRET = crypto
  .randomBytes(30)
  .toString('base64')
  .replace(/[^A-Za-z0-9]/g, 'x')
  .slice(0, 30);
const IMPORT_REFUSED = 'The import failed: the organization has no seats left.';
const STANDIN_SOURCE = path.join(repoRoot(), 'test', 'fixtures', 'bwdc-standin', 'bwdc.js');

type Folder = 'empty' | 'main' | 'unreachable' | 'broken' | 'keyring';

interface Step {
  /** The test's name. */
  readonly situation: string;
  readonly folder: Folder;
  readonly args: readonly string[];
  /** BW_CLIENTID and BW_CLIENTSECRET (wrong: a secret the server refuses). */
  readonly credentials?: 'right' | 'wrong';
  /** BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true unless false. */
  readonly plaintext?: boolean;
  /** The real side: what the API stand-in answers the import (steps that may post one). */
  readonly import?: ImportMode;
  /** The stand-in side: its simulation keys for this step (standinLogin, standinImport). */
  readonly standin?: Readonly<Record<string, unknown>>;
  /** Only for releases whose version starts with this. */
  readonly release?: string;
  /**
   * stdout is JSON compared by its shape (keys in order, value types, list lengths), not its
   * values: `bwdc test` lists the real directory (slapd's people), the stand-in one it derives.
   */
  readonly shape?: boolean;
}

const STEPS: readonly Step[] = [
  { situation: '--version in an empty instance folder (creates data.json)', folder: 'empty', args: ['--version'] },
  { situation: 'logout, not logged in', folder: 'main', args: ['logout'] },
  { situation: 'test, not logged in', folder: 'main', args: ['test'] },
  {
    situation: 'login with a wrong client secret (400 invalid_client)',
    folder: 'main',
    args: ['login'],
    credentials: 'wrong',
    standin: { standinLogin: 'reject-secret' },
  },
  {
    situation: 'login, server unreachable (connection refused)',
    folder: 'unreachable',
    args: ['login'],
    credentials: 'right',
    standin: { standinLogin: 'unreachable' },
  },
  { situation: 'login', folder: 'main', args: ['login'], credentials: 'right' },
  { situation: 'login, already logged in', folder: 'main', args: ['login'], credentials: 'right' },
  {
    situation: 'sync, the import answers 400 with a message',
    folder: 'main',
    args: ['sync'],
    import: { status: 400, message: IMPORT_REFUSED },
    standin: { standinImport: { status: 400, message: IMPORT_REFUSED } },
  },
  { situation: 'sync, the import answers 500', folder: 'main', args: ['sync'], import: 'server-error', standin: { standinImport: 'server-error' } },
  { situation: 'sync (the seeded directory: 2 groups, 4 users)', folder: 'main', args: ['sync'], import: 'accept' },
  { situation: 'sync again, nothing changed (0 and 0)', folder: 'main', args: ['sync'], import: 'accept' },
  {
    situation: "test, logged in (stdout compared by its JSON's shape: slapd's 3 enabled and 1 disabled users, 2 groups of 2)",
    folder: 'main',
    args: ['test'],
    standin: { standinDisabledUsers: 1 },
    shape: true,
  },
  { situation: 'logout, logged in', folder: 'main', args: ['logout'] },
  {
    situation:
      'sync with an unparsable data.json (emptied to the defaults; data.json.bak not compared byte for byte: the real one races a copy against the truncation)',
    folder: 'broken',
    args: ['sync'],
  },
  {
    situation: 'keyring trap: login without plaintext mode, no D-Bus',
    folder: 'keyring',
    args: ['login'],
    credentials: 'right',
    plaintext: false,
    standin: { standinLogin: 'keyring' },
    release: '2026.4.',
  },
  {
    situation: 'keyring trap: sync after that login',
    folder: 'keyring',
    args: ['sync'],
    plaintext: false,
    standin: { standinLogin: 'keyring' },
    release: '2026.4.',
  },
  {
    situation: 'keyring trap: logout after that login (an unhandled rejection)',
    folder: 'keyring',
    args: ['logout'],
    plaintext: false,
    standin: { standinLogin: 'keyring' },
    release: '2026.4.',
  },
  {
    situation:
      'keyring trap: login without plaintext mode (real: the dc-native STAND-IN, whose message the real addon would not give; the crash and exit 1 it would)',
    folder: 'keyring',
    args: ['login'],
    credentials: 'right',
    plaintext: false,
    standin: { standinLogin: 'keyring' },
    release: '2026.6.',
  },
];

/** What one side saw after one step. */
interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Normalised data.json text (or "(none)"). */
  readonly data: string;
  readonly mode: string;
  readonly files: readonly string[];
  /** data.json.bak's bytes when there is one. */
  readonly backup?: string;
  /** data.json's bytes before the step (for the unparsable one). */
  readonly before?: string;
  readonly ms: number;
}

interface Transcript {
  readonly real: Outcome[];
  readonly standin: Outcome[];
  readonly standinCalls: number;
  readonly recorded: number;
}

const located = locateRealBwdc();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Serialises the API stand-in's import mode between the two releases running at once: steps
 * that need the same mode run together, a step that needs another waits until they are done.
 */
class ModeGate {
  private current = '';
  private users = 0;
  private waiting: (() => void)[] = [];

  constructor(private readonly api: ApiStandIn) {}

  async run<T>(mode: ImportMode | undefined, action: () => Promise<T>): Promise<T> {
    if (mode === undefined) return action();
    const key = JSON.stringify(mode);
    while (this.users > 0 && this.current !== key) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.users === 0) {
      this.current = key;
      this.api.setMode({ import: mode });
    }
    this.users++;
    try {
      return await action();
    } finally {
      this.users--;
      if (this.users === 0) for (const resolve of this.waiting.splice(0)) resolve();
    }
  }
}

/** Values that are random or timed, by key, anywhere in data.json. */
const VOLATILE: Readonly<Record<string, string>> = {
  appId: '<uuid>',
  accessToken: '<access token>',
  lastSyncHash: '<sync hash>',
  lastGroupSync: '<time>',
  lastUserSync: '<time>',
};

function normaliseValue(key: string, value: unknown, parent: string): unknown {
  if (parent === 'accountActivity' && typeof value === 'number') return '<time>';
  if (typeof value === 'string' && key in VOLATILE) return VOLATILE[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [child, inner] of Object.entries(value)) out[child] = normaliseValue(child, inner, key);
  return out;
}

/** data.json as text with volatile values replaced and the stand-in's keys left out (key order kept). */
function normalisedData(file: string): string {
  if (!fs.existsSync(file)) return '(none)';
  const text = fs.readFileSync(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return `(unparsable) ${text}`;
  }
  const top = normaliseValue('', data, '') as Record<string, unknown>;
  for (const key of Object.keys(top)) if (key.startsWith('standin')) delete top[key];
  return JSON.stringify(top, null, 2) + (text.endsWith('\n') ? '\n' : '');
}

/**
 * stderr with the instance folder as <appdata> and, in a crash, the location header and the
 * stack frames replaced (a header Node prints from its own internals is kept).
 */
function normaliseStderr(text: string, folder: string): string {
  const lines = text.split(folder).join('<appdata>').split('\n');
  if (!/\nNode\.js v[\d.]+\n$/.test(text)) return lines.join('\n');
  const error = lines.findIndex((line) => /^\[?\w*Error\b/.test(line));
  const header = error > 0 ? lines.slice(0, error) : [];
  const kept = header.length > 0 && header[0]!.startsWith('node:internal/') ? header : ['<where it was thrown>', ''];
  const body: string[] = [];
  for (const line of lines.slice(Math.max(error, 0))) {
    if (/^ {4}at /.test(line)) {
      if (body.at(-1) !== '    at <stack frames>') body.push('    at <stack frames>');
    } else {
      body.push(line);
    }
  }
  return [...kept, ...body].join('\n');
}

function outcomeOf(run: BwdcRun, folder: string, before?: string): Outcome {
  const file = dataJsonPath(folder);
  const backup = `${file}.bak`;
  return {
    status: run.status,
    stdout: run.stdout.split(folder).join('<appdata>'),
    stderr: normaliseStderr(run.stderr, folder),
    data: normalisedData(file),
    mode: fs.existsSync(file) ? (fs.statSync(file).mode & 0o777).toString(8) : '(none)',
    files: fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [],
    ...(fs.existsSync(backup) ? { backup: fs.readFileSync(backup, 'utf8') } : {}),
    ...(before !== undefined ? { before } : {}),
    ms: run.ms,
  };
}

/**
 * A JSON text's shape: objects with their keys in order, lists as their length and the distinct
 * shapes of their elements, other values as their type. Not JSON: the text itself.
 */
function jsonShape(text: string): string {
  const shape = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      const kinds = [...new Set(value.map((element) => JSON.stringify(shape(element))))].map((kind) => JSON.parse(kind) as unknown);
      return { length: value.length, elements: kinds };
    }
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]));
    return value === null ? 'null' : typeof value;
  };
  try {
    return `${JSON.stringify(shape(JSON.parse(text)))}${text.endsWith('\n') ? '\n' : ''} (lines: ${text.split('\n').length})`;
  } catch {
    return text;
  }
}

/** Sets (or, when undefined, removes) top-level keys, keeping the file's trailing newline and mode. */
function setKeys(folder: string, keys: Readonly<Record<string, unknown>>): void {
  const file = dataJsonPath(folder);
  const text = fs.readFileSync(file, 'utf8');
  const data = JSON.parse(text) as Record<string, unknown>;
  for (const [key, value] of Object.entries(keys)) {
    if (value === undefined) delete data[key];
    else data[key] = value;
  }
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + (text.endsWith('\n') ? '\n' : ''));
}

/** What the desktop app's `config server` leaves: L3 its own environmentUrls, L2 global's base. */
function setServer(folder: string, url: string): void {
  editDataJson(folder, (data, layout) => {
    if (layout === 'L3') data.environmentUrls = { base: url, api: null, identity: null, webVault: null };
  });
  setServerUrl(folder, url);
}

function copyFolder(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true, mode: 0o700 });
  fs.copyFileSync(dataJsonPath(from), dataJsonPath(to));
}

function breakDataJson(folder: string): void {
  const file = dataJsonPath(folder);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^\{/, '{ oops'));
}

describe('the bwdc stand-in answers like the real bwdc', function () {
  if (!Array.isArray(located)) {
    it(`is skipped: ${(located as { skip: string }).skip}`, function () {
      this.skip();
    });
    return;
  }
  const releases = located as readonly RealBwdc[];

  let root: string;
  let slapd: Slapd;
  let api: ApiStandIn;
  const transcripts = new Map<string, Transcript>();
  let started = 0;

  before(async function () {
    started = Date.now();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-conformance-')));
    const standin = path.join(root, 'bwdc-standin');
    fs.writeFileSync(standin, `#!${process.execPath}\n${fs.readFileSync(STANDIN_SOURCE, 'utf8')}`, { mode: 0o755 });
    slapd = await startSlapd();
    api = await startApiStandIn({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const gate = new ModeGate(api);
    const closedUrl = `http://127.0.0.1:${await freePort()}`;

    const runRelease = async (bwdc: RealBwdc): Promise<void> => {
      const steps = STEPS.filter((step) => step.release === undefined || bwdc.version.startsWith(step.release));
      const fake: RealBwdc = { version: bwdc.version, path: standin };
      const record = path.join(root, `standin-${bwdc.version}.jsonl`);
      const sides = { real: path.join(root, 'real', bwdc.version), standin: path.join(root, 'standin', bwdc.version) };
      const folderOf = (side: keyof typeof sides, folder: Folder): string => path.join(sides[side], folder);
      const constant = { standinRelease: bwdc.version, standinUsers: slapd.users.length, standinGroups: slapd.groups.length };
      const real: Outcome[] = [];
      const fakeOutcomes: Outcome[] = [];
      let initialMain: { readonly text: string; readonly mode: number } | undefined;

      const envOf = (step: Step): Record<string, string | undefined> => ({
        ...(step.credentials ? { BW_CLIENTID: CLIENT_ID, BW_CLIENTSECRET: step.credentials === 'wrong' ? `${CLIENT_SECRET}x` : CLIENT_SECRET } : {}),
        ...(step.plaintext === false ? { BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS: undefined } : {}),
      });

      /** Folders a step needs that do not exist yet, made the same way on both sides. */
      const prepare = (side: keyof typeof sides, folder: Folder): void => {
        const target = folderOf(side, folder);
        if (fs.existsSync(target)) return;
        if (folder === 'empty') {
          fs.mkdirSync(target, { recursive: true, mode: 0o700 });
          return;
        }
        if (folder === 'main') {
          // Both sides start from the data.json the real release created, configured as the
          // desktop app leaves it (instance.ts), not logged in.
          if (side === 'real') {
            copyFolder(folderOf('real', 'empty'), target);
            setServer(target, api.url);
            writeDirectorySettings({ bwdc, appData: target, serverUrl: api.url, organizationId: ORGANIZATION_ID, ldap: slapd });
            const file = dataJsonPath(target);
            // As an admin would keep a file that will hold the client secret; whether bwdc
            // keeps that mode when it rewrites the file is part of the comparison.
            fs.chmodSync(file, 0o600);
            initialMain = { text: fs.readFileSync(file, 'utf8'), mode: fs.statSync(file).mode & 0o777 };
          } else {
            assert.ok(initialMain, 'the real side prepared the main folder first');
            fs.mkdirSync(target, { recursive: true, mode: 0o700 });
            fs.writeFileSync(dataJsonPath(target), initialMain.text, { mode: initialMain.mode });
            fs.chmodSync(dataJsonPath(target), initialMain.mode);
            setKeys(target, constant);
          }
          return;
        }
        copyFolder(folderOf(side, 'main'), target);
        if (folder === 'unreachable') setServer(target, closedUrl);
        if (folder === 'broken') breakDataJson(target);
      };

      for (const step of steps) {
        prepare('real', step.folder);
        const folder = folderOf('real', step.folder);
        const before = step.folder === 'broken' ? fs.readFileSync(dataJsonPath(folder), 'utf8') : undefined;
        const run = await gate.run(step.import, () => runBwdc(bwdc, step.args, { appData: folder, env: envOf(step), timeoutMs: 60_000 }));
        real.push(outcomeOf(run, folder, before));
      }
      for (const step of steps) {
        prepare('standin', step.folder);
        const folder = folderOf('standin', step.folder);
        if (fs.existsSync(dataJsonPath(folder)) && step.folder !== 'broken') {
          setKeys(folder, { standinLogin: undefined, standinImport: undefined, ...step.standin });
        }
        const before = step.folder === 'broken' ? fs.readFileSync(dataJsonPath(folder), 'utf8') : undefined;
        // Without data.json (the empty folder) the release comes from the environment.
        const env = { ...envOf(step), BWDC_STANDIN_RECORD: record, ...(step.folder === 'empty' ? { BWDC_STANDIN_RELEASE: bwdc.version } : {}) };
        const run = await runBwdc(fake, step.args, { appData: folder, env, timeoutMs: 30_000 });
        fakeOutcomes.push(outcomeOf(run, folder, before));
      }
      const recorded = fs.existsSync(record) ? fs.readFileSync(record, 'utf8').split('\n').filter(Boolean).length : 0;
      transcripts.set(bwdc.version, { real, standin: fakeOutcomes, standinCalls: steps.length, recorded });
    };

    await Promise.all(releases.map(runRelease));
  });

  after(async function () {
    await api?.stop();
    await slapd?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    if (transcripts.size > 0) {
      // The raw material, for a look when a comparison fails (or passes suspiciously).
      const out = path.join(repoRoot(), 'test-results', 'realbwdc');
      fs.mkdirSync(out, { recursive: true });
      const record = Object.fromEntries(
        [...transcripts].map(([version, t]) => [
          version,
          STEPS.filter((step) => step.release === undefined || version.startsWith(step.release)).map((step, index) => ({
            situation: step.situation,
            args: step.args,
            real: t.real[index],
            standin: t.standin[index],
          })),
        ]),
      );
      const text = JSON.stringify(record, null, 2).split(CLIENT_SECRET).join('<client secret>').split(slapd.bindPassword).join('<ldap password>');
      fs.writeFileSync(path.join(out, 'conformance.json'), `${text}\n`);
    }
    if (started > 0) {
      const calls = [...transcripts.values()].reduce((sum, t) => sum + t.real.length, 0);
      const realMs = [...transcripts.values()].flatMap((t) => t.real.map((o) => o.ms));
      const standinMs = [...transcripts.values()].flatMap((t) => t.standin.map((o) => o.ms));
      const sum = (list: number[]): number => list.reduce((a, b) => a + b, 0);
      process.stdout.write(
        `      conformance: ${((Date.now() - started) / 1000).toFixed(1)} s in all; ${calls} real bwdc calls (${(sum(realMs) / 1000).toFixed(1)} s of calls, two releases at once), ${standinMs.length} stand-in calls (${(sum(standinMs) / 1000).toFixed(1)} s)\n`,
      );
    }
  });

  for (const bwdc of releases) {
    describe(`bwdc ${bwdc.version} and the stand-in with standinRelease "${bwdc.version}"`, function () {
      const steps = STEPS.filter((step) => step.release === undefined || bwdc.version.startsWith(step.release));
      steps.forEach((step, index) => {
        it(`${step.situation}: \`bwdc ${step.args.join(' ')}\``, function () {
          const transcript = transcripts.get(bwdc.version);
          assert.ok(transcript, 'the sequence did not run');
          const real = transcript.real[index]!;
          const fake = transcript.standin[index]!;
          const shown = (o: Outcome): unknown => ({
            status: o.status,
            stdout: step.shape ? jsonShape(o.stdout) : o.stdout,
            stderr: o.stderr,
            data: o.data,
            mode: o.mode,
            files: o.files,
          });
          if (step.folder === 'broken') {
            // data.json.bak: the real bwdc races an asynchronous copy against the truncation and
            // rewrite of data.json, so its backup holds the original bytes, `{}`, nothing, or a
            // torn mix (seen in a clean-clone run of 2026-12-04: `{}` followed by the tail of the
            // defaults it wrote); only that there is one is stable. The stand-in keeps the original.
            assert.ok(real.backup !== undefined, 'the real bwdc wrote a data.json.bak');
            assert.strictEqual(fake.backup, fake.before, 'the stand-in keeps the original bytes in data.json.bak');
            // The same race decides whether the real bwdc also prints "Error while creating data
            // file backup …" (two lines), and once (2026.4.0, under load on 2026-12-04) it had not
            // exited after the 60 s limit (status null). Compared: everything else, and exit 1
            // whenever it did exit.
            const racy = (o: Outcome): unknown => ({
              ...(shown(o) as object),
              status: o.status === null ? 1 : o.status,
              stderr: o.stderr
                .split('\n')
                .filter(
                  (line, index, lines) =>
                    !line.startsWith('Error while creating data file backup') &&
                    !(index > 0 && lines[index - 1]!.startsWith('Error while creating data file backup')),
                )
                .join('\n'),
            });
            assert.deepStrictEqual(racy(fake), racy(real));
            return;
          }
          assert.deepStrictEqual(shown(fake), shown(real));
        });
      });
      it('the stand-in recorded every call', function () {
        const transcript = transcripts.get(bwdc.version);
        assert.ok(transcript);
        assert.strictEqual(transcript.recorded, transcript.standinCalls);
      });
      it('not compared (each costs a real call killed after 10 s; sync.test.ts has the real import hang): standinLogin/standinImport "hang" stay silent until killed', async function () {
        const folder = path.join(root, 'standin', bwdc.version, 'hang');
        const standin: RealBwdc = { version: bwdc.version, path: path.join(root, 'bwdc-standin') };
        const cases: readonly [readonly string[], Readonly<Record<string, unknown>>][] = [
          [['login'], { standinLogin: 'hang', standinImport: undefined }],
          [['sync'], { standinLogin: undefined, standinImport: 'hang' }],
        ];
        for (const [args, keys] of cases) {
          fs.rmSync(folder, { recursive: true, force: true });
          copyFolder(path.join(root, 'standin', bwdc.version, 'main'), folder);
          setKeys(folder, keys);
          if (args[0] === 'sync') {
            const login = await runBwdc(standin, ['login'], { appData: folder, env: { BW_CLIENTID: CLIENT_ID, BW_CLIENTSECRET: CLIENT_SECRET } });
            assert.strictEqual(login.status, 0, login.stderr);
            // A change to import: the main folder's last sync stored the hash of these counts.
            setKeys(folder, { standinUsers: slapd.users.length + 1 });
          }
          const run = await runBwdc(standin, args, { appData: folder, env: { BW_CLIENTID: CLIENT_ID, BW_CLIENTSECRET: CLIENT_SECRET }, timeoutMs: 1_500 });
          assert.strictEqual(run.timedOut, true, `${args.join(' ')} ended: ${run.status} ${run.stdout}${run.stderr}`);
          assert.strictEqual(`${run.stdout}${run.stderr}`, '');
        }
        assert.strictEqual(layoutOf(readDataJson(folder)), bwdc.version.startsWith('2026.4.') ? 'L2' : 'L3');
      });
    });
  }
});
