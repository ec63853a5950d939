import type { Diagnostic, PathKind, QuickFix } from '../diagnostic';
import { t } from '../l10n';
import { looksLikeApiSecret } from '../redact';
import { range } from '../text';
import type { Platform } from './directives';
import type { Directive } from './parse';
import { isAbsoluteFor } from './paths';

/**
 * `notify` lines: how the admin hears about a run without reading its log.
 *
 *   notify ping:URL   a healthchecks.io-style monitor: URL/start when a run starts, URL when it
 *                     succeeds, URL/fail when it fails, the run's summary as the request body
 *   notify exec:PATH  a program run after a failed run, the failure summary on its stdin
 *
 * healthchecks.io also takes the exit status as URL/<status>; the script only ever exits 0 or 1,
 * for which /fail and /1 mean the same, and /fail also works with the monitors that copied only
 * the start/success/fail part of the convention (Uptime Kuma's push URLs do not, cronitor's do).
 */

export type NotifyTarget = { readonly kind: 'ping'; readonly url: string } | { readonly kind: 'exec'; readonly path: string };

export const NOTIFY_SCHEMES = ['ping', 'exec'] as const;

/** The target of a `notify` value, or undefined when it does not start with `ping:` or `exec:`. */
export function parseNotify(value: string): NotifyTarget | undefined {
  const match = /^(ping|exec):(.*)$/.exec(value);
  if (!match) return undefined;
  return match[1] === 'ping' ? { kind: 'ping', url: match[2]! } : { kind: 'exec', path: match[2]! };
}

/** The three URLs of a monitor: the suffix goes on the path, before any query; a fragment is never sent. */
export interface PingUrls {
  readonly start: string;
  readonly success: string;
  readonly failure: string;
  /** Where it goes, for the log: scheme, host and port, never the path (it is the check's key). */
  readonly display: string;
}

export function pingUrls(url: string): PingUrls {
  const withoutFragment = url.split('#')[0]!;
  const queryAt = withoutFragment.indexOf('?');
  const path = queryAt < 0 ? withoutFragment : withoutFragment.slice(0, queryAt);
  const query = queryAt < 0 ? '' : withoutFragment.slice(queryAt);
  const base = path.replace(/\/+$/, '');
  return { start: `${base}/start${query}`, success: withoutFragment, failure: `${base}/fail${query}`, display: pingDisplay(url) };
}

function pingDisplay(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'the monitor';
  }
}

