/** Command identifiers, shared by the manifest, CodeLens and tests. */
export const GENERATE_SCRIPT_COMMAND = 'bwdcSchedule.generateScript';
export const STORE_SECRET_COMMAND = 'bwdcSchedule.storeSecret';
export const INSTALL_CRONTAB_COMMAND = 'bwdcSchedule.installCrontab';
export const REMOVE_CRONTAB_COMMAND = 'bwdcSchedule.removeCrontab';
export const PREPARE_USER_COMMAND = 'bwdcSchedule.prepareUser';
export const VALIDATE_DATA_JSON_COMMAND = 'bwdcSchedule.validateDataJson';
export const EXPORT_TASK_XML_COMMAND = 'bwdcSchedule.exportTaskXml';
export const INSTALL_TASK_COMMAND = 'bwdcSchedule.installTask';
export const REMOVE_TASK_COMMAND = 'bwdcSchedule.removeTask';
export const INSTALL_SYSTEMD_TIMER_COMMAND = 'bwdcSchedule.installSystemdTimer';
export const REMOVE_SYSTEMD_TIMER_COMMAND = 'bwdcSchedule.removeSystemdTimer';
export const NEW_SCHEDULE_FILE_COMMAND = 'bwdcSchedule.newScheduleFile';
export const SHOW_HISTORY_COMMAND = 'bwdcSchedule.showHistory';
export const TEST_SYNC_COMMAND = 'bwdcSchedule.testSync';
export const RUN_SYNC_NOW_COMMAND = 'bwdcSchedule.runSyncNow';
export const CHECK_SETUP_COMMAND = 'bwdcSchedule.checkSetup';

/** Every command the manifest contributes. */
export const ALL_COMMANDS = [
  NEW_SCHEDULE_FILE_COMMAND,
  GENERATE_SCRIPT_COMMAND,
  STORE_SECRET_COMMAND,
  INSTALL_CRONTAB_COMMAND,
  REMOVE_CRONTAB_COMMAND,
  PREPARE_USER_COMMAND,
  INSTALL_TASK_COMMAND,
  REMOVE_TASK_COMMAND,
  INSTALL_SYSTEMD_TIMER_COMMAND,
  REMOVE_SYSTEMD_TIMER_COMMAND,
  EXPORT_TASK_XML_COMMAND,
  VALIDATE_DATA_JSON_COMMAND,
  SHOW_HISTORY_COMMAND,
  TEST_SYNC_COMMAND,
  RUN_SYNC_NOW_COMMAND,
  CHECK_SETUP_COMMAND,
] as const;

export type CommandId = (typeof ALL_COMMANDS)[number];
