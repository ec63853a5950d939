'use strict';
/**
 * Shared by test/oracle/generate.mjs (writes test/fixtures/cron/debian-oracle.json)
 * and test/unit/cron/oracle.test.ts (its live block): the start instants, the
 * hand-picked corpus, the seeded random expression generator, and a driver for the
 * cron-oracle harness built by test/oracle/build.sh. Plain CommonJS so that it
 * runs without a compile step.
 */

const { spawnSync } = require('child_process');

/**
 * Debian's verdict on one expression (see debianParse).
 * @typedef {{ accept: true, flags: string, fields: string[], cmd: string }
 *   | { accept: false, error?: string, env?: true, none?: true }} DebianParse
 */
/**
 * One `runs` case for the harness: the expression, the zone, the start instant (ISO), how many
 * run minutes to record, and the horizon (ISO).
 * @typedef {{ expr: string, zone: string, at: string, count: number, horizon: string }} RunCase
 */
/**
 * Debian's runs for one case: epoch minutes (distinct, ascending, before the horizon), and the
 * minutes in which it starts the job more than once, with how often.
 * @typedef {{ minutes: number[], multi: [number, number][] }} DebianRuns
 */
/**
 * One line of the table: the expression, where it came from, Debian's verdict, and its runs
 * (and multiple starts) per start id.
 * @typedef {{
 *   expr: string,
 *   source: 'picked' | 'random',
 *   debian: DebianParse,
 *   runs?: Record<string, number[]>,
 *   multi?: Record<string, [number, number][]>,
 * }} TableCase
 */
/**
 * test/fixtures/cron/debian-oracle.json.
 * @typedef {{
 *   about: string, debian: string, randomSeed: number, runsPerStart: number, horizon: string,
 *   starts: typeof STARTS, cases: TableCase[],
 * }} Table
 */
/** @typedef {{ name: string, low: number, high: number, names?: string[] }} FieldSpec */

/** Runs per start recorded in the table. */
const RUNS_PER_START = 12;

/**
 * Debian's cron.c computes `vtime * SECONDS_PER_MINUTE` in an int (find_jobs), so
 * from 2038-01-19 (local time) it matches jobs against 1901 dates. Runs are only
 * compared before this instant; the harness simulates a little beyond it.
 */
const HORIZON = '2037-12-31T00:00:00Z';

/** Start instants: zone, instant, and why. */
const STARTS = [
  { id: 'utc', zone: 'UTC', at: '2025-01-01T00:00:00Z', why: 'plain UTC' },
  { id: 'utc-leap', zone: 'UTC', at: '2028-02-27T23:59:30Z', why: 'leap February, mid-minute start' },
  { id: 'berlin-spring-eve', zone: 'Europe/Berlin', at: '2025-03-29T21:30:00Z', why: '22:30 CET, the evening before 02:00 CET -> 03:00 CEST' },
  { id: 'berlin-spring', zone: 'Europe/Berlin', at: '2025-03-30T00:50:00Z', why: '01:50 CET, 10 minutes before the jump' },
  { id: 'berlin-fall-eve', zone: 'Europe/Berlin', at: '2025-10-25T21:30:00Z', why: '23:30 CEST, the evening before 03:00 CEST -> 02:00 CET' },
  { id: 'berlin-fall', zone: 'Europe/Berlin', at: '2025-10-26T00:45:00Z', why: '02:45 CEST, first pass of the repeated hour' },
  { id: 'berlin-fold', zone: 'Europe/Berlin', at: '2025-10-26T01:15:00Z', why: '02:15 CET, second pass of the repeated hour' },
  { id: 'ny-spring-eve', zone: 'America/New_York', at: '2025-03-09T03:30:00Z', why: '22:30 EST, the evening before 02:00 EST -> 03:00 EDT' },
  { id: 'ny-spring', zone: 'America/New_York', at: '2025-03-09T06:50:00Z', why: '01:50 EST, 10 minutes before the jump' },
  { id: 'ny-fall', zone: 'America/New_York', at: '2025-11-02T04:50:00Z', why: '00:50 EDT, before 02:00 EDT -> 01:00 EST' },
  { id: 'ny-fold', zone: 'America/New_York', at: '2025-11-02T06:20:00Z', why: '01:20 EST, second pass of the repeated hour' },
  { id: 'lordhowe-fall', zone: 'Australia/Lord_Howe', at: '2025-04-05T14:20:00Z', why: '01:20 +11, before 02:00 +11 -> 01:30 +10:30' },
  { id: 'lordhowe-fold', zone: 'Australia/Lord_Howe', at: '2025-04-05T15:10:00Z', why: '01:40 +10:30, second pass of the repeated half hour' },
  { id: 'lordhowe-spring', zone: 'Australia/Lord_Howe', at: '2025-10-04T15:20:00Z', why: '01:50 +10:30, before 02:00 -> 02:30 +11' },
  { id: 'kolkata', zone: 'Asia/Kolkata', at: '2025-06-30T18:29:00Z', why: '23:59 IST (+05:30, no DST)' },
];

