import { t } from '../l10n';
import { redactSecrets } from '../redact';
import { CRON_FIELDS, fieldLabel, fieldOrder, MACROS, MACRO_EQUIVALENTS, MONTH_NAMES, DAY_NAMES, type CronFieldSpec, type Macro } from './fields';

/**
 * A vixie-exact reading of a 5-field cron expression, as Debian's cron (3.0pl1, entry.c)
 * reads it, but stricter where Debian silently misreads input: text after an item
 * (`1#1`, `5-10/2/3`, `*x`) is an error here instead of being skipped.
 */

export interface CronItem {
  readonly text: string;
  /** Offsets in the expression string. */
  readonly start: number;
  readonly end: number;
  readonly from: number;
  readonly to: number;
  readonly step: number;
  readonly star: boolean;
  /** `5-2`: vixie accepts it and sets nothing. */
  readonly reversed: boolean;
}

export interface CronField {
  readonly spec: CronFieldSpec;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly items: readonly CronItem[];
  /** Sorted distinct values; in day-of-week 7 is folded into 0. */
  readonly values: readonly number[];
  /** The field's first character is `*` (vixie's MIN_STAR, HR_STAR, DOM_STAR, DOW_STAR). */
  readonly starLed: boolean;
}

export interface CalendarCron {
  readonly kind: 'calendar';
  readonly text: string;
  readonly macro?: Exclude<Macro, '@reboot'>;
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dayOfMonth: CronField;
  readonly month: CronField;
  readonly dayOfWeek: CronField;
  /**
   * vixie: when either day field starts with `*`, a day must match both fields (AND);
   * otherwise either (OR). Note `*\/2` starts with `*`.
   */
  readonly dayRule: 'and' | 'or';
  /** Minute or hour starts with `*`: vixie's "wildcard job", which DST handles differently. */
  readonly wildcard: boolean;
}

export interface RebootCron {
  readonly kind: 'reboot';
  readonly text: string;
  readonly macro: '@reboot';
}

export type CronExpression = CalendarCron | RebootCron;

export type CronProblemCode =
  | 'cron-syntax'
  | 'cron-field-count'
  | 'cron-out-of-range'
  | 'cron-step-without-range'
  | 'cron-trailing-text'
  | 'cron-unsupported-syntax'
  | 'cron-bad-name'
  | 'cron-bad-macro'
  | 'cron-reversed-range';

export interface CronProblem {
  readonly severity: 'error' | 'warning';
  readonly code: CronProblemCode;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly field?: CronFieldSpec['name'];
  /** Replacement texts that are exact alternatives, for quick fixes. */
  readonly fixes?: readonly { readonly title: string; readonly text: string }[];
}

export interface CronParseResult {
  /** Present when there is no error (warnings allowed). */
  readonly expression?: CronExpression;
  readonly problems: readonly CronProblem[];
}

export function parseCron(text: string): CronParseResult {
  const result = parseCronText(text);
  if (result.problems.length === 0) return result;
  // Problems quote the schedule text back; a secret pasted into it must not come with them.
  return { ...result, problems: result.problems.map((problem) => ({ ...problem, message: redactSecrets(problem.message) })) };
}

function parseCronText(text: string): CronParseResult {
  const problems: CronProblem[] = [];
  const trimmedStart = text.length - text.trimStart().length;
  const body = text.trim();
  if (body.length === 0) {
    problems.push(error('cron-syntax', t('Empty schedule: write 5 fields ({0}) or a macro such as @daily.', fieldOrder().join(' ')), 0, text.length));
    return { problems };
  }
  if (body.startsWith('@')) return parseMacro(text, trimmedStart, body);

  const tokens = splitBlanks(text);
  if (tokens.length !== 5) {
    problems.push(fieldCountProblem(text, tokens));
    return { problems };
  }

  const fields: CronField[] = [];
  for (let index = 0; index < 5; index++) {
    const token = tokens[index]!;
    const field = parseField(token.text, token.start, CRON_FIELDS[index]!, problems);
    if (field) fields.push(field);
  }
  if (problems.some((p) => p.severity === 'error')) return { problems };

  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [CronField, CronField, CronField, CronField, CronField];
  return {
    expression: {
      kind: 'calendar',
      text,
      minute,
      hour,
      dayOfMonth,
      month,
      dayOfWeek,
      dayRule: dayOfMonth.starLed || dayOfWeek.starLed ? 'and' : 'or',
      wildcard: minute.starLed || hour.starLed,
    },
    problems,
  };
}

