/**
 * Whether a schedule file's job is started by a systemd timer, from its text alone (no parse, no
 * process): the CodeLens and the status item ask on every refresh, so it must cost nothing.
 */
export function saysSchedulerSystemd(text: string): boolean {
  return /^[ \t]*scheduler[ \t]+systemd[ \t]*(#.*)?$/m.test(text);
}
