/** Schedules admins pick most often, offered by completion with their descriptions. */
export const COMMON_SCHEDULES: readonly { readonly expression: string; readonly why: string }[] = [
  { expression: '0 * * * *', why: 'every hour' },
  { expression: '*/15 * * * *', why: 'every 15 minutes' },
  { expression: '0 */6 * * *', why: 'every 6 hours' },
  { expression: '0 2 * * *', why: 'daily at 02:00' },
  { expression: '0 8 * * 1-5', why: 'weekdays at 08:00' },
  { expression: '0 12 * * 1', why: "Bitwarden's cron example: Mondays at 12:00" },
  { expression: '0 0 * * 2', why: "Bitwarden's cron example: Tuesdays at midnight" },
  { expression: '0 20 * * 0', why: "Bitwarden's Task Scheduler example: Sundays at 20:00" },
  { expression: '0 3 1 * *', why: 'monthly, on the 1st at 03:00' },
];
