#!/usr/bin/env node
// Regenerate test/fixtures/cron/debian-oracle.json from Debian's cron (see README.md).
//
//   bash test/oracle/build.sh && node test/oracle/generate.mjs [--seed N] [--random N] [--verify-skip] [--out FILE]
//
// The harness is $BWDC_CRON_ORACLE, or the one build.sh caches under ~/.cache/bwdc-schedule/.
// --verify-skip also runs every case without the harness's day skipping and
// fails if any result differs.
import { existsSync, writeFileSync } from 'fs';
import { join, relative } from 'path';
import { repoRoot as root, userCacheDir } from '../../scripts/lib/helpers.mjs';
import oracle from './oracle.cjs';

const args = process.argv.slice(2);
/** The value after `name` on the command line, or `fallback`. */
const option = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const seed = Number(option('--seed', '20250330'));
const randomCount = Number(option('--random', '330'));
const out = option('--out', join(root, 'test/fixtures/cron/debian-oracle.json'));
// Where build.sh puts it (BWDC_CRON_ORACLE_CACHE there moves it; name the binary then).
const binary = process.env.BWDC_CRON_ORACLE || join(userCacheDir(), 'bwdc-schedule/cron-oracle/cron_3.0pl1-162/bin/cron-oracle');

if (!existsSync(binary)) {
  console.error(`No harness at ${binary}: run bash test/oracle/build.sh first.`);
  process.exit(1);
}

const random = oracle.randomCorpus(seed, randomCount);
const seen = new Set(oracle.PICKED);
const fresh = random.filter((expr) => (seen.has(expr) ? false : (seen.add(expr), true)));

const began = Date.now();
const table = oracle.buildTable(binary, oracle.PICKED, fresh, seed);
const seconds = ((Date.now() - began) / 1000).toFixed(1);

if (args.includes('--verify-skip')) {
  const again = oracle.buildTable(binary, oracle.PICKED, fresh, seed, { noSkip: true });
  const a = oracle.stringifyTable(table);
  const b = oracle.stringifyTable(again);
  if (a !== b) {
    console.error('The harness gives different runs with and without day skipping.');
    process.exit(1);
  }
  console.log('Day skipping verified: identical results without it.');
}

const text = oracle.stringifyTable(table);
writeFileSync(out, text);
const accepted = table.cases.filter((c) => c.debian.accept).length;
const runSets = table.cases.reduce((n, c) => n + Object.keys(c.runs ?? {}).length, 0);
console.log(
  `${relative(root, out)}: ${table.cases.length} expressions (${oracle.PICKED.length} picked, ${fresh.length} random, seed ${seed}), ` +
    `${accepted} accepted by Debian, ${runSets} run lists, ${(text.length / 1024).toFixed(0)} KiB, harness ${seconds}s.`,
);
