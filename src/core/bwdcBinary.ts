/**
 * A packaged bwdc (an executable, not a script) loads a native module from its own folder:
 * keytar.node up to 2026.4, dc_native.<platform>.node from 2026.6. Without it bwdc fails at every
 * start (Directory Connector #19). Shared by the schedule diagnostics and doctor.
 */

/** Whether a file's first bytes are an executable's (ELF, Mach-O, PE have NUL bytes at once; a wrapper script starts with #!). */
export function isPackagedExecutable(head: string): boolean {
  return !head.startsWith('#!') && head.slice(0, 64).includes('\u0000');
}

/** Whether a file name is the native module a packaged bwdc loads. */
export function isNativeModuleName(name: string): boolean {
  return name === 'keytar.node' || /^dc_native\..+\.node$/.test(name);
}
