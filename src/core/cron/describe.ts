import { t } from '../l10n';
import { dayCombination, isFull, neverFires } from './analyze';
import { MACRO_EQUIVALENTS } from './fields';
import type { CalendarCron, CronExpression, CronField, CronItem } from './parse';

/**
 * Plain-language descriptions. cronstrue writes the sentence, but only after our own vixie
 * reading has normalized what it would misread (`0-7`, `*\/7`, reversed ranges), and we add
 * the notes that cronstrue cannot know: vixie's OR/AND day rule and steps that restart.
 */

export interface DescribeOptions {
  /** An editor language tag (`de`, `pt-br`) or a cronstrue locale (`pt_BR`); English otherwise. */
  readonly locale?: string;
  /** undefined: the locale's own habit (12-hour in English). */
  readonly use24HourTime?: boolean;
}

export interface CronDescription {
  /** The sentence; for an expression that never runs, "Never runs: " and why. */
  readonly text: string;
  /** Why it never runs, as a sentence of its own. */
  readonly neverReason?: string;
  /** Facts a reader must know that the sentence cannot carry. */
  readonly notes: readonly string[];
  readonly never: boolean;
  readonly reboot: boolean;
}

interface Cronstrue {
  toString(expression: string, options?: Record<string, unknown>): string;
  default: { locales: Record<string, object> };
}

let cronstrue: Cronstrue | undefined;
function loadCronstrue(): Cronstrue {
  if (!cronstrue) {
    // Loaded on first use: the extension must activate without it (see scripts/build.mjs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at first use (see above)
    const loaded = require('cronstrue/i18n') as Cronstrue;
    const english = loaded.default.locales['en'];
    if (english) {
      // English says "and on Friday" for vixie's OR; this variant says "or on Friday".
      const disjunctive = Object.create(english) as { commaAndOnX0(): string };
      disjunctive.commaAndOnX0 = () => ', or on %s';
      loaded.default.locales[OR_ENGLISH] = disjunctive;
    }
    cronstrue = loaded;
  }
  return cronstrue;
}
const OR_ENGLISH = 'en-x-vixie-or';

