import { t } from '../l10n';
import { fieldLabel } from './fields';
import type { CalendarCron, CronField } from './parse';

/**
 * Facts about a parsed expression that need no clock: whether it can ever fire (decided
 * from the calendar's structure, never by scanning years ahead) and how its day fields combine.
 */

export type DayCombination =
  /** At most one day field restricts: the days are simply those of that field. */
  | 'single'
  /** Neither field starts with `*` and both restrict: a day matching either runs (OR). */
  | 'or'
  /** Neither starts with `*`, one matches every day (`1-31`), so OR makes the other one moot. */
  | 'or-moot'
  /** A field starts with `*` but still restricts (`*\/2`): vixie requires both (AND). */
  | 'and-quirk';

export interface NeverFires {
  /** "Never runs: " and the reason. */
  readonly message: string;
  /** Why, as a sentence of its own. */
  readonly reason: string;
  /** Offsets in the expression of the part responsible. */
  readonly start: number;
  readonly end: number;
}

/** The most days each month can have in some year (February: 29). */
const MAX_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isFull(field: CronField): boolean {
  const { low, high, name } = field.spec;
  const top = name === 'dayOfWeek' ? 6 : high;
  return field.values.length === top - low + 1;
}

export function dayCombination(cron: CalendarCron): DayCombination {
  if (cron.macro) return 'single';
  const dom = cron.dayOfMonth;
  const dow = cron.dayOfWeek;
  const domRestricts = !isFull(dom);
  const dowRestricts = !isFull(dow);
  if (cron.dayRule === 'and') {
    const starLedRestricts = (dom.starLed && domRestricts) || (dow.starLed && dowRestricts);
    return starLedRestricts && domRestricts && dowRestricts ? 'and-quirk' : 'single';
  }
  // An empty field (a reversed range) contributes no days to the OR; its own warning explains it.
  if (dom.values.length === 0 || dow.values.length === 0) return 'single';
  if (domRestricts && dowRestricts) return 'or';
  if (domRestricts !== dowRestricts) return 'or-moot';
  return 'single';
}

/** Why the expression can never fire, or undefined when it fires at some point. */
export function neverFires(cron: CalendarCron): NeverFires | undefined {
  for (const field of [cron.minute, cron.hour, cron.month]) {
    if (field.values.length === 0) return emptyField(field);
  }
  const dom = cron.dayOfMonth;
  const dow = cron.dayOfWeek;
  const possibleDom = cron.month.values.some((month) => dom.values.some((day) => day <= MAX_DAYS[month]!));
  const anyDow = dow.values.length > 0;
  // Every (month, day) that exists falls on each weekday in some year, so only existence matters.
  const fires = cron.dayRule === 'and' ? possibleDom && anyDow : possibleDom || anyDow;
  if (fires) return undefined;

  if (cron.dayRule === 'and' && !anyDow) return emptyField(dow);
  if (dom.values.length === 0) {
    return cron.dayRule === 'or' && !anyDow ? emptyBoth(dom, dow) : emptyField(dom);
  }
  const months = cron.month.values.map(monthWord).join(', ');
  return cron.month.values.length === 1
    ? {
        message: t('Never runs: {0} never has day {1}.', months, dom.text),
        reason: t('{0} never has day {1}.', months, dom.text),
        start: dom.start,
        end: cron.month.end,
      }
    : {
        message: t('Never runs: none of {0} has day {1}.', months, dom.text),
        reason: t('None of {0} has day {1}.', months, dom.text),
        start: dom.start,
        end: cron.month.end,
      };
}

function emptyField(field: CronField): NeverFires {
  const reversed = field.items.filter((item) => item.reversed).map((item) => `'${item.text}'`);
  const label = fieldLabel(field.spec);
  const backwards = reversed.join(', ');
  return {
    message: t(
      "Never runs: the {0} field '{1}' matches nothing, because {2} runs backwards and cron does not wrap ranges around.",
      label,
      field.text,
      backwards,
    ),
    reason: t("The {0} field '{1}' matches nothing, because {2} runs backwards and cron does not wrap ranges around.", label, field.text, backwards),
    start: field.start,
    end: field.end,
  };
}

function emptyBoth(dom: CronField, dow: CronField): NeverFires {
  return {
    message: t("Never runs: both day fields ('{0}' and '{1}') match nothing, because their ranges run backwards.", dom.text, dow.text),
    reason: t("Both day fields ('{0}' and '{1}') match nothing, because their ranges run backwards.", dom.text, dow.text),
    start: dom.start,
    end: dow.end,
  };
}

/** A month's name (1 = January) in the user's language. */
function monthWord(month: number): string {
  switch (month) {
    case 1:
      return t('January');
    case 2:
      return t('February');
    case 3:
      return t('March');
    case 4:
      return t('April');
    case 5:
      return t('May');
    case 6:
      return t('June');
    case 7:
      return t('July');
    case 8:
      return t('August');
    case 9:
      return t('September');
    case 10:
      return t('October');
    case 11:
      return t('November');
    default:
      return t('December');
  }
}
