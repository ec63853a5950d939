/** Command identifiers, shared by the manifest, CodeLens and tests. */
export const GENERATE_SCRIPT_COMMAND = 'bwdcSchedule.generateScript';
export const STORE_SECRET_COMMAND = 'bwdcSchedule.storeSecret';