/** The cronstrue locale for an editor language tag, or 'en'. */
export function cronstrueLocale(tag: string | undefined): string {
  if (!tag) return 'en';
  const locales = Object.keys(loadCronstrue().default.locales);
  const wanted = tag.replace(/-/g, '_').toLowerCase();
  const exact = locales.find((locale) => locale.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split('_')[0];
  return locales.find((locale) => locale.toLowerCase() === language) ?? locales.find((locale) => locale.toLowerCase().startsWith(`${language}_`)) ?? 'en';
}

export function describeCron(expression: CronExpression, options: DescribeOptions = {}): CronDescription {
  const library = loadCronstrue();
  const locale = cronstrueLocale(options.locale);
  const base: Record<string, unknown> = { locale, throwExceptionOnParseError: false };
  if (options.use24HourTime !== undefined) base['use24HourTimeFormat'] = options.use24HourTime;

  if (expression.kind === 'reboot') {
    return {
      text: library.toString('@reboot', base),
      notes: [t('Runs once when cron starts after a boot, not at a clock time (Debian runs it once per boot, even if cron restarts).')],
      never: false,
      reboot: true,
    };
  }

  const notes: string[] = [];
  const never = neverFires(expression);
  if (never) {
    // What it would mean if cron read it the way it looks; cronstrue may not manage even that.
    const literal = literalReading(library, expression.text, base);
    if (literal) notes.push(t('Read literally: {0}', literal));
    notes.push(...unevenStepNotes(expression));
    return { text: never.message, neverReason: never.reason, notes, never: true, reboot: false };
  }

  const combination = dayCombination(expression);
  const options2 = { ...base };
  if (combination === 'or' && locale === 'en') options2['locale'] = OR_ENGLISH;
  if (combination === 'and-quirk') options2['logicalAndDayFields'] = true;
  const sentence = library.toString(normalizedExpression(expression), options2);
  notes.push(...dayNotes(expression, combination, options.locale));
  notes.push(...unevenStepNotes(expression));
  if (expression.macro) notes.push(t('{0} is the same as {1}.', expression.macro, MACRO_EQUIVALENTS[expression.macro]));
  return { text: sentence, notes, never: false, reboot: false };
}

function literalReading(library: Cronstrue, text: string, options: Record<string, unknown>): string | undefined {
  try {
    return library.toString(text.trim(), { ...options, throwExceptionOnParseError: true });
  } catch {
    return undefined;
  }
}

function dayNotes(cron: CalendarCron, combination: ReturnType<typeof dayCombination>, locale?: string): string[] {
  const dom = cron.dayOfMonth;
  const dow = cron.dayOfWeek;
  switch (combination) {
    case 'or':
      return [
        t(
          "Runs on every day that matches the day of the month ({0}) or the day of the week ({1}): cron joins the two day fields with OR when neither starts with '*'.",
          dom.text,
          dow.text,
        ),
      ];
    case 'or-moot': {
      const [full, other] = isFull(dom) ? [dom, dow] : [dow, dom];
      return [
        t(
          "Runs every day: '{0}' matches every day, and cron joins the day fields with OR, so '{1}' restricts nothing. Write * instead of '{0}' to run only on the days '{1}' names.",
          full.text,
          other.text,
        ),
      ];
    }
    case 'and-quirk': {
      const starLed = dom.starLed && !isFull(dom) ? dom : dow;
      return [
        t(
          "Runs only on days that match both day fields: day of month {0} and day of week {1}. Debian cron (and cronie, macOS) joins them with AND because '{2}' starts with '*'; POSIX, BusyBox and most libraries would run on either.",
          listValues(dom, locale),
          listValues(dow, locale),
          starLed.text,
        ),
      ];
    }
    default:
      return [];
  }
}

function unevenStepNotes(cron: CalendarCron): string[] {
  const notes: string[] = [];
  for (const field of [cron.minute, cron.hour]) {
    for (const item of field.items) {
      if (!item.star || item.step === 1) continue;
      const size = field.spec.high - field.spec.low + 1;
      if (size % item.step === 0) continue;
      const last = field.values[field.values.length - 1]!;
      const gap = size - last;
      notes.push(
        field.spec.name === 'minute'
          ? t(
              "'{0}' restarts every hour: minutes {1}, so the gap from :{2} to the next :00 is {3} minutes, not {4}.",
              item.text,
              listValues(field),
              last,
              gap,
              item.step,
            )
          : t(
              "'{0}' restarts every day: hours {1}, so the gap from {2}:00 to midnight is {3} hours, not {4}.",
              item.text,
              listValues(field),
              last,
              gap,
              item.step,
            ),
      );
    }
  }
  return notes;
}

/** The expression cronstrue should describe: same run times, none of the forms it misreads. */
export function normalizedExpression(cron: CalendarCron): string {
  return [
    normalizedTimeField(cron.minute),
    normalizedTimeField(cron.hour),
    // Under OR, a day field that matches nothing (a reversed range) leaves the other one alone.
    cron.dayOfMonth.values.length === 0 ? '*' : normalizedDayOfMonth(cron.dayOfMonth),
    isFull(cron.month) ? '*' : compactRanges(cron.month.values),
    isFull(cron.dayOfWeek) || cron.dayOfWeek.values.length === 0 ? '*' : compactRanges(cron.dayOfWeek.values),
  ].join(' ');
}

function normalizedTimeField(field: CronField): string {
  if (isFull(field)) return '*';
  const size = field.spec.high - field.spec.low + 1;
  const plain = field.items.every((item) => !item.reversed && (item.step === 1 || !item.star || size % item.step === 0));
  return plain && !field.text.match(/[a-z]/i) ? field.items.map((item) => item.text).join(',') : compactRanges(field.values);
}

function normalizedDayOfMonth(field: CronField): string {
  if (isFull(field)) return '*';
  const kept = field.items.filter((item: CronItem) => !item.reversed);
  return kept.length === field.items.length ? field.text : compactRanges(field.values);
}

/** `1,2,3,5` → `1-3,5`. */
export function compactRanges(values: readonly number[]): string {
  const parts: string[] = [];
  for (let index = 0; index < values.length;) {
    let end = index;
    while (end + 1 < values.length && values[end + 1] === values[end]! + 1) end++;
    const first = values[index]!;
    const last = values[end]!;
    if (end - index >= 2) parts.push(`${first}-${last}`);
    else for (let k = index; k <= end; k++) parts.push(String(values[k]));
    index = end + 1;
  }
  return parts.join(',');
}

/** Values for a sentence, shortened when long: `1, 3, 5, …, 31`. */
export function listValues(field: CronField, locale?: string): string {
  const values = field.values.map((value) => valueName(field, value, locale));
  if (values.length <= 8) return values.join(', ');
  return `${values.slice(0, 3).join(', ')}, …, ${values[values.length - 1]}`;
}

/** Values as ranges where they run on: `Mon–Fri`, `0–5, 30`. */
export function rangeValues(field: CronField, locale?: string): string {
  const parts: string[] = [];
  const values = field.values;
  for (let index = 0; index < values.length;) {
    let end = index;
    while (end + 1 < values.length && values[end + 1] === values[end]! + 1) end++;
    const first = valueName(field, values[index]!, locale);
    const last = valueName(field, values[end]!, locale);
    if (end - index >= 2) parts.push(`${first}–${last}`);
    else for (let k = index; k <= end; k++) parts.push(valueName(field, values[k]!, locale));
    index = end + 1;
  }
  return parts.join(', ');
}

const nameFormats = new Map<string, Intl.DateTimeFormat>();
function nameFormat(locale: string | undefined, part: 'weekday' | 'month'): Intl.DateTimeFormat {
  const key = `${locale ?? 'en'}/${part}`;
  let format = nameFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale ?? 'en', { [part]: 'short', timeZone: 'UTC' });
    } catch {
      format = new Intl.DateTimeFormat('en', { [part]: 'short', timeZone: 'UTC' });
    }
    nameFormats.set(key, format);
  }
  return format;
}