function parseMacro(text: string, offset: number, body: string): CronParseResult {
  const tokens = splitBlanks(body);
  const first = tokens[0]!;
  const macroEnd = offset + first.text.length;
  const problems: CronProblem[] = [];
  const macro = MACROS.find((m) => m === first.text);
  if (!macro) {
    const caseInsensitive = MACROS.find((m) => m.toLowerCase() === first.text.toLowerCase());
    const message = caseInsensitive
      ? t("Unknown macro '{0}': cron's macros are lowercase, write {1}.", first.text, caseInsensitive)
      : t("Unknown macro '{0}'. cron knows {1}.", first.text, MACROS.join(' '));
    problems.push({
      ...error('cron-bad-macro', message, offset, macroEnd),
      ...(caseInsensitive ? { fixes: [{ title: t('Change to {0}', caseInsensitive), text: caseInsensitive }] } : {}),
    });
    return { problems };
  }
  if (tokens.length > 1) {
    const extraStart = offset + tokens[1]!.start;
    problems.push(error('cron-syntax', t('{0} stands for the whole schedule; remove the text after it.', macro), extraStart, offset + body.length));
    return { problems };
  }
  if (macro === '@reboot') return { expression: { kind: 'reboot', text, macro }, problems };

  // Macros set the vixie flags directly (Debian entry.c): @yearly/@monthly set DOW_STAR,
  // @weekly sets DOM_STAR, @hourly sets HR_STAR. Field texts are the documented equivalents.
  const equivalent = MACRO_EQUIVALENTS[macro].split(' ');
  const fields = CRON_FIELDS.map((spec, index) => {
    const parsed = parseField(equivalent[index]!, offset, spec, [])!;
    return { ...parsed, start: offset, end: macroEnd };
  }) as [CronField, CronField, CronField, CronField, CronField];
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields;
  const domStar = macro === '@weekly';
  const dowStar = macro === '@yearly' || macro === '@annually' || macro === '@monthly';
  return {
    expression: {
      kind: 'calendar',
      text,
      macro,
      minute: { ...minute, starLed: false },
      hour: { ...hour, starLed: macro === '@hourly' },
      dayOfMonth: { ...dayOfMonth, starLed: domStar },
      month,
      dayOfWeek: { ...dayOfWeek, starLed: dowStar },
      dayRule: domStar || dowStar ? 'and' : 'or',
      wildcard: macro === '@hourly',
    },
    problems,
  };
}

interface Token {
  readonly text: string;
  readonly start: number;
}

function splitBlanks(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /[^ \t]+/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    tokens.push({ text: match[0], start: match.index });
  }
  return tokens;
}

function fieldCountProblem(text: string, tokens: Token[]): CronProblem {
  const count = tokens.length;
  const order = fieldOrder();
  if (count > 5) {
    const extraStart = tokens[5]!.start;
    const last = tokens[count - 1]!;
    const message =
      count === 6 || count === 7
        ? t('{0} fields: cron has no seconds or year field. Use exactly 5 fields: {1}.', count, order.join(' '))
        : t('{0} fields: a schedule has exactly 5 fields ({1}); the command is generated, not written here.', count, order.join(' '));
    return error('cron-field-count', message, extraStart, last.start + last.text.length);
  }
  const missing = order.slice(count).join(' ');
  return error('cron-field-count', t('Only {0} of 5 fields: {1} missing.', count, missing), 0, text.length);
}

/** vixie get_list/get_range/get_number, with every silently-skipped character made an error. */
function parseField(text: string, offset: number, spec: CronFieldSpec, problems: CronProblem[]): CronField | undefined {
  return new FieldScanner(text, offset, spec, problems).scan();
}

