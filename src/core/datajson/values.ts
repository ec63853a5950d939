import { t } from '../l10n';
import type { JsonNode } from './json';

/** Longest value quoted in a message or summary. */
const QUOTE_LIMIT = 80;

/** How bwdc's `if (value)` sees a JSON value. */
export function truthy(node: JsonNode | undefined): boolean {
  if (!node) return false;
  switch (node.type) {
    case 'object':
    case 'array':
      return true;
    case 'null':
      return false;
    case 'number':
      return node.value !== 0 && !Number.isNaN(node.value);
    default:
      return Boolean(node.value);
  }
}

/** How a message names the JSON type of a value. */
export function kindOf(node: JsonNode): string {
  switch (node.type) {
    case 'object':
      return t('an object');
    case 'array':
      return t('an array');
    case 'string':
      return t('a string');
    case 'number':
      return t('a number');
    case 'boolean':
      return t('true/false');
    default:
      return 'null';
  }
}

/** A value from the file, safe to put in a one-line message: no control characters, at most QUOTE_LIMIT characters. */
export function quote(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters become spaces
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return flat.length > QUOTE_LIMIT ? `${flat.slice(0, QUOTE_LIMIT - 1)}…` : flat;
}

/** A URL without any `user:password@` part, so that a summary never shows a password. */
export function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
}