/** Hand-picked edge cases (the random corpus adds to these). */
const PICKED = [
  // the day-of-month / day-of-week rule
  '0 0 */2 * sun',
  '0 0 1-31/2 * sun',
  '0 0 1 * */2',
  '0 0 1-31 * 1',
  '30 4 1,15 * 5',
  '0 0 13 * 5',
  '0 0 1-7 * 1',
  '0 0 8-14 * sat',
  '0 0 * * 1-5',
  '0 0 */2 * *',
  '0 0 */2 * 1-5',
  '0 0 1-31/2 * mon-fri',
  '0 0 * * */7',
  '0 0 1 * */7',
  '0 0 1 * 1',
  '0 0 15 * 0-6',
  '0 0 * * 0-6',
  '0 0 1-31 * *',
  '0 0 1 * *',
  '0 12 * 2 0',
  '0 0 */10 * 3',
  '0 0 2-30/2 * *',
  '0 0 29 2 *',
  '0 0 29 2 1',
  '0 0 29 2 */7',
  '0 0 29 2 sun',
  '0 0 30 2 *',
  '0 0 31 2 *',
  '0 0 31 4,6,9,11 *',
  '0 0 31 * *',
  '0 0 30 * *',
  '0 0 29 * *',
  '0 0 29-31 2 *',
  '0 0 31 1-12/2 *',
  '0 0 30 2 mon',
  '0 0 30 2 */2',
  '0 0 31 4 1-5',
  // Sunday as 0 and 7, names
  '0 0 * * 0',
  '0 0 * * 7',
  '0 0 * * 0,7',
  '0 0 * * 7,0',
  '0 0 * * 0-7',
  '0 0 * * 1-7',
  '0 0 * * 5-7',
  '0 0 * * 6-7',
  '0 0 * * 1-7/2',
  '0 0 * * */2',
  '0 0 * * 0-0',
  '0 0 * * mon-fri',
  '0 0 * * MON-Fri',
  '0 0 * * mon,wed,FRI',
  '0 0 * * sun-sat',
  '0 0 * * Sun-7',
  '0 0 * * mon-5',
  '0 0 * * 1-fri',
  '0 0 * * sat,sun',
  '0 0 * * fri-sun',
  '0 0 * * sat-sun',
  '0 0 * * sun-sun',
  '0 0 * * tue-thu/2',
  '0 0 1 JAN-mar *',
  '0 0 1 jan,jul *',
  '0 0 1 jan-6 *',
  '0 0 1 nov-feb *',
  '0 0 1 Dec *',
  '0 0 1 dec-dec *',
  '0 0 1 jan-dec/3 *',
  '0 0 * * monday',
  '0 0 * january *',
  '0 0 * * tues',
  '0 0 * * thur',
  '0 0 * mon *',
  '0 0 * * jan',
  '0 mon * * *',
  '0 0 1 * 8',
  '0 0 1 ja *',
  '0 0 1 */jan *',
  // steps and ranges
  '* * * * *',
  '*/7 * * * *',
  '*/35 * * * *',
  '*/15 * * * *',
  '*/59 * * * *',
  '*/60 * * * *',
  '*/61 * * * *',
  '*/05 * * * *',
  '0-59/59 * * * *',
  '1-59/2 * * * *',
  '0-30/7 * * * *',
  '30-59/7 1-23/3 * * *',
  '*/7 */5 * * *',
  '*/13 */7 */3 */5 */2',
  '0 */2 * * *',
  '0 0-23/6 * * *',
  '0 9-17 * * 1-5',
  '0 9-17/2 * * mon-fri',
  '5-2 * * * *',
  '0 22-2 * * *',
  '0 0 20-10 * *',
  '0 0 1 12-1 *',
  '5-5 * * * *',
  '59 23 31 12 *',
  '58-59 23 31 12 *',
  '0 0 1 1 *',
  '07 08 09 10 *',
  '007 * * * *',
  '0 */3 1-10 * mon',
  '15,45 */4 * * *',
  '0,7,14 0 1,8,15,22,29 * *',
  '*,5 * * * *',
  '5,* * * * *',
  '1-5,10-15/2,30 * * * *',
  // clock changes: fixed and wildcard jobs around the gaps and folds
  '15 2 * * *',
  '30 2 * * *',
  '0 2 * * *',
  '59 1 * * *',
  '0 3 * * *',
  '30 1 * * *',
  '59 2 * * *',
  '0 1 * * *',
  '45 1 * * *',
  '*/30 1-2 * * *',
  '0,30 1,2 * * *',
  '*/5 2 * * *',
  '0-59/5 2 * * *',
  '0 2,3 * * *',
  '0-59 2 * * *',
  '45 1-3 * * *',
  '0 * * * *',
  '30 * * * *',
  '*/10 1 * * *',
  '*/10 2 * * *',
  '* 2 * * *',
  '0-10 2 * * *',
  '30 2 30 3 *',
  '30 2 9 3 *',
  '30 1 2 11 *',
  '30 2 26 10 *',
  '15 2 5 10 *',
  '45 1 6 4 *',
  '0 2 * * sun',
  '30 2 * 3 0',
  '30 1 * 11 0',
  '50 1 * * *',
  '10,20 2 * * *',
  '0 1-3 * * *',
  '*/20 1-3 * * *',
  '0 */1 * * *',
  '15 */2 * * *',
  // macros
  '@hourly',
  '@daily',
  '@midnight',
  '@weekly',
  '@monthly',
  '@yearly',
  '@annually',
  '@reboot',
  '@Daily',
  '@DAILY',
  '@every',
  '@hourly extra',
  '@ daily',
  '@',
  '@yearly 2025',
  '@weekly *',
  // Debian rejects these
  '1/20 * * * *',
  '5/15 * * * *',
  '0 0 L * *',
  '0 0 ? * *',
  '0 0 * * ?',
  '0 0 15W * *',
  '0 0 * * 5L',
  'H * * * *',
  'H/5 * * * *',
  '60 * * * *',
  '* 24 * * *',
  '* * 32 * *',
  '* * 0 * *',
  '* * * 13 *',
  '* * * 0 *',
  '*/0 * * * *',
  '0-59/0 * * * *',
  '1,,2 * * * *',
  ',1 * * * *',
  '1, * * * *',
  '1-5x * * * *',
  '*/2x * * * *',
  '-5 * * * *',
  '+5 * * * *',
  '0 0 * * * *',
  '0 0 0 * * *',
  '0 0 *',
  '0 0 * *',
  '',
  '*/99999999999999999999 * * * *',
  '99999999999 * * * *',
  '5-64/30 * * * *',
  '0-60 * * * *',
  '0 0 1-32 * *',
  // Debian silently ignores text after an item (the engine is stricter)
  '1#1 * * * *',
  '5-10/2/3 * * * *',
  '*abc * * * *',
  '*x * * * *',
  '1.5 * * * *',
  '*-5 * * * *',
  '0 0 * * 1#2',
  '0 0 * * mon#1',
  '0 0 * * 1-5,',
  '0 0 1% * *',
  '*/15! * * * *',
  '0 0 * * fri-sun/2/2',
  // Debian reads a sixth field as the start of the command (the engine rejects it)
  '0 0 1 1 * 2025',
  '0 0 * * * /bin/ls',
  '0 0 1 1 1 1',
  // Debian's atoi() wraps ten-digit numbers: 4294967301 is 5, step 4294967297 is 1
  '4294967301 * * * *',
  '*/4294967297 * * * *',
  '0 0 * * 4294967297',
  // blanks
  '0\t0\t*\t*\t*',
  '  0 0 * * *',
  '0  0 * * *',
  '0 0 * * *  ',
  '\t*/5 * * * *',
  // not a schedule at all
  '# comment',
  'FOO=bar',
];