interface ValueRange {
  readonly from: number;
  readonly to: number;
  readonly star: boolean;
}

/**
 * Reads one field left to right, as vixie does, and stops at the first error. Offsets are
 * within the field; problems and items get them in the whole expression.
 */
class FieldScanner {
  private pos = 0;
  private readonly label: string;
  private readonly items: CronItem[] = [];
  /** vixie's bit set: which values the field matches. */
  private readonly bits: Uint8Array;

  constructor(
    private readonly text: string,
    private readonly offset: number,
    private readonly spec: CronFieldSpec,
    private readonly problems: CronProblem[],
  ) {
    this.label = fieldLabel(spec);
    this.bits = new Uint8Array(spec.high + 1);
  }

  /** The field, or undefined when it has an error (warnings allowed). */
  scan(): CronField | undefined {
    const problemsBefore = this.problems.length;
    this.readList();
    if (this.problems.slice(problemsBefore).some((problem) => problem.severity === 'error')) return undefined;
    return this.field();
  }

  // ---------------------------------------------------------------- cursor

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  /** Steps over `char` when it comes next. */
  private eat(char: string): boolean {
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  /** The letters and digits from here: vixie reads a number or a name as one such word. */
  private readWord(): string {
    const start = this.pos;
    while (this.pos < this.text.length && isAlnum(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  // ---------------------------------------------------------------- grammar

  /** get_list: items separated by commas, up to the end of the field or the first error. */
  private readList(): void {
    for (;;) {
      const item = this.readItem();
      if (!item || this.atEnd()) return;
      if (this.eat(',')) {
        if (this.atEnd() || this.peek() === ',') {
          this.fail('cron-syntax', t('{0}: empty item in the list (a comma with nothing after it).', this.label), this.pos - 1, this.pos);
          return;
        }
        continue;
      }
      this.trailingText(item.text);
      return;
    }
  }

  /** get_range: a range with its step, set in the bits. */
  private readItem(): CronItem | undefined {
    const start = this.pos;
    const range = this.readRange();
    if (!range) return undefined;
    const step = this.readStep(range);
    if (step === undefined) return undefined;
    const { from, to, star } = range;
    const reversed = from > to;
    const item: CronItem = { text: this.text.slice(start, this.pos), start: this.offset + start, end: this.offset + this.pos, from, to, step, star, reversed };
    this.items.push(item);
    for (let value = from; value <= to; value += step) this.bits[value] = 1;
    if (reversed) this.problems.push(reversedRangeProblem(item, this.spec));
    return item;
  }

  /** `*`, `n` or `n-m`. */
  private readRange(): ValueRange | undefined {
    const start = this.pos;
    if (this.eat('*')) return { from: this.spec.low, to: this.spec.high, star: true };
    const from = this.readNumber(true);
    if (from === undefined) return undefined;
    if (this.eat('-')) {
      if (!this.inRange(from)) return this.outOfRange(from, start, this.pos - 1);
      const toStart = this.pos;
      const to = this.readNumber(true);
      if (to === undefined) return undefined;
      if (!this.inRange(to)) return this.outOfRange(to, toStart, this.pos);
      return { from, to, star: false };
    }
    if (this.peek() === '/') return this.stepWithoutRange(from, start);
    if (!this.inRange(from)) return this.outOfRange(from, start, this.pos);
    return { from, to: from, star: false };
  }

  /** `/n` after a range; 1 without one. */
  private readStep({ from, to }: ValueRange): number | undefined {
    if (!this.eat('/')) return 1;
    const start = this.pos;
    const step = this.readNumber(false);
    if (step === undefined) return undefined;
    if (step <= 0) return this.fail('cron-syntax', t('{0}: a step of 0 is not allowed.', this.label), start, this.pos);
    // Debian's get_range counts `for (i = from; i <= to; i += step)` in an int: when
    // from + step passes 2147483647 the counter wraps negative and the field is rejected.
    if (from <= to && from + step > INT_MAX) {
      return this.fail(
        'cron-out-of-range',
        t(
          "{0}: the step {1} is too large: counting on from {2} overflows cron's 32-bit counter, and Debian rejects the field. Any step above {3} means just {2}.",
          this.label,
          step,
          from,
          to - from,
        ),
        start,
        this.pos,
      );
    }
    return step;
  }

  /** get_number: a number, or where names are allowed a name of the field (`jan`, `mon`). */
  private readNumber(allowNames: boolean): number | undefined {
    const start = this.pos;
    const word = this.readWord();
    const names = allowNames ? this.spec.names : undefined;
    if (word.length === 0) return this.missingNumber(names !== undefined);
    if (names) {
      const index = names.findIndex((name) => name.toLowerCase() === word.toLowerCase());
      if (index >= 0) return index + this.spec.low;
    }
    if (/^[0-9]+$/.test(word)) return this.numberFromDigits(word, start);
    return this.badWord(word, start, allowNames);
  }

  /**
   * Debian's get_number collects at most MAX_TEMPSTR - 1 (999) characters and converts them
   * with atoi(): leading zeros do not matter (`00000000001` is 1), but a value above
   * 2147483647 does not fit cron's int and is silently misread (`4294967301` becomes 5),
   * so such a number is an error here.
   */
  private numberFromDigits(word: string, start: number): number | undefined {
    if (word.length >= MAX_WORD) {
      return this.fail(
        'cron-syntax',
        t('{0}: a number of {1} characters is too long; cron reads at most {2}.', this.label, word.length, MAX_WORD - 1),
        start,
        this.pos,
      );
    }
    const digits = word.replace(/^0+(?=[0-9])/, '');
    if (digits.length > INT_MAX_TEXT.length || (digits.length === INT_MAX_TEXT.length && digits > INT_MAX_TEXT)) {
      return this.fail(
        'cron-out-of-range',
        t(
          "{0}: {1} is too large: cron reads numbers only up to {2}; Debian's cron wraps larger ones around (this one to {3}) instead of reporting them.",
          this.label,
          shorten(word),
          INT_MAX_TEXT,
          debianAtoi(digits),
        ),
        start,
        this.pos,
      );
    }
    return Number(digits);
  }

  private inRange(value: number): boolean {
    return value >= this.spec.low && value <= this.spec.high;
  }

  /** The field as parsed: in day-of-week, 0 and 7 are both Sunday. */
  private field(): CronField {
    const { spec, text, bits } = this;
    if (spec.name === 'dayOfWeek' && (bits[0] || bits[7])) {
      bits[0] = 1;
      bits[7] = 1;
    }
    const values: number[] = [];
    const top = spec.name === 'dayOfWeek' ? 6 : spec.high;
    for (let value = spec.low; value <= top; value++) if (bits[value]) values.push(value);
    return { spec, text, start: this.offset, end: this.offset + text.length, items: this.items, values, starLed: text.startsWith('*') };
  }

  // ---------------------------------------------------------------- problems

  /** Reports a problem of this field (at least one character wide); undefined, for returning from a read that failed. */
  private fail(code: CronProblemCode, message: string, start: number, end: number, fixes?: CronProblem['fixes']): undefined {
    this.problems.push({
      ...error(code, message, this.offset + start, this.offset + Math.max(end, start + 1)),
      field: this.spec.name,
      ...(fixes ? { fixes } : {}),
    });
    return undefined;
  }

  /** No word where a number belongs: `?`, another character, or the end of the field. */
  private missingNumber(namesAllowed: boolean): undefined {
    const found = this.peek();
    if (found === '?') {
      return this.fail('cron-unsupported-syntax', t("{0}: '?' is a Quartz extension that cron does not accept; write *.", this.label), this.pos, this.pos + 1, [
        { title: t('Replace ? with *'), text: '*' },
      ]);
    }
    if (found !== undefined) {
      const rest = this.text.slice(this.pos);
      return this.fail(
        'cron-syntax',
        namesAllowed ? t("{0}: expected a number or a name at '{1}'.", this.label, rest) : t("{0}: expected a number at '{1}'.", this.label, rest),
        this.pos,
        this.text.length,
      );
    }
    return this.fail(
      'cron-syntax',
      namesAllowed
        ? t('{0}: a number or a name is missing at the end of the field.', this.label)
        : t('{0}: a number is missing at the end of the field.', this.label),
      Math.max(0, this.pos - 1),
      this.text.length,
    );
  }

  /** A word that is neither a number nor a name of this field: say what it was meant to be. */
  private badWord(word: string, start: number, allowNames: boolean): undefined {
    const { label, spec } = this;
    const end = start + word.length;
    const lower = word.toLowerCase();
    if (/^[0-9]*[lw]$|^lw$/.test(lower) || lower === 'l') {
      return this.fail(
        'cron-unsupported-syntax',
        t("{0}: '{1}' (last day / weekday) is a Quartz extension; cron does not support it.", label, word),
        start,
        end,
      );
    }
    if (lower === 'h' || /^h[0-9]/.test(lower)) {
      return this.fail('cron-unsupported-syntax', t("{0}: 'H' (hashed value) is a Jenkins extension; cron does not support it.", label), start, end);
    }
    if (!allowNames) return this.fail('cron-syntax', t("{0}: the step after '/' must be a whole number, not '{1}'.", label, word), start, end);
    if (!spec.names) {
      return this.fail('cron-bad-name', t("{0}: '{1}' is not a number; names are allowed only in the month and day-of-week fields.", label, word), start, end);
    }
    const fullNames = spec.name === 'month' ? FULL_MONTHS : FULL_DAYS;
    const prefix = spec.names.find((name) => lower.startsWith(name.toLowerCase()));
    if (prefix && fullNames.includes(lower)) {
      return this.fail(
        'cron-bad-name',
        t("{0}: cron accepts only three-letter names; write '{1}' instead of '{2}'.", label, prefix.toLowerCase(), word),
        start,
        end,
        [{ title: t("Change to '{0}'", prefix.toLowerCase()), text: prefix.toLowerCase() }],
      );
    }
    const otherNames: readonly string[] = spec.name === 'month' ? DAY_NAMES : MONTH_NAMES;
    if (otherNames.some((name) => name.toLowerCase() === lower)) {
      return this.fail(
        'cron-bad-name',
        spec.name === 'month'
          ? t("{0}: '{1}' is a day name; the month field takes jan–dec or 1–12.", label, word)
          : t("{0}: '{1}' is a month name; the day-of-week field takes sun–sat or 0–7.", label, word),
        start,
        end,
      );
    }
    return this.fail(
      'cron-bad-name',
      spec.name === 'month'
        ? t("{0}: '{1}' is not a month; use 1–12 or jan, feb, …, dec.", label, word)
        : t("{0}: '{1}' is not a day; use 0–7 (0 and 7 are Sunday) or sun, mon, …, sat.", label, word),
      start,
      end,
    );
  }

  private outOfRange(value: number, start: number, end: number): undefined {
    const { label, spec } = this;
    // A long number is quoted as written (leading zeros and all), a short one as its value.
    const shown = value > 99999 ? this.text.slice(start, end) : value;
    return this.fail(
      'cron-out-of-range',
      spec.name === 'dayOfWeek'
        ? t('{0}: {1} is out of range {2}–{3} (0 and 7 are Sunday).', label, shown, spec.low, spec.high)
        : t('{0}: {1} is out of range {2}–{3}.', label, shown, spec.low, spec.high),
      start,
      end,
    );
  }

  /**
   * Debian rejects a step after a single number ("bad minute"); other crons read it as "from n
   * to the end" or as n alone, so say what to write instead.
   */
  private stepWithoutRange(from: number, start: number): undefined {
    const { label, spec, text, pos } = this;
    const stepMatch = /^\/([0-9]+)/.exec(text.slice(pos));
    const stepText = stepMatch ? stepMatch[1]! : 'n';
    const itemText = text.slice(start, pos) + (stepMatch ? stepMatch[0] : '/');
    return this.fail(
      'cron-step-without-range',
      t(
        "{0}: '{1}' has a step without a range, which cron rejects. Write {2}-{3}/{4} (from {2}, every {4}) or */{4}.",
        label,
        itemText,
        from,
        spec.high,
        stepText,
      ),
      start,
      pos + (stepMatch ? stepMatch[0].length : 1),
      [
        { title: t('Change to {0}', `${from}-${spec.high}/${stepText}`), text: `${from}-${spec.high}/${stepText}` },
        { title: t('Change to {0}', `*/${stepText}`), text: `*/${stepText}` },
      ],
    );
  }

  /** What follows a complete item other than a comma: Debian skips it and runs the item alone. */
  private trailingText(itemText: string): void {
    const rest = this.text.slice(this.pos);
    if (rest.startsWith('#') && this.spec.name === 'dayOfWeek') {
      this.fail(
        'cron-unsupported-syntax',
        t("{0}: '{1}{2}' (nth weekday of the month) is a Quartz extension; Debian cron ignores '{2}' and would run it as '{1}'.", this.label, itemText, rest),
        this.pos,
        this.text.length,
      );
    } else {
      this.fail(
        'cron-trailing-text',
        t("{0}: unexpected '{1}' after '{2}'. Debian cron silently ignores it and would run this as '{2}'.", this.label, rest, itemText),
        this.pos,
        this.text.length,
      );
    }
  }
}

function reversedRangeProblem(item: CronItem, spec: CronFieldSpec): CronProblem {
  const stepSuffix = item.step === 1 ? '' : `/${item.step}`;
  const fixes: { title: string; text: string }[] = [];
  if (spec.name === 'dayOfWeek' && item.to === 0) {
    // `sat-sun`, `fri-sun`: Sunday is also 7, so the intended range has an exact spelling.
    fixes.push({ title: t('Change to {0}', `${item.from}-7${stepSuffix}`), text: `${item.from}-7${stepSuffix}` });
  } else {
    const top = spec.name === 'dayOfWeek' ? 6 : spec.high;
    if (item.step === 1) {
      const wrapped = `${span(item.from, top)},${span(spec.low, item.to)}`;
      fixes.push({ title: t('Change to {0} (wrap around)', wrapped), text: wrapped });
    }
    const swapped = `${item.to}-${item.from}${stepSuffix}`;
    fixes.push({ title: t('Change to {0}', swapped), text: swapped });
  }
  return {
    severity: 'warning',
    code: 'cron-reversed-range',
    message: t(
      "{0}: the range '{1}' runs backwards, so cron matches nothing for it (ranges do not wrap around). Did you mean {2}?",
      fieldLabel(spec),
      item.text,
      fixes.map((fix) => fix.text).join(t(' or ')),
    ),
    start: item.start,
    end: item.end,
    field: spec.name,
    fixes,
  };
}

function span(from: number, to: number): string {
  return from === to ? `${from}` : `${from}-${to}`;
}

/** Debian's MAX_TEMPSTR: get_number gives up on a word of this many characters. */
const MAX_WORD = 1000;
const INT_MAX = 2147483647;
const INT_MAX_TEXT = String(INT_MAX);

/**
 * What glibc's atoi() makes of a decimal string on 64-bit Debian: strtol() saturates at
 * 2^63 - 1, and the conversion to int keeps the low 32 bits (two's complement).
 */
export function debianAtoi(digits: string): number {
  const value = BigInt(digits);
  const long = value > 0x7fffffffffffffffn ? 0x7fffffffffffffffn : value;
  return Number(BigInt.asIntN(32, long));
}

function shorten(word: string): string {
  return word.length > 24 ? `${word.slice(0, 10)}…${word.slice(-10)}` : word;
}

const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].flatMap(
  (name) => [name, name.slice(0, 4)],
);
const FULL_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'tues', 'thur', 'thurs', 'weds'];

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function error(code: CronProblemCode, message: string, start: number, end: number): CronProblem {
  return { severity: 'error', code, message, start, end };
}
