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

/** What replaces a secret-looking part of a message. */
export const REDACTED = '[secret removed]';

/**
 * A message, hover or log line with everything that looks like a secret replaced: tokens shaped
 * like an API secret, and the value of an assignment to a secret-sounding name. Applied where
 * text leaves the core, so no message can echo what a user pasted by mistake.
 */
export function redactSecrets(text: string): string {
  const result = text.replace(SECRET_ASSIGNMENT, (whole, name: string, separator: string, value: string) =>
    isSecretVariableName(name) && !/^(file|env|keychain|dpapi)$/.test(name) && !value.startsWith('[') && !NOT_A_SECRET.test(value) ? `${name}${separator}${REDACTED}` : whole,
  );
  // Stricter than findSecretToken: inside a path or a word too, since a message quotes both.
  return result.replace(/[A-Za-z0-9]+/g, (run) => (looksLikeApiSecret(run) ? REDACTED : run));
}
