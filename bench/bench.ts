/**
 * `npm run bench`: what bwdc Schedule costs the editor, measured on this machine, several runs
 * each, medians and spread, against the budgets of the performance issue. `--json` prints one
 * object with a `budgets` array and the raw figures. Budgets are goals for the code: this
 * reports whether they are met and always exits 0 unless measuring itself failed.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CronExpressionParser } from 'cron-parser';
import cronstrue from 'cronstrue/i18n';
import { nextRuns } from '../src/core/cron/next';
import { parseCron } from '../src/core/cron/parse';
import { TimeZone } from '../src/core/cron/zone';
import { validateDataJson } from '../src/core/datajson/validate';
import { parseHistory, type HistoryOptions } from '../src/core/history/parse';
import { diagnoseSchedule } from '../src/core/schedule/diagnose';
import { scheduleHover } from '../src/core/schedule/hover';
import { resolveJob } from '../src/core/schedule/job';
import { generateScript } from '../src/core/script/generate';
import { startApiStandIn, type ApiStandIn } from '../test/realbwdc/apiStandIn';
import { prepareInstance } from '../test/realbwdc/instance';
import { locateRealBwdc, type RealBwdc } from '../test/realbwdc/realbwdc';
import { startSlapd, type Slapd } from '../test/realbwdc/slapd';
import { corpus } from './corpus';
import { historyLog } from './historyLog';

const root = path.resolve(__dirname, '..', '..');
const json = process.argv.includes('--json');
const NOW = Date.parse('2026-11-23T09:00:00Z');

interface Budget {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly budget: number;
  readonly met: boolean;
}

const budgets: Budget[] = [];
const figures: Record<string, unknown> = {};
const budget = (name: string, value: number, unit: string, limit: number): void => {
  budgets.push({ name, value: round(value), unit, budget: limit, met: value <= limit });
};

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

function summary(samples: readonly number[]): { median: number; min: number; max: number; p99: number; runs: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: round(quantile(sorted, 0.5)),
    min: round(sorted[0]!),
    max: round(sorted[sorted.length - 1]!),
    p99: round(quantile(sorted, 0.99)),
    runs: sorted.length,
  };
}

function time(action: () => unknown): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function log(line: string): void {
  if (!json) process.stdout.write(`${line}\n`);
}

// --- bundle ---------------------------------------------------------------------------------
function measureBundle(): void {
  const size = (file: string): number => fs.statSync(path.join(root, file)).size;
  const bundle = {
    extension: size('dist/extension.js'),
    language: size('dist/language.js'),
    commands: size('dist/commands.js'),
    cli: size('dist/cli.js'),
    cronstrueI18n: size('dist/cronstrue-i18n.js'),
    vsix: size('dist/bwdc-schedule.vsix'),
  };
  figures['bundleBytes'] = bundle;
  budget('dist/extension.js + dist/language.js (minified; what opening a schedule file loads)', (bundle.extension + bundle.language) / 1024, 'KB', 300);
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
  log(
    `bundle      extension.js ${kb(bundle.extension)} (at activation), language.js ${kb(bundle.language)} (first schedule file or data.json), commands.js ${kb(bundle.commands)} (first command), cronstrue-i18n.js ${kb(bundle.cronstrueI18n)} (first hover), cli.js ${kb(bundle.cli)}, .vsix ${kb(bundle.vsix)}`,
  );
}

// --- activation -----------------------------------------------------------------------------
/**
 * The yardstick of the activation ratio: bench/minimal/extension.ts, bundled with the options
 * `npm run package` uses for dist/extension.js (scripts/build.mjs --production), so both pay the
 * same Node, disk and machine; what differs is our extension's own weight.
 */