function valueName(field: CronField, value: number, locale?: string): string {
  // 2023-01-01 was a Sunday, so day n of that week is weekday n.
  if (field.spec.name === 'dayOfWeek') return nameFormat(locale, 'weekday').format(Date.UTC(2023, 0, 1 + value));
  if (field.spec.name === 'month') return nameFormat(locale, 'month').format(Date.UTC(2023, value - 1, 1));
  return String(value);
}

export interface FieldExplanation {
  readonly field: CronField;
  readonly label: string;
  readonly meaning: string;
}

/** What each of the five fields contributes, for the hover's per-field table. */
export function explainFields(cron: CalendarCron, options: DescribeOptions = {}): FieldExplanation[] {
  const labels: Record<CronField['spec']['name'], string> = {
    minute: t('minute'),
    hour: t('hour'),
    dayOfMonth: t('day of month'),
    month: t('month'),
    dayOfWeek: t('day of week'),
  };
  const everyText: Record<CronField['spec']['name'], string> = {
    minute: t('every minute'),
    hour: t('every hour'),
    dayOfMonth: t('every day of the month'),
    month: t('every month'),
    dayOfWeek: t('every day of the week'),
  };
  const combination = dayCombination(cron);
  return [cron.minute, cron.hour, cron.dayOfMonth, cron.month, cron.dayOfWeek].map((field) => {
    const name = field.spec.name;
    let meaning: string;
    if (field.values.length === 0) meaning = t('nothing (the range runs backwards)');
    else if (isFull(field)) meaning = everyText[name];
    else meaning = rangeValues(field, options.locale);
    const isDay = name === 'dayOfMonth' || name === 'dayOfWeek';
    if (isDay && combination === 'or') meaning += t(' — or the other day field');
    if (isDay && combination === 'and-quirk') meaning += t(' — and the other day field');
    return { field, label: labels[name], meaning };
  });
}
