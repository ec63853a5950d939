import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scheduleHover } from '../../../src/core/schedule/hover';
import { scheduleInstances } from '../../../src/core/schedule/instances';
import { resolveJob } from '../../../src/core/schedule/job';
import { checkDataJsonFile } from '../../../src/host/dataJsonFile';
import { run } from '../cli/fakeIo';

const CORPUS = path.resolve(__dirname, '../../../../test/fixtures/datajson/corpus');
const corpus = (name: string): string => fs.readFileSync(path.join(CORPUS, name), 'utf8');
/** The corpus's LDAP file without its CA path, which does not exist on this machine. */
const cleanLdap = (): string => {
  const data = JSON.parse(corpus('l3-ldap.json')) as { directoryLdap: Record<string, unknown> };
  delete data.directoryLdap['sslCaPath'];
  return `${JSON.stringify(data, null, 2)}\n`;
};
const ORG = '6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';

function schedule(lines: readonly string[]): string {
  return [
    'name nightly',
    'schedule 0 2 * * *',
    'platform linux',
    'bwdc /usr/local/bin/bwdc',
    `client-id organization.${ORG}`,
    'secret file:/srv/bwdc/secret',
    ...lines,
    '',
  ].join('\n');
}

describe("a schedule's instance folders", () => {
  it('resolves them against the schedule file, in order, without repeats, with the secrets mode of its env lines', () => {
    const text = schedule(['instance ./a', 'instance /srv/b/', 'instance ./a', 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true']);
    assert.deepStrictEqual(scheduleInstances(text, '/srv/bwdc/nightly.bwdc-schedule', 'linux'), {
      folders: [
        { folder: '/srv/bwdc/a', dataJson: '/srv/bwdc/a/data.json', line: 6 },
        { folder: '/srv/b', dataJson: '/srv/b/data.json', line: 7 },
      ],
      plaintextSecrets: true,
    });
  });

  it('is the same list the sync job runs: `./a` and `./a/` are one folder there too', () => {
    const text = schedule(['instance ./a', 'instance ./a/', 'instance /']);
    const job = resolveJob(text, { scheduleFile: '/srv/bwdc/nightly.bwdc-schedule', hostPlatform: 'linux' }).job;
    assert.ok(job);
    assert.deepStrictEqual(job.instances, ['/srv/bwdc/a', '/']);
    assert.deepStrictEqual(
      scheduleInstances(text, '/srv/bwdc/nightly.bwdc-schedule', 'linux').folders.map((f) => f.folder),
      job.instances,
    );
  });

  it('takes the last PLAINTEXT_SECRETS line, and only the exact string true, as bwdc does', () => {
    const modes = [
      ['env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true', 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=false'],
      ['env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=TRUE'],
      ['env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=1'],
      [],
    ].map((lines) => scheduleInstances(schedule(lines), '/srv/x.bwdc-schedule', 'linux').plaintextSecrets);
    assert.deepStrictEqual(modes, [false, false, false, false]);
  });

  it('names no folders of another platform, nor relative ones of an unsaved file', () => {
    const windows = schedule(['instance C:\\ProgramData\\bwdc']).replace('platform linux', 'platform windows');
    assert.deepStrictEqual(scheduleInstances(windows, '/srv/x.bwdc-schedule', 'linux').folders, []);
    assert.deepStrictEqual(scheduleInstances(schedule(['instance ./a']), undefined, 'linux').folders, []);
  });
});

describe('checking a data.json file on this machine', () => {
  let folder: string;
  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-datajson-host-'));
  });
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('reads the file, with its mode: plaintext secrets readable by others are reported with the mode', () => {
    const file = path.join(folder, 'data.json');
    fs.writeFileSync(file, corpus('l3-ldap-secret-in-file.json'), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const codes = checkDataJsonFile(file)!.diagnostics.map((d) => d.code);
    assert.ok(codes.includes('data-secret-readable'), codes.join(', '));
    assert.ok(
      checkDataJsonFile(file)!
        .diagnostics.find((d) => d.code === 'data-secret-readable')!
        .message.includes('644'),
    );
    fs.chmodSync(file, 0o600);
    assert.ok(!checkDataJsonFile(file)!.diagnostics.some((d) => d.code === 'data-secret-readable'));
  });

  it('is undefined for a missing file or a folder, and never writes', () => {
    assert.strictEqual(checkDataJsonFile(path.join(folder, 'data.json')), undefined);
    assert.strictEqual(checkDataJsonFile(folder), undefined);
    assert.deepStrictEqual(fs.readdirSync(folder), []);
  });

  it('reports a byte order mark the editor hides, with first-line ranges as the editor counts them and no fix that would edit the wrong character', () => {
    const file = path.join(folder, 'data.json');
    const clean = cleanLdap();
    fs.writeFileSync(file, `\uFEFF${clean}`);
    const fromDisk = checkDataJsonFile(file)!;
    const inEditor = checkDataJsonFile(file, { text: clean })!;
    assert.deepStrictEqual(
      fromDisk.diagnostics.map((d) => d.code),
      ['data-json-bom'],
    );
    assert.deepStrictEqual(
      inEditor.diagnostics.map((d) => d.code),
      ['data-json-bom'],
    );
    const bom = inEditor.diagnostics[0]!;
    assert.deepStrictEqual(bom.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } });
    assert.strictEqual(bom.fixes, undefined, 'removing the mark in the editor would delete the {');
    // Without a mark on disk, the editor's text is judged as it is.
    fs.writeFileSync(file, clean);
    assert.deepStrictEqual(checkDataJsonFile(file, { text: clean })!.diagnostics, []);
  });

  it('judges secrets in the mode it is given', () => {
    const file = path.join(folder, 'data.json');
    fs.writeFileSync(file, cleanLdap(), { mode: 0o600 });
    assert.deepStrictEqual(checkDataJsonFile(file, { plaintextSecrets: false })!.diagnostics, []);
    assert.deepStrictEqual(
      checkDataJsonFile(file, { plaintextSecrets: true })!.diagnostics.map((d) => d.code),
      ['data-secret-placeholder'],
    );
  });
});