function buildMinimalExtension(): string {
  const outfile = path.join(root, 'out', 'bench', 'minimal-extension.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a devDependency the shipped code never loads
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({
    entryPoints: [path.join(root, 'bench', 'minimal', 'extension.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    external: ['vscode'],
  });
  return outfile;
}

function measureActivation(): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { activationEvents?: string[] };
  const startup = (manifest.activationEvents ?? []).filter((event) => event === '*' || event === 'onStartupFinished');
  figures['activationEvents'] = manifest.activationEvents;
  const minimal = buildMinimalExtension();
  const child = (bundle: string, ...flags: string[]): { total: number; load: number; activate: number; firstHover?: number } => {
    const run = spawnSync(process.execPath, [path.join(__dirname, 'activation-child.js'), bundle, ...flags], { encoding: 'utf8', cwd: root });
    if (run.status !== 0) throw new Error(`activation measurement of ${path.relative(root, bundle)} failed: ${run.stderr}`);
    return JSON.parse(run.stdout);
  };
  // Interleaved, so that a busy moment of the machine falls on both.
  const ours: { total: number; load: number; activate: number; firstHover?: number }[] = [];
  const yardstick: { total: number }[] = [];
  for (let i = 0; i < 21; i++) {
    ours.push(child(path.join(root, 'dist/extension.js')));
    yardstick.push(child(minimal, '--no-hover'));
  }
  const total = summary(ours.map((r) => r.total));
  const minimalTotal = summary(yardstick.map((r) => r.total));
  const firstHover = summary(ours.map((r) => r.firstHover ?? NaN));
  const ratio = total.median / minimalTotal.median;
  figures['activation'] = {
    loadAndActivate: total,
    load: summary(ours.map((r) => r.load)),
    activate: summary(ours.map((r) => r.activate)),
    minimalLoadAndActivate: minimalTotal,
    ratio: round(ratio),
    firstHover,
    startupEvents: startup,
  };
  budget('activation: load + activate() / a minimal extension bundled the same way', ratio, 'ratio', 1.5);
  budget('activation events at VS Code start-up', startup.length, 'count', 0);
  log(
    `activation  load + activate() median ${total.median} ms (min ${total.min}, max ${total.max}); the minimal extension ${minimalTotal.median} ms (min ${minimalTotal.min}, max ${minimalTotal.max}); ratio ${round(ratio)}; ${total.runs} fresh processes each; start-up events: ${startup.length ? startup.join(', ') : 'none'}`,
  );
  log(`            first hover (loads the language core and cronstrue) median ${firstHover.median} ms (min ${firstHover.min}, max ${firstHover.max})`);
}

// --- hover ----------------------------------------------------------------------------------
function measureHover(expressions: readonly string[]): void {
  const options = { nextRunCount: 5, now: NOW, hostZone: 'Europe/Berlin', hostPlatform: 'linux' as const };
  const hoverSamples: number[] = [];
  const floorSamples: number[] = [];
  const rounds = 15;
  const floor = (expression: string): void => {
    try {
      cronstrue.toString(expression, { throwExceptionOnParseError: false });
    } catch {
      // some forms make cronstrue throw even so; the attempt is the cost
    }
    try {
      const iterator = CronExpressionParser.parse(expression, { currentDate: new Date(NOW), tz: 'Europe/Berlin' });
      for (let i = 0; i < 5; i++) iterator.next();
    } catch {
      // cron-parser rejects @reboot, @midnight, reversed ranges and Feb 30: the attempt is the cost
    }
  };
  const documents = expressions.map((expression) => `schedule ${expression}\n`);
  // Warm up both sides (JIT, caches, locale data), as in an editor that has shown a hover before.
  for (let i = 0; i < 3; i++) {
    for (const [index, expression] of expressions.entries()) {
      scheduleHover(documents[index]!, { line: 0, character: 10 }, options);
      floor(expression);
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (const [index, expression] of expressions.entries()) {
      hoverSamples.push(time(() => scheduleHover(documents[index]!, { line: 0, character: 10 }, options)));
      floorSamples.push(time(() => floor(expression)));
    }
  }
  const hover = summary(hoverSamples);
  const rawFloor = summary(floorSamples);
  figures['hover'] = {
    expressions: expressions.length,
    samplesPerSide: hoverSamples.length,
    hover,
    rawFloor,
    ratioP50: round(hover.median / rawFloor.median),
    ratioP99: round(hover.p99 / rawFloor.p99),
  };
  budget('warm hover p99', hover.p99, 'ms', 2);
  budget('warm hover p99 / raw floor p99 (cronstrue + 5 × cron-parser next)', hover.p99 / rawFloor.p99, 'ratio', 1.3);
  log(`hover       ${expressions.length} expressions × ${rounds}: p50 ${hover.median} ms, p99 ${hover.p99} ms, max ${hover.max} ms`);
  log(
    `            raw floor (cronstrue.toString + 5 × cron-parser next): p50 ${rawFloor.median} ms, p99 ${rawFloor.p99} ms; ratio p50 ${round(hover.median / rawFloor.median)}, p99 ${round(hover.p99 / rawFloor.p99)}`,
  );
}

// --- diagnostics ----------------------------------------------------------------------------
export function scheduleFileOfLines(lines: number): string {
  const body = [
    '# generated for the benchmark',
    'name bench',
    'client-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    'secret file:/home/bwdc/.config/bwdc/client_secret',
    'timezone Europe/Berlin',
  ];
  const cycle = [
    'schedule */15 9-17 * * mon-fri',
    '# a comment line',
    'instance ./instance-%',
    'schedule 30 4 1,15 * 5',
    'env NODE_EXTRA_CA_CERTS=/etc/ssl/ca-%.pem',
    'schedule 0 0 31 2 *',
    '',
  ];
  for (let i = 0; body.length < lines; i++) body.push(cycle[i % cycle.length]!.replace('%', String(i)));
  return `${body.slice(0, lines).join('\n')}\n`;
}

function measureDiagnostics(): void {
  const context = { scheduleFile: '/srv/bwdc/bench.bwdc-schedule', hostPlatform: 'linux' as const, pathKind: () => 'directory' as const };
  const sizes = [10, 1000, 5000];
  const results: Record<string, ReturnType<typeof summary>> = {};
  for (const lines of sizes) {
    const text = scheduleFileOfLines(lines);
    for (let i = 0; i < 3; i++) diagnoseSchedule(text, context);
    results[String(lines)] = summary(Array.from({ length: 15 }, () => time(() => diagnoseSchedule(text, context))));
  }
  const perThousand = (lines: number): number => (results[String(lines)]!.median / lines) * 1000;
  const growth = perThousand(5000) / perThousand(1000);
  figures['diagnostics'] = {
    lines: results,
    msPer1000Lines: { 1000: round(perThousand(1000)), 5000: round(perThousand(5000)) },
    growth5000vs1000: round(growth),
  };
  budget('diagnose a 5,000-line schedule file', results['5000']!.median, 'ms', 50);
  budget('diagnostics growth: time per line at 5,000 / at 1,000 lines', growth, 'ratio', 1.5);
  log(
    `diagnostics 10 lines ${results['10']!.median} ms, 1,000 lines ${results['1000']!.median} ms, 5,000 lines ${results['5000']!.median} ms (per 1,000 lines: ${round(perThousand(1000))} → ${round(perThousand(5000))} ms)`,
  );
  log('            (instance folders answered from memory; on disk each is one stat)');
}

/** A 1 MB data.json: an L3 LDAP file with `fill` making up the size (long tokens, or many keys). */
export function dataJsonOfSize(bytes: number, fill: 'long-values' | 'many-keys'): string {
  const data: Record<string, unknown> = {
    stateVersion: 6,
    directoryType: 0,
    organizationId: '6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11',
    directoryLdap: {
      ssl: true,
      startTls: false,
      hostname: 'dc1.corp.example',
      port: 636,
      rootPath: 'dc=corp,dc=example',
      username: 'cn=bwdc,dc=corp,dc=example',
      password: '[STORED SECURELY]',
      ad: true,
      pagedSearch: true,
    },
    sync: {
      users: true,
      groups: true,
      interval: 5,
      removeDisabled: false,
      overwriteExisting: false,
      largeImport: true,
      userFilter: '(memberOf=cn=bitwarden,ou=groups,dc=corp,dc=example)',
    },
    lastUserSync: '2026-11-22T02:00:01.123Z',
  };
  const base = JSON.stringify(data, null, 2).length;
  if (fill === 'long-values') {
    data['userDeltaToken'] = 'a'.repeat(Math.max(0, (bytes - base) / 2));
    data['groupDeltaToken'] = 'b'.repeat(Math.max(0, (bytes - base) / 2));
  } else {
    for (let i = 0; JSON.stringify(data, null, 2).length < bytes && i < 1e6; i++) {
      for (let j = 0; j < 1000; j++) data[`leftover-${i}-${j}`] = `value ${i}-${j}`;
    }
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}

function measureDataJson(): void {
  const results: Record<string, ReturnType<typeof summary> & { bytes: number }> = {};
  for (const fill of ['long-values', 'many-keys'] as const) {
    const text = dataJsonOfSize(1024 * 1024, fill);
    for (let i = 0; i < 3; i++) validateDataJson(text);
    results[fill] = { bytes: text.length, ...summary(Array.from({ length: 15 }, () => time(() => validateDataJson(text)))) };
  }
  figures['dataJson'] = results;
  budget('validate a 1 MB data.json (long values)', results['long-values']!.median, 'ms', 100);
  budget('validate a 1 MB data.json (tens of thousands of keys)', results['many-keys']!.median, 'ms', 200);
  log(
    `data.json   1 MB with long values ${results['long-values']!.median} ms (max ${results['long-values']!.max}), 1 MB of ${'many keys'} ${results['many-keys']!.median} ms (max ${results['many-keys']!.max})`,
  );
}

// --- worst case -----------------------------------------------------------------------------
function measureWorstCase(expressions: readonly string[]): void {
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'].map((name) => TimeZone.get(name)!);
  const specials = ['0 0 31 2 *', '0 0 30 2 *', '5-2 * * * *', '0 22-2 * * *', '0 0 29 2 1', '0 0 13 * 5', '0 0 29 2 */7', '0 0 * * 5-2', '0-59 2 * * *'];
  let worst = { expression: '', zone: '', ms: 0 };
  const rows: { expression: string; ms: number }[] = [];
  for (const expression of [...new Set([...specials, ...expressions])]) {
    const parsed = parseCron(expression).expression;
    if (!parsed) continue;
    for (const zone of zones) {
      nextRuns(parsed, NOW, 5, zone);
      const ms = Math.min(...Array.from({ length: 5 }, () => time(() => nextRuns(parsed, NOW, 5, zone))));
      if (specials.includes(expression) && zone.name === 'UTC') rows.push({ expression, ms: round(ms) });
      if (ms > worst.ms) worst = { expression, zone: zone.name, ms };
    }
  }
  figures['worstCase'] = { slowest: { ...worst, ms: round(worst.ms) }, specials: rows };
  budget('slowest expression: next 5 runs', worst.ms, 'ms', 20);
  log(`worst case  slowest: '${worst.expression}' in ${worst.zone}: ${round(worst.ms)} ms for 5 runs`);
  log(`            ${rows.map((row) => `'${row.expression}' ${row.ms} ms`).join(', ')}`);
}

// --- history --------------------------------------------------------------------------------
/** `bwdc-schedule history` over a 50 MB log (ten times what the script lets one file grow to). */
function measureHistory(): void {
  const text = historyLog(50 * 1024 * 1024);
  const options: HistoryOptions = {
    job: 'weekly-sync',
    instances: [
      { label: 'instance-1', folder: '/srv/bwdc/instance-1' },
      { label: 'instance-2', folder: '/srv/bwdc/instance-2' },
    ],
  };
  let runs = 0;
  const parse = (limit?: number): void => {
    const parsed = parseHistory([{ name: 'bwdc.log', text }], { ...options, ...(limit !== undefined ? { limit } : {}) });
    if ('notOurs' in parsed || parsed.skippedLines !== 0) throw new Error('the generated history log did not parse cleanly');
    runs = parsed.runs.length;
  };
  parse(10);
  const latest = summary(Array.from({ length: 7 }, () => time(() => parse(10))));
  const all = summary(Array.from({ length: 5 }, () => time(() => parse())));
  figures['history'] = { bytes: text.length, runs, latestTen: latest, allRuns: all };
  budget('history of a 50 MB log (the newest 10 runs)', latest.median, 'ms', 1000);
  log(
    `history     ${(text.length / 1024 / 1024).toFixed(0)} MB log of ${runs} runs: newest 10 ${latest.median} ms (max ${latest.max}), all ${all.median} ms (max ${all.max})`,
  );
}

// --- CLI ------------------------------------------------------------------------------------
function measureCli(): void {
  const example = path.join(root, 'example', 'weekly-sync.bwdc-schedule');
  const wallOf = (args: string[], env: NodeJS.ProcessEnv): ReturnType<typeof summary> => {
    const samples: number[] = [];
    for (let i = 0; i < 12; i++) {
      const start = process.hrtime.bigint();
      const child = spawnSync(process.execPath, args, { encoding: 'utf8', env });
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (child.status !== 0) throw new Error(`${args.join(' ')} failed: ${child.stdout}${child.stderr}`);
    }
    return summary(samples.slice(2));
  };
  // NODE_EXTRA_CA_CERTS and NODE_OPTIONS make every Node process pay before our first line
  // runs (a CA bundle is parsed at start-up); the budget is about the tool, so it is judged
  // without them, and the inherited figure is reported beside it.
  const clean = { ...process.env };
  delete clean['NODE_EXTRA_CA_CERTS'];
  delete clean['NODE_OPTIONS'];
  const check = ['dist/cli.js', 'check', example].map((part, index) => (index === 0 ? path.join(root, part) : part));
  const wall = wallOf(check, clean);
  const inherited = wallOf(check, process.env);
  const bareNode = wallOf(['-e', '0'], clean);
  figures['cli'] = {
    checkExampleWallMs: wall,
    checkExampleWallMsInheritedEnvironment: inherited,
    bareNodeStartMs: bareNode,
    inheritedExtraCaCerts: process.env['NODE_EXTRA_CA_CERTS'] ?? null,
  };
  budget('bwdc-schedule check on one file (wall, process start included)', wall.median, 'ms', 150);
  log(`cli         bwdc-schedule check example: median ${wall.median} ms wall (min ${wall.min}, max ${wall.max}); node -e 0 alone: ${bareNode.median} ms`);
  if (process.env['NODE_EXTRA_CA_CERTS'] || process.env['NODE_OPTIONS']) {
    log(`            with this shell's NODE_EXTRA_CA_CERTS/NODE_OPTIONS: ${inherited.median} ms (Node parses the CA bundle at every start)`);
  }
}

/**
 * The sync script against the real bwdc (test/realbwdc): how many bwdc calls one instance costs
 * (the floor is three: login, sync, logout) and how long, per release. Each call is a large Node
 * program starting (2–5 s here), so calls are what a run's time is made of.
 */
async function measureRealSync(): Promise<void> {
  const located = locateRealBwdc();
  if (!Array.isArray(located)) {
    log(`real bwdc   skipped: ${(located as { skip: string }).skip}`);
    return;
  }
  let slapd: Slapd | undefined;
  let api: ApiStandIn | undefined;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bwdc-bench-real-'));
  try {
    slapd = await startSlapd();
    const clientId = 'organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11';
    const secret = 'Bench0Secret1For2The3Real4Bwdc5';
    api = await startApiStandIn({ clientId, clientSecret: secret });
    const results: Record<string, unknown> = {};
    for (const bwdc of located as readonly RealBwdc[]) {
      const folder = path.join(scratch, bwdc.version);
      const instance = path.join(folder, 'instance');
      await prepareInstance({ bwdc, appData: instance, serverUrl: api.url, organizationId: clientId.slice('organization.'.length), ldap: slapd });
      fs.mkdirSync(path.join(folder, 'secret'), { mode: 0o700 });
      fs.writeFileSync(path.join(folder, 'secret', 'client_secret'), `${secret}\n`, { mode: 0o600 });
      // Counts calls without touching them: the wrapper execs the real bwdc in its own process.
      const counts = path.join(folder, 'calls');
      const wrapper = path.join(folder, 'bwdc');
      fs.writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${counts}'\nexec '${bwdc.path}' "$@"\n`, { mode: 0o755 });
      const scheduleFile = path.join(folder, 'bench.bwdc-schedule');
      const text = [
        'schedule 0 12 * * 1',
        'platform linux',
        `bwdc ${wrapper}`,
        `client-id ${clientId}`,
        `secret file:${path.join(folder, 'secret', 'client_secret')}`,
        `instance ${instance}`,
        'env BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true',
        `log ${path.join(folder, 'bwdc.log')}`,
      ].join('\n');
      const job = resolveJob(text, { scheduleFile, hostPlatform: 'linux' }).job!;
      fs.writeFileSync(job.script, generateScript(job, 'bench').text, { mode: 0o700 });
      const runs: { what: string; ms: number; calls: string[] }[] = [];
      for (const what of ['first sync (imports)', 'second sync (nothing changed)']) {
        fs.rmSync(counts, { force: true });
        const start = process.hrtime.bigint();
        const status = await new Promise<number | null>((resolve) =>
          spawn(job.script, [], { env: { PATH: '/usr/bin:/bin', HOME: folder, SHELL: '/bin/sh' }, stdio: 'ignore' }).on('close', resolve),
        );
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (status !== 0) throw new Error(`the sync script exited ${status}: ${fs.readFileSync(path.join(folder, 'bwdc.log'), 'utf8')}`);
        runs.push({ what, ms: round(ms), calls: fs.readFileSync(counts, 'utf8').trim().split('\n') });
      }
      results[bwdc.version] = runs;
      for (const run of runs)
        log(
          `real bwdc   ${bwdc.version}, one instance, ${run.what}: ${run.calls.length} calls (${run.calls.join(', ')}), ${(run.ms / 1000).toFixed(1)} s, ${(run.ms / run.calls.length / 1000).toFixed(1)} s a call`,
        );
      budget(
        `bwdc calls for one instance that syncs (real ${bwdc.version}; floor: login, sync, logout)`,
        Math.max(...runs.map((run) => run.calls.length)),
        'calls',
        3,
      );
    }
    figures['realSync'] = results;
  } catch (error) {
    log(`real bwdc   not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  } finally {
    await api?.stop();
    await slapd?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const expressions = corpus();
  log(`bwdc Schedule benchmark — Node ${process.version}, ${new Date().toISOString()}`);
  measureBundle();
  measureActivation();
  measureHover(expressions);
  measureDiagnostics();
  measureDataJson();
  measureHistory();
  measureWorstCase(expressions);
  measureCli();
  await measureRealSync();
  if (json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, date: new Date().toISOString(), budgets, ...figures }, null, 2)}\n`);
    return;
  }
  log('');
  log('budget                                                                  value       budget   met');
  for (const b of budgets) log(`${b.name.padEnd(72)}${`${b.value} ${b.unit}`.padStart(12)}${`${b.budget} ${b.unit}`.padStart(12)}   ${b.met ? 'yes' : 'NO'}`);
}

void main();
