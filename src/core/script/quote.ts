/**
 * Quoting for generated scripts. Values from the schedule file are used literally: spaces,
 * quotes, `$`, backticks, `;` and non-ASCII text must reach the program unchanged. Newlines and
 * other control characters never get here (diagnostics reject them); we refuse them again.
 */

// eslint-disable-next-line no-control-regex -- the control characters no quoting can carry
const FORBIDDEN = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

export class UnquotableValueError extends Error {}

function assertQuotable(value: string): void {
  if (FORBIDDEN.test(value)) throw new UnquotableValueError(`a value contains a control character: ${JSON.stringify(value)}`);
}

/** A bash word that expands to exactly `value`: single quotes, with `'` written as `'\''`. */
export function shellQuote(value: string): string {
  assertQuotable(value);
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A PowerShell verbatim string: single quotes, with every kind of single quote doubled. */
export function powerShellQuote(value: string): string {
  assertQuotable(value);
  // PowerShell treats U+2018, U+2019, U+201A and U+201B as single quotes too.
  return `'${value.replace(/['\u2018\u2019\u201a\u201b]/g, (quote) => quote + quote)}'`;
}

/** Text for a `#` comment line: control characters removed, so a comment cannot end early. */
export function commentText(value: string): string {
  // eslint-disable-next-line no-control-regex -- a control character could end the comment early
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}