describe('the hover on an instance line', () => {
  it("adds the folder's data.json description when there is one", () => {
    const text = schedule(['instance /srv/bwdc/a']);
    const result = scheduleHover(
      text,
      { line: 6, character: 12 },
      {
        nextRunCount: 5,
        now: 0,
        hostZone: 'UTC',
        hostPlatform: 'linux',
        scheduleFile: '/srv/bwdc/nightly.bwdc-schedule',
        pathKind: (file) => (file === '/srv/bwdc/a' ? 'directory' : file === '/srv/bwdc/a/data.json' ? 'file' : 'missing'),
        describeInstance: (file) => `described ${file}`,
      },
    );
    assert.ok(result);
    assert.ok(result.markdown.endsWith('data.json is present.\n\n---\n\ndescribed /srv/bwdc/a/data.json'), result.markdown);
  });
});

describe('bwdc-schedule check on data.json files', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-datajson-cli-'));
  after(() => fs.rmSync(folder, { recursive: true, force: true }));
  fs.mkdirSync(path.join(folder, 'instance-1'));
  fs.writeFileSync(path.join(folder, 'instance-1', 'data.json'), cleanLdap(), { mode: 0o600 });
  fs.writeFileSync(path.join(folder, 'plain.bwdc-schedule'), schedule(['instance ./instance-1', 'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true']));
  const pathKind = (file: string): 'file' | 'directory' | 'missing' =>
    file.startsWith(folder) ? (fs.existsSync(file) ? (fs.statSync(file).isDirectory() ? 'directory' : 'file') : 'missing') : 'file';

  it('prints nothing for a clean file in secure mode', () => {
    assert.deepStrictEqual(run(['check', 'instance-1/data.json'], { cwd: folder, pathKind }), { code: 0, stdout: '', stderr: '' });
  });

  it('judges it in plaintext mode when a schedule in the same command says so, or with --plaintext-secrets', () => {
    const viaSchedule = run(['check', 'plain.bwdc-schedule', 'instance-1/data.json'], { cwd: folder, pathKind });
    const viaFlag = run(['check', '--plaintext-secrets', 'instance-1/data.json'], { cwd: folder, pathKind });
    for (const result of [viaSchedule, viaFlag]) {
      assert.strictEqual(result.code, 1, result.stdout);
      assert.match(result.stdout, /^instance-1\/data\.json:\d+:\d+: error data-secret-placeholder: /m);
    }
  });

  it('keeps a byte order mark in a data.json (bwdc would reset the file) and prints --json like for schedules', () => {
    fs.writeFileSync(path.join(folder, 'bom.json'), `\uFEFF${cleanLdap()}`);
    const result = run(['check', '--json', 'bom.json'], { cwd: folder, pathKind });
    assert.strictEqual(result.code, 1);
    const printed = JSON.parse(result.stdout) as { file: string; line: number; column: number; code: string; severity: string }[];
    assert.deepStrictEqual(
      printed.map(({ file, line, column, code, severity }) => ({ file, line, column, code, severity })),
      [{ file: 'bom.json', line: 1, column: 1, code: 'data-json-bom', severity: 'error' }],
    );
  });

  it('says which file it cannot read and exits 2', () => {
    const result = run(['check', 'missing/data.json'], { cwd: folder, pathKind });
    assert.deepStrictEqual(result, { code: 2, stdout: '', stderr: 'bwdc-schedule: missing/data.json: cannot read it (no such file)\n' });
  });
});
