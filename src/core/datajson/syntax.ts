import { ParseErrorCode, printParseErrorCode } from 'jsonc-parser';
import { t } from '../l10n';
import type { JsonProblem } from './json';
import type { Reporter } from './reporter';

/** What bwdc's JSON.parse rejects: comments, trailing commas, a BOM, broken JSON. */
export function reportSyntax(reporter: Reporter, problems: readonly JsonProblem[]): void {
  // Measured with 2026.4.0 and 2026.6.1 (test/realbwdc/FACTS.md): the reset is certain, the backup a race.
  const consequence = t(
    'bwdc (2026.4 and 2026.6 alike) would reset it to its defaults, losing every setting and the server address, and its copy in data.json.bak is not to be trusted (it races the reset and often holds only {0}): the configuration would be gone and nothing would sync.',
    '{}',
  );
  const text = reporter.text;
  for (const problem of problems) {
    const where = reporter.span(problem.offset, problem.length);
    switch (problem.kind) {
      case 'bom':
        reporter.report(
          where,
          'error',
          'data-json-bom',
          t(
            'data.json starts with a byte order mark (BOM), which JSON.parse rejects: {0} Save the file as UTF-8 without BOM (in VS Code: Save with Encoding → UTF-8).',
            consequence,
          ),
        );
        break;
      case 'comment':
        reporter.report(where, 'error', 'data-json-comment', t('JSON has no comments: {0} Remove the comment.', consequence), [
          { title: t('Remove the comment'), edits: [{ range: where, newText: '' }], preferred: true },
        ]);
        break;
      case 'trailing-comma':
        reporter.report(where, 'error', 'data-json-trailing-comma', t('JSON allows no comma before a closing bracket: {0} Remove the comma.', consequence), [
          { title: t('Remove the trailing comma'), edits: [{ range: where, newText: '' }], preferred: true },
        ]);
        break;
      case 'syntax': {
        const endsInside = problem.error === ParseErrorCode.UnexpectedEndOfString || problem.error === ParseErrorCode.UnexpectedEndOfNumber;
        const atEnd = problem.offset >= text.length || (endsInside && problem.offset + problem.length >= text.length);
        const what = atEnd ? t('the file ends too early; it may have been cut off') : describeSyntaxError(problem.error);
        reporter.report(where, 'error', 'data-json-syntax', t('This is not valid JSON ({0}): {1} Correct the JSON here.', what, consequence));
        break;
      }
    }
  }
}

function describeSyntaxError(error: ParseErrorCode | undefined): string {
  switch (error) {
    case ParseErrorCode.InvalidSymbol:
      return t('unexpected character; strings and names need double quotes');
    case ParseErrorCode.InvalidNumberFormat:
    case ParseErrorCode.UnexpectedEndOfNumber:
      return t('incomplete or invalid number');
    case ParseErrorCode.PropertyNameExpected:
      return t('a property name in double quotes was expected');
    case ParseErrorCode.ValueExpected:
      return t('a value was expected');
    case ParseErrorCode.ColonExpected:
      return t("':' was expected");
    case ParseErrorCode.CommaExpected:
      return t("',' was expected");
    case ParseErrorCode.CloseBraceExpected:
      return t("'}' was expected");
    case ParseErrorCode.CloseBracketExpected:
      return t("']' was expected");
    case ParseErrorCode.EndOfFileExpected:
      return t('nothing may follow the top-level object');
    case ParseErrorCode.UnexpectedEndOfString:
      return t('unterminated string; a string cannot span lines');
    case ParseErrorCode.InvalidUnicode:
      return t('invalid \\u escape');
    case ParseErrorCode.InvalidEscapeCharacter:
      return t('invalid escape; write a backslash as \\\\');
    case ParseErrorCode.InvalidCharacter:
      return t('control character inside a string; write it as an escape such as \\t');
    default:
      return error === undefined ? t('unreadable') : printParseErrorCode(error);
  }
}
