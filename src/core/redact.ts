/**
 * What looks like a secret, and how to keep it out of anything shown: messages, hovers, logs.
 * A leaf module: cron, schedule and data.json code all use it.
 */

/**
 * Whether a value looks like an API secret itself: Bitwarden's organization `client_secret`
 * is 30 random letters and digits. Requiring mixed case and a digit keeps words, names and
 * paths from matching.
 */
export function looksLikeApiSecret(value: string): boolean {
  return /^[A-Za-z0-9]{24,64}$/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
}

/** Variable names that announce a secret value. */
export function isSecretVariableName(name: string): boolean {
  return /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i.test(name);
}

/** `NAME=value` or `NAME: value` where NAME announces a secret (BW_CLIENTSECRET=…, client_secret: …). */
const SECRET_ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_.-]*)([ \t]*[=:][ \t]*)([^\s'"`,;“”„‘’«»]+)/g;

/** Values no secret has: switches and small numbers (BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true). */
const NOT_A_SECRET = /^(?:true|false|yes|no|on|off|\d{1,6})['".,;:)]*$/i;

/** Some secret-sounding name (isSecretVariableName) somewhere in a text. */
const SECRET_NAME_ANYWHERE = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
/** Runs of letters and digits as long as the shortest API secret. */
const LONG_RUNS = /[A-Za-z0-9]{24,}/g;

/** What replaces a secret-looking part of a message. */
export const REDACTED = '[secret removed]';

/**
 * A message, hover or log line with everything that looks like a secret replaced: tokens shaped
 * like an API secret, and the value of an assignment to a secret-sounding name. Applied where
 * text leaves the core, so no message can echo what a user pasted by mistake.
 */
export function redactSecrets(text: string): string {
  // Diagnostics pass every message through here (thousands on a large file): most hold neither a
  // secret-sounding name nor a run of 24 letters and digits, and need neither replacement.
  const maybeAssignment = SECRET_NAME_ANYWHERE.test(text);
  if (!maybeAssignment && !hasLongRun(text)) return text;
  const result = maybeAssignment
    ? text.replace(SECRET_ASSIGNMENT, (whole, name: string, separator: string, value: string) =>
        isSecretVariableName(name) && !/^(file|env|keychain|dpapi)$/.test(name) && !value.startsWith('[') && !NOT_A_SECRET.test(value)
          ? `${name}${separator}${REDACTED}`
          : whole,
      )
    : text;
  // Stricter than findSecretToken: inside a path or a word too, since a message quotes both.
  return result.replace(LONG_RUNS, (run) => (looksLikeApiSecret(run) ? REDACTED : run));
}

/** Whether a text has 24 ASCII letters and digits in a row (a loop: the regex backtracks at every character). */
function hasLongRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const alphanumeric = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    run = alphanumeric ? run + 1 : 0;
    if (run >= 24) return true;
  }
  return false;
}