/** Characters RFC 3986 never allows in a URL, and the quotes no monitor's URL needs. */
const NOT_IN_A_URL = /[\s'"`\\<>{}|^]/;

/** Hosts on this machine: a plain http: ping to them never crosses a network. */
function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

/**
 * The problems of one `notify` line (the generic checks — a secret-looking token, `~` — are
 * diagnose.ts's). `pathKind` looks an exec: program up on this machine, when it is the job's.
 */
export function notifyDiagnostics(directive: Directive, platform: Platform, pathKind?: (path: string) => PathKind | undefined): Diagnostic[] {
  const value = directive.value;
  const line = directive.line;
  const valueStart = directive.valueRange.start.character;
  const whole = directive.valueRange;
  const target = parseNotify(value);
  const error = (code: string, message: string, fixes?: QuickFix[], where = whole): Diagnostic => ({
    range: where,
    severity: 'error',
    code,
    message,
    ...(fixes ? { fixes } : {}),
  });
  if (!target) {
    // A bare URL or path: say which kind it is and offer the prefix.
    const guess = /^https?:\/\//i.test(value) ? 'ping:' : isAbsoluteFor(platform, value) ? 'exec:' : undefined;
    return [
      error(
        'invalid-notify',
        guess
          ? t("A notify line starts with its kind: write '{0}{1}'.", guess, value)
          : t(
              "Unknown notify target '{0}'. Use ping:URL (a monitor such as healthchecks.io, pinged when a run starts, succeeds or fails) or exec:PATH (a program run after a failed run, the summary on its stdin).",
              value.includes(':') ? value.slice(0, value.indexOf(':') + 1) : value,
            ),
        guess ? [{ title: t("Change to '{0}'", `${guess}${value}`), edits: [{ range: whole, newText: `${guess}${value}` }], preferred: true }] : undefined,
      ),
    ];
  }
  const targetStart = valueStart + target.kind.length + 1;
  const targetRange = range(line, targetStart, whole.end.character);
  if (target.kind === 'exec') {
    if (target.path.length === 0) return [error('invalid-notify', t("'exec:' needs the absolute path of a program after the colon."))];
    if (target.path.startsWith('~')) return []; // diagnose.ts reports `~` for every path.
    if (!isAbsoluteFor(platform, target.path)) {
      return [
        error(
          'notify-relative-path',
          t(
            "'{0}' is not an absolute path. The script runs unattended, in no particular folder and with a minimal PATH, so name the program by its absolute path, for example {1}.",
            target.path,
            platform === 'windows' ? 'exec:C:\\ProgramData\\bwdc\\on-failure.exe' : 'exec:/usr/local/bin/bwdc-failed',
          ),
          undefined,
          targetRange,
        ),
      ];
    }
    const kind = pathKind?.(target.path);
    if (kind === 'missing' || kind === 'directory') {
      return [
        {
          range: targetRange,
          severity: 'warning',
          code: 'notify-exec-missing',
          message:
            kind === 'missing'
              ? t("'{0}' does not exist on this machine: after a failed run the script would only log that it could not run it.", target.path)
              : t("'{0}' is a folder, not a program.", target.path),
        },
      ];
    }
    return [];
  }

  const url = target.url;
  if (url.length === 0) return [error('invalid-notify', t("'ping:' needs the monitor's URL after the colon, for example ping:https://hc-ping.com/<uuid>."))];
  const bad = NOT_IN_A_URL.exec(url);
  if (bad) {
    const at = targetStart + bad.index;
    return [
      error(
        'notify-url-character',
        /\s/.test(bad[0])
          ? t('A URL cannot contain a blank; write it as %20.')
          : t("A URL cannot contain {0} here: percent-encode it (a monitor's URL never needs it).", bad[0]),
        undefined,
        range(line, at, at + 1),
      ),
    ];
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [
      error(
        'invalid-notify-url',
        t("'{0}' is not a URL. Write the monitor's whole ping URL, for example ping:https://hc-ping.com/<uuid>.", url),
        undefined,
        targetRange,
      ),
    ];
  }
  if (!/^https?:\/\/[^/]/i.test(url) || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    return [error('invalid-notify-url', t("'{0}' is not an http: or https: URL; only those can be pinged.", url), undefined, targetRange)];
  }
  const problems: Diagnostic[] = [];
  // A monitor's key may look like this too (Better Stack's heartbeat tokens do), so a warning.
  const segment = /[A-Za-z0-9]+/g;
  for (let match = segment.exec(url); match; match = segment.exec(url)) {
    if (!looksLikeApiSecret(match[0])) continue;
    const at = targetStart + match.index;
    problems.push({
      range: range(line, at, at + match[0].length),
      severity: 'warning',
      code: 'notify-url-secret',
      message: t(
        "This part of the URL looks like an API secret. If it is the organization's client_secret, remove it: the URL is written into the generated script and sent with every ping. A monitor's own key is fine.",
      ),
    });
    break;
  }
  if (parsed.username || parsed.password) {
    problems.push({
      range: targetRange,
      severity: 'warning',
      code: 'notify-url-credentials',
      message: t(
        'This URL carries a user name or password. It is written into the generated script and sent with every ping; use a monitor whose URL is its only key (healthchecks.io, cronitor) or one that needs no password.',
      ),
    });
  }
  if (parsed.protocol === 'http:' && !isLocalHost(parsed.hostname)) {
    problems.push({
      range: range(line, targetStart, targetStart + 'http:'.length),
      severity: 'warning',
      code: 'notify-url-http',
      message: t(
        'Plain http: sends the run summary and the ping key unencrypted over the network, and anyone on the way can fake or drop a ping. Use https: unless the monitor is on this machine.',
      ),
      fixes: [
        {
          title: t("Change to '{0}'", 'https:'),
          edits: [{ range: range(line, targetStart, targetStart + 'http:'.length), newText: 'https:' }],
          preferred: true,
        },
      ],
    });
  }
  return problems;
}
