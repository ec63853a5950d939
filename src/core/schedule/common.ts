import { t } from '../l10n';

/**
 * Schedules admins pick most often, offered by completion with their descriptions. `why` is in
 * the user's language (a getter: translated when read).
 */
export const COMMON_SCHEDULES: readonly { readonly expression: string; readonly why: string }[] = [
  {
    expression: '0 * * * *',
    get why() {
      return t('every hour');
    },
  },
  {
    expression: '*/15 * * * *',
    get why() {
      return t('every 15 minutes');
    },
  },
  {
    expression: '0 */6 * * *',
    get why() {
      return t('every 6 hours');
    },
  },
  {
    expression: '0 2 * * *',
    get why() {
      return t('daily at 02:00');
    },
  },
  {
    expression: '0 8 * * 1-5',
    get why() {
      return t('weekdays at 08:00');
    },
  },
  {
    expression: '0 12 * * 1',
    get why() {
      return t("Bitwarden's cron example: Mondays at 12:00");
    },
  },
  {
    expression: '0 0 * * 2',
    get why() {
      return t("Bitwarden's cron example: Tuesdays at midnight");
    },
  },
  {
    expression: '0 20 * * 0',
    get why() {
      return t("Bitwarden's Task Scheduler example: Sundays at 20:00");
    },
  },
  {
    expression: '0 3 1 * *',
    get why() {
      return t('monthly, on the 1st at 03:00');
    },
  },
];