/**
 * A small, fast, seedable PRNG (mulberry32): a function returning numbers in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @type {FieldSpec[]} */
const SPECS = [
  { name: 'minute', low: 0, high: 59 },
  { name: 'hour', low: 0, high: 23 },
  { name: 'dom', low: 1, high: 31 },
  { name: 'month', low: 1, high: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'dow', low: 0, high: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];
const MACRO_WORDS = ['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '@reboot'];

/**
 * Seeded random expressions, valid and invalid; deterministic for a seed.
 * @param {number} seed
 * @param {number} count
 * @returns {string[]}
 */
function randomCorpus(seed, count) {
  const rnd = prng(seed);
  const int = (/** @type {number} */ lo, /** @type {number} */ hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  /**
   * @template T
   * @param {T[]} list
   * @returns {T}
   */
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const chance = (/** @type {number} */ p) => rnd() < p;

  /** @returns {number} */
  const value = (/** @type {FieldSpec} */ spec) => {
    const r = rnd();
    if (spec.name === 'hour' && r < 0.3) return int(0, 3); // around the clock changes
    if (spec.name === 'dom' && r < 0.2) return int(28, 31);
    if (spec.name === 'month' && r < 0.15) return pick([2, 3, 4, 10, 11]);
    if (r < 0.45) return chance(0.5) ? spec.low : spec.high;
    return int(spec.low, spec.high);
  };
  const nameOrNumber = (/** @type {FieldSpec} */ spec, /** @type {number} */ v) => {
    if (!spec.names || !chance(0.35)) return String(v);
    const index = spec.name === 'month' ? v - 1 : v % 7;
    const name = spec.names[index];
    const style = rnd();
    return style < 0.6 ? name : style < 0.8 ? name.toUpperCase() : name[0].toUpperCase() + name.slice(1);
  };
  const step = (/** @type {FieldSpec} */ spec) => (chance(0.7) ? int(2, 15) : int(1, spec.high + 3));
  const item = (/** @type {FieldSpec} */ spec) => {
    const r = rnd();
    if (r < 0.2) return '*';
    if (r < 0.35) return `*/${step(spec)}`;
    if (r < 0.65) return nameOrNumber(spec, value(spec));
    let a = value(spec);
    let b = value(spec);
    if (a > b && chance(0.85)) [a, b] = [b, a];
    const range = `${nameOrNumber(spec, a)}-${nameOrNumber(spec, b)}`;
    return r < 0.85 ? range : `${range}/${step(spec)}`;
  };
  const field = (/** @type {FieldSpec} */ spec) => {
    const r = rnd();
    const n = r < 0.75 ? 1 : r < 0.93 ? 2 : 3;
    return Array.from({ length: n }, () => item(spec)).join(',');
  };

  /** One deliberate defect, or a form Debian reads differently. */
  const mutate = (/** @type {string[]} */ fields, /** @type {number} */ index) => {
    const spec = SPECS[Math.min(index, 4)];
    const f = fields[index];
    const kind = int(0, 19);
    switch (kind) {
      case 0:
        return `${int(spec.low, spec.high)}/${int(1, 20)}`; // step without a range
      case 1:
        return pick(['L', '?', 'W', 'LW', '5L', '15W', 'L-2']);
      case 2:
        return `${int(spec.low, 5)}#${int(1, 5)}`;
      case 3:
        return String(spec.high + int(1, 40)); // out of range
      case 4:
        return spec.low > 0 ? `${spec.low - 1}` : `${int(spec.low, spec.high)}-${spec.high + int(1, 9)}`;
      case 5:
        return `*/0`;
      case 6:
        return pick([`${f},`, `,${f}`, f.replace(/,|$/, ',,')]); // empty item
      case 7:
        return `${f}${pick(['x', '#1', '/3', '.5', '-', 'abc', '%', '!', '/2/2', '-1'])}`; // trailing text
      case 8:
        return pick(['monday', 'Friday', 'sunday', 'january', 'sept', 'tues', 'thurs']);
      case 9:
        return pick(['jan', 'mon', 'fri', 'dec', 'Sun']); // a name, maybe in the wrong field
      case 10:
        return pick(['H', 'H/5', 'H(0-29)']);
      case 11:
        return pick(['99999999999', '4294967296', '4294967297', '*/4294967297', '00000000001', '-1', '+1']);
      case 12:
        return `*${pick(['x', '-5', ',', '/', '5'])}`;
      case 13:
        return `${f}/${pick(['0', 'x', '-1', ''])}`;
      case 14:
        return f.toUpperCase();
      case 15:
        return `${int(spec.low, spec.high)}-`;
      case 16:
        return `-${int(spec.low, spec.high)}`;
      case 17:
        return `${f}, ${f}`; // a blank inside the list: one field becomes two
      case 18:
        return `${f}${pick(['a', '0'])}`;
      default:
        return pick(['?', '*', '0', '1-5', '@daily']);
    }
  };

  /** @type {string[]} */
  const out = [];
  for (let i = 0; i < count; i++) {
    if (chance(0.05)) {
      const macro = pick(MACRO_WORDS);
      const r = rnd();
      out.push(r < 0.6 ? macro : r < 0.75 ? macro.toUpperCase() : r < 0.85 ? `${macro} ${pick(['*', '0', 'x'])}` : macro.slice(0, -1));
      continue;
    }
    let n = 5;
    const c = rnd();
    if (c < 0.03) n = 4;
    else if (c < 0.07) n = 6;
    else if (c < 0.08) n = 7;
    /** @type {string[]} */
    const fields = [];
    for (let index = 0; index < n; index++) {
      fields.push(index < 5 ? field(SPECS[index]) : pick(['*', '2025', '0', '*/5', '?', 'mon', '1-5']));
    }
    if (chance(0.3)) {
      const index = int(0, Math.min(n, 5) - 1);
      fields[index] = mutate(fields, index);
    }
    const sep = chance(0.05) ? pick(['\t', '  ', ' \t']) : ' ';
    out.push(fields.join(sep));
  }
  return out;
}

/**
 * Run the harness on input lines; one output line per input line.
 * @param {string} binary
 * @param {string[]} args
 * @param {string[]} lines
 */
function harness(binary, args, lines) {
  const input = lines.map((line) => `${line}\n`).join('');
  const result = spawnSync(binary, args, { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${binary} ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  const out = result.stdout.split('\n');
  if (out[out.length - 1] === '') out.pop();
  if (out.length !== lines.length) throw new Error(`${binary}: ${out.length} results for ${lines.length} cases`);
  return out;
}

/**
 * Debian's verdict for each expression (see harness.c for the format):
 * { accept: true, flags, fields: [minute, hour, dom, month, dow], cmd } or
 * { accept: false, error } / { accept: false, env: true } / { accept: false, none: true }.
 * @param {string} binary
 * @param {string[]} expressions
 */
function debianParse(binary, expressions) {
  for (const e of expressions) if (/[\n\r]/.test(e)) throw new Error(`expression with a line break: ${JSON.stringify(e)}`);
  return harness(binary, ['accept'], expressions).map(
    /** @returns {DebianParse} */ (line) => {
      const parts = line.split('\t');
      if (parts[0] === 'ok') {
        return { accept: true, flags: parts[1], fields: parts.slice(2, 7), cmd: parts.slice(7).join('\t') };
      }
      if (parts[0] === 'error') return { accept: false, error: parts[1] };
      if (parts[0] === 'env') return { accept: false, env: true };
      return { accept: false, none: true };
    },
  );
}

/**
 * Debian's runs for each case { expr, zone, at (ISO), count, horizon (ISO) }:
 * { minutes: [epoch minutes, distinct, ascending, before horizon], multi: [[minute, starts]] }.
 * @param {string} binary
 * @param {RunCase[]} cases
 * @param {{ noSkip?: boolean }} [options] noSkip: simulate every day (no fast-forward)
 * @returns {DebianRuns[]}
 */
function debianRuns(binary, cases, options = {}) {
  const lines = cases.map((c) => {
    const start = Date.parse(c.at) / 1000;
    const horizon = Date.parse(c.horizon) / 1000 + 3600;
    return `${c.zone}\t${start}\t${c.count}\t${horizon}\t${c.expr}`;
  });
  const args = ['runs', ...(options.noSkip ? ['--no-skip'] : [])];
  return harness(binary, args, lines).map((line, index) => {
    const parts = line.split('\t');
    if (parts[0] !== 'ok') throw new Error(`runs for ${JSON.stringify(cases[index].expr)}: ${line}`);
    const limit = Date.parse(cases[index].horizon) / 60000;
    const seconds = parts[2] ? parts[2].split(' ').map(Number) : [];
    /** @type {number[]} */
    const minutes = [];
    /** @type {[number, number][]} */
    const multi = [];
    for (const s of seconds) {
      const m = Math.floor(s / 60);
      if (m >= limit) break;
      if (minutes.length > 0 && minutes[minutes.length - 1] === m) {
        const last = multi[multi.length - 1];
        if (last && last[0] === m) last[1]++;
        else multi.push([m, 2]);
        continue;
      }
      if (minutes.length === cases[index].count) break;
      minutes.push(m);
    }
    return { minutes, multi };
  });
}

/**
 * Build the whole table for a list of expressions.
 * @param {string} binary
 * @param {string[]} picked
 * @param {string[]} random
 * @param {number} randomSeed
 * @param {{ noSkip?: boolean }} [options]
 * @returns {Table}
 */
function buildTable(binary, picked, random, randomSeed, options = {}) {
  const expressions = [...picked, ...random];
  const parses = debianParse(binary, expressions);
  /** @type {(RunCase & { index: number, start: string })[]} */
  const runCases = [];
  expressions.forEach((expr, index) => {
    const p = parses[index];
    if (!p.accept || p.cmd !== '/bin/true') return;
    for (const start of STARTS) runCases.push({ index, start: start.id, expr, zone: start.zone, at: start.at, count: RUNS_PER_START, horizon: HORIZON });
  });
  const runs = debianRuns(binary, runCases, options);
  /** @type {TableCase[]} */
  const cases = expressions.map((expr, index) => ({
    expr,
    source: index < picked.length ? 'picked' : 'random',
    debian: parses[index],
  }));
  runCases.forEach((c, i) => {
    const target = cases[c.index];
    target.runs ??= {};
    target.runs[c.start] = runs[i].minutes;
    if (runs[i].multi.length > 0) {
      target.multi ??= {};
      target.multi[c.start] = runs[i].multi;
    }
  });
  return {
    about:
      'Debian cron 3.0pl1-162 (orig tarball + debian/patches/series) as a test oracle: whether crontab(1) accepts "EXPR /bin/true", ' +
      "the fields entry.c reads, and the minutes (UTC, minutes since the epoch) at which cron.c's main loop starts the job after each start, " +
      'at most runsPerStart per start and only before horizon. multi lists minutes in which Debian starts the job more than once. ' +
      'Generated by test/oracle/generate.mjs; see test/oracle/README.md.',
    debian: 'cron_3.0pl1.orig.tar.gz + cron_3.0pl1-162.debian.tar.xz',
    randomSeed,
    runsPerStart: RUNS_PER_START,
    horizon: HORIZON,
    starts: STARTS,
    cases,
  };
}

/** JSON with one case per line: small and diffable. */
function stringifyTable(/** @type {Table} */ table) {
  const { cases, starts, ...head } = table;
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const startLines = starts.map((s) => `    ${JSON.stringify(s)}`).join(',\n');
  const caseLines = cases.map((c) => `    ${JSON.stringify(c)}`).join(',\n');
  return `${headText},\n  "starts": [\n${startLines}\n  ],\n  "cases": [\n${caseLines}\n  ]\n}\n`;
}

module.exports = { RUNS_PER_START, HORIZON, STARTS, PICKED, prng, randomCorpus, harness, debianParse, debianRuns, buildTable, stringifyTable };
