import { t } from '../l10n';

export type CronFieldName = 'minute' | 'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek';

export interface CronFieldSpec {
  readonly name: CronFieldName;
  /** How crontab(5) calls the field (English; messages use {@link fieldLabel}). */
  readonly label: string;
  readonly low: number;
  readonly high: number;
  /** Three-letter names, index 0 standing for `low` (vixie's DowNames/MonthNames). */
  readonly names?: readonly string[];
}

export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
/** vixie lists Sunday twice (0 and 7); a name lookup finds the first, so `sun` is 0. */
export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export const CRON_FIELDS: readonly CronFieldSpec[] = [
  { name: 'minute', label: 'minute', low: 0, high: 59 },
  { name: 'hour', label: 'hour', low: 0, high: 23 },
  { name: 'dayOfMonth', label: 'day-of-month', low: 1, high: 31 },
  { name: 'month', label: 'month', low: 1, high: 12, names: MONTH_NAMES },
  { name: 'dayOfWeek', label: 'day-of-week', low: 0, high: 7, names: DAY_NAMES },
];

export const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@reboot'] as const;
export type Macro = (typeof MACROS)[number];

/** The five fields each macro stands for (Debian entry.c), shown in hovers. */
export const MACRO_EQUIVALENTS: Readonly<Record<Exclude<Macro, '@reboot'>, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The field's name in messages, in the user's language. */
export function fieldLabel(spec: Pick<CronFieldSpec, 'name'>): string {
  switch (spec.name) {
    case 'minute':
      return t('minute');
    case 'hour':
      return t('hour');
    case 'dayOfMonth':
      return t('day-of-month');
    case 'month':
      return t('month');
    case 'dayOfWeek':
      return t('day-of-week');
  }
}

/** The five fields in order, as messages name them: "minute hour day-of-month month day-of-week". */
export function fieldOrder(): string[] {
  return CRON_FIELDS.map(fieldLabel);
}
