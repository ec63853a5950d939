/**
 * A sync script's log of about `bytes` characters, as the bash script writes it: a run every 15
 * minutes over two instances, most of them synced (some with nothing changed), some with a
 * rejected login and bwdc's own words, some skipped for a lock, a few stopped for want of the
 * secret. What `bwdc-schedule history` reads in the bench (the 50 MB budget).
 */
export function historyLog(bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  let time = Date.parse('2020-01-01T00:00:00Z');
  const push = (label: string, message: string): void => {
    const line = `${new Date(time).toISOString().slice(0, 19)}+00:00 [${label}] ${message}\n`;
    parts.push(line);
    length += line.length;
  };
  const instances = ['instance-1', 'instance-2'];
  for (let run = 0; length < bytes; run++) {
    time += 15 * 60_000;
    push('weekly-sync', `run started (pid ${10_000 + (run % 50_000)})`);
    const kind = run % 20;
    if (kind === 19) {
      push(
        'weekly-sync',
        'run stopped: the secret file /home/bwdc/.config/bwdc-schedule/client_secret does not exist; store the secret with bwdc-schedule secret store; exit 1',
      );
      continue;
    }
    const results: string[] = [];
    instances.forEach((label, index) => {
      push(label, `instance folder: /srv/bwdc/${label}`);
      if (index === 0 && kind === 17) {
        push(label, 'skipped: another run is using this instance folder (lock /srv/bwdc/instance-1/.bwdc-schedule.lock)');
        results.push(`${label}: skipped: locked by another run`);
      } else if (index === 1 && (kind === 3 || kind === 11)) {
        push(
          label,
          'login failed: the client secret was rejected; check the client-id line and the secret the secret line points to (Admin Console, Organization info, View API key)',
        );
        push(label, 'bwdc: {"response":{"error":"invalid_client"},"captchaRequired":false,"statusCode":400}');
        results.push(`${label}: failed: login: the client secret was rejected`);
      } else {
        if (index === 0) push('weekly-sync', 'bwdc 2026.6.1 (/usr/local/bin/bwdc)');
        push(label, 'logged in');
        const synced =
          kind % 4 === 0 ? `synced: ${2 + (run % 7)} groups, ${40 + (run % 300)} users` : 'synced: nothing changed since the last sync (0 groups, 0 users)';
        push(label, synced);
        push(label, 'logged out');
        results.push(`${label}: ${synced}`);
      }
      push(label, `result: ${results.at(-1)!.slice(label.length + 2)}`);
    });
    const failed = results.some((result) => !result.includes(': synced'));
    push('weekly-sync', `run finished${failed ? ' with failures' : ''}: ${results.join('; ')}; exit ${failed ? 1 : 0}`);
  }
  return parts.join('');
}
