/**
 * Cron expressions for the benchmark: every field form (numbers, lists, ranges, steps, names,
 * star-led steps), macros, never-firing and sparse ones; hand-picked plus seeded random.
 */

export const HAND_PICKED: readonly string[] = [
  '0 12 * * 1',
  '0 0 * * 2',
  '0 20 * * 0',
  '* * * * *',
  '*/15 * * * *',
  '*/7 * * * *',
  '*/35 * * * *',
  '0 */6 * * *',
  '0 2 * * *',
  '0 8 * * 1-5',
  '0 3 1 * *',
  '30 4 1,15 * 5',
  '0 0 13 * 5',
  '0 0 */2 * sun',
  '0 0 1 * */2',
  '0 0 1-31/2 * sun',
  '0 0 1-31 * 1',
  '0 9-17 * * mon-fri',
  '*/20 9-17 * * 1-5',
  '0 0,12 1 */2 *',
  '5,10-12,30-40/5 * * * *',
  '0 0 * jan,jul *',
  '0 0 * * sat,sun',
  '0 0 * * 0,7',
  '0 0 * * 5-7',
  '15 14 1 * *',
  '0 22 * * 1-5',
  '23 0-20/2 * * *',
  '5 4 * * sun',
  '0 0,12 * * *',
  '59 23 31 12 *',
  '0 0 29 2 *',
  '0 0 29 2 1',
  '0 0 29 2 */7',
  '0 0 13 * 5',
  '0 0 31 2 *',
  '0 0 30 2 *',
  '0 0 31 4,6,9,11 *',
  '5-2 * * * *',
  '0 22-2 * * *',
  '0 0 * * fri-sun',
  '0 0 5-2 * 1',
  '0 0 * * 5-2',
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
  '@reboot',
  '0-59/5 2 * * *',
  '30 2 * * *',
  '0,30 2 * * *',
  '*/10 1-3 * 3,10 0',
  '45 1 * 11 0',
];

/** A small deterministic generator (mulberry32), so every run measures the same corpus. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function field(next: () => number, low: number, high: number, names?: readonly string[]): string {
  const pick = (): number => low + Math.floor(next() * (high - low + 1));
  const value = (n: number): string => (names && next() < 0.3 ? names[n - low]! : String(n));
  const kind = Math.floor(next() * 7);
  switch (kind) {
    case 0:
      return '*';
    case 1:
      return `*/${1 + Math.floor(next() * Math.min(20, high))}`;
    case 2:
      return value(pick());
    case 3: {
      const a = pick();
      const b = pick();
      return `${value(Math.min(a, b))}-${value(Math.max(a, b))}`;
    }
    case 4: {
      const a = pick();
      const b = pick();
      return `${Math.min(a, b)}-${Math.max(a, b)}/${1 + Math.floor(next() * 5)}`;
    }
    case 5:
      return [pick(), pick(), pick()]
        .sort((x, y) => x - y)
        .filter((v, i, all) => all.indexOf(v) === i)
        .map(value)
        .join(',');
    default:
      return `${value(pick())},${pick()}-${high}`;
  }
}

export function corpus(size = 240, seed = 20251123): string[] {
  const next = random(seed);
  const expressions = [...HAND_PICKED];
  while (expressions.length < size) {
    expressions.push(
      [field(next, 0, 59), field(next, 0, 23), field(next, 1, 31), field(next, 1, 12, ['', ...MONTHS].slice(1)), field(next, 0, 6, DAYS)].join(' '),
    );
  }
  return expressions;
}
