import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parseCron } from '../../src/core/cron/parse';
import { validateDataJson } from '../../src/core/datajson/validate';
import { format, t, useTranslations } from '../../src/core/l10n';
import { diagnoseSchedule } from '../../src/core/schedule/diagnose';
import { directiveHover } from '../../src/core/schedule/hover';
import { cronToTriggers, describeTrigger } from '../../src/core/task/triggers';
import { repositoryRoot } from './cli/fakeIo';
import { germanBundle, withBundle } from './translations';

/**
 * Every user-facing message goes through `vscode.l10n.t` or core's `t` (src/core/l10n.ts) with
 * the English text as its key, and l10n/bundle.l10n.de.json translates every key. The keys are
 * read from the source's syntax tree: the literal first argument of each call.
 */

const root = repositoryRoot();
const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');
const readJson = (file: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;

/** Source files whose messages the extension shows; the CLI speaks English only. */
function sourceFiles(folder = path.join(root, 'src')): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return relative(full) === 'src/cli' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface Source {
  readonly file: string;
  readonly tree: ts.SourceFile;
}

let parsed: Source[] | undefined;
function sources(): Source[] {
  parsed ??= sourceFiles().map((file) => ({
    file: relative(file),
    tree: ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
  }));
  return parsed;
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function where(source: Source, node: ts.Node): string {
  return `${source.file}:${source.tree.getLineAndCharacterOfPosition(node.getStart(source.tree)).line + 1}`;
}

/** `t(…)`, `vscode.l10n.t(…)`, `l10n.t(…)` and `this.t(…)`: the calls that translate. */
function isTranslateCall(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === 't';
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 't' &&
    (callee.expression.kind === ts.SyntaxKind.ThisKeyword || callee.expression.getText().endsWith('l10n'))
  );
}

const isLiteral = (node: ts.Node | undefined): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral =>
  node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));

interface Extracted {
  readonly keys: Map<string, string[]>;
  /** Calls whose message is not a literal, which no extraction can follow. */
  readonly notLiteral: string[];
}

let extracted: Extracted | undefined;
function extract(): Extracted {
  if (extracted) return extracted;
  const keys = new Map<string, string[]>();
  const notLiteral: string[] = [];
  for (const source of sources()) {
    walk(source.tree, (node) => {
      if (!isTranslateCall(node)) return;
      const message = node.arguments[0];
      if (!isLiteral(message)) {
        notLiteral.push(`${where(source, node)}: ${node.getText(source.tree).slice(0, 80)}`);
        return;
      }
      keys.set(message.text, [...(keys.get(message.text) ?? []), where(source, node)]);
    });
  }
  extracted = { keys, notLiteral };
  return extracted;
}

const placeholders = (text: string): string[] => [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();
const codicons = (text: string): string[] => (text.match(/\$\([a-z0-9-~]+\)/g) ?? []).sort();
const manifestKeys = (text: string): string[] => [...text.matchAll(/"%([^%"]+)%"/g)].map((match) => match[1]!);

describe('localization', () => {
  describe('the keys in the source', () => {
    it('are read from single quotes, double quotes and template literals without substitutions', () => {
      const tree = ts.createSourceFile(
        'x.ts',
        "t('a {0}', 1); vscode.l10n.t(\"b's\"); t(`c\\n`); other('d'); x.t('e'); t(`f${1}`);",
        ts.ScriptTarget.Latest,
        true,
      );
      const found: string[] = [];
      walk(tree, (node) => {
        if (isTranslateCall(node) && isLiteral(node.arguments[0])) found.push(node.arguments[0].text);
      });
      assert.deepEqual(found, ['a {0}', "b's", 'c\n']);
    });

    it('are all string literals, so that every message can be found and translated', () => {
      assert.deepEqual(extract().notLiteral, []);
      assert.ok(extract().keys.size > 400, `only ${extract().keys.size} keys found`);
    });

    it('are not installed as a bundle by the command-line tool, which speaks English', () => {
      const cli = fs.readdirSync(path.join(root, 'src', 'cli')).map((name) => fs.readFileSync(path.join(root, 'src', 'cli', name), 'utf8'));
      assert.ok(cli.every((text) => !text.includes('useTranslations') && !text.includes('l10n')));
    });
  });

  describe('the German bundle (l10n/bundle.l10n.de.json)', () => {
    const german = (): Record<string, string> => readJson('l10n/bundle.l10n.de.json');

    it('translates every key the source uses', () => {
      const translations = german();
      const missing = [...extract().keys]
        .filter(([key]) => typeof translations[key] !== 'string' || translations[key]!.trim() === '')
        .map(([key, at]) => `${at[0]}: ${JSON.stringify(key)}`);
      assert.deepEqual(missing, []);
    });

    it('holds no key that the source no longer uses', () => {
      const keys = extract().keys;
      assert.deepEqual(
        Object.keys(german()).filter((key) => !keys.has(key)),
        [],
      );
    });

    it('keeps the placeholders {0}, {1}, … of each message', () => {
      const wrong = Object.entries(german()).filter(([key, value]) => placeholders(key).join() !== placeholders(value).join());
      assert.deepEqual(wrong, []);
    });

    it('keeps the codicons $(…) of each message', () => {
      const wrong = Object.entries(german()).filter(([key, value]) => codicons(key).join() !== codicons(value).join());
      assert.deepEqual(wrong, []);
    });
  });

  describe('the manifest', () => {
    it('has an English text in package.nls.json for every %key% of package.json', () => {
      const english = readJson('package.nls.json');
      const missing = manifestKeys(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).filter((key) => typeof english[key] !== 'string');
      assert.deepEqual(missing, []);
    });

    it('has a German text in package.nls.de.json for every key of package.nls.json, and no other', () => {
      const english = Object.keys(readJson('package.nls.json')).sort();
      const german = readJson('package.nls.de.json');
      assert.deepEqual(Object.keys(german).sort(), english);
      assert.deepEqual(
        Object.entries(german).filter(([, value]) => typeof value !== 'string' || value.trim() === ''),
        [],
      );
    });

    it('keeps command links and codicons in the German manifest texts', () => {
      const english = readJson('package.nls.json');
      const german = readJson('package.nls.de.json');
      const links = (text: string): string[] => (text.match(/\(command:[^)]+\)/g) ?? []).sort();
      const wrong = Object.keys(english).filter(
        (key) =>
          german[key] !== undefined &&
          (links(english[key]!).join() !== links(german[key]!).join() || codicons(english[key]!).join() !== codicons(german[key]!).join()),
      );
      assert.deepEqual(wrong, []);
    });

    it('points VS Code at the l10n folder', () => {
      const manifest = readJson('package.json') as unknown as { l10n?: string };
      assert.equal(manifest.l10n, './l10n');
    });
  });

  describe('no user-facing text escapes translation', () => {
    /** Task Scheduler work in progress converts this file's messages; take it off the list then. */
    const PENDING = new Set<string>([]);

    /** Words, not syntax: text with a blank between letters, or one plain word ('Install'), unlike `organization.x` or `data.json`. */
    const isWords = (text: string): boolean => /[A-Za-z].*\s|\s.*[A-Za-z]/.test(text.trim()) || /^[A-Za-z][a-z]+[.!?:]?$/.test(text.trim());

    /** An expression that puts English words in front of the user: a literal, or a template, concatenation or choice of them. */
    function isRawText(node: ts.Expression): boolean {
      if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return isRawText(node.expression);
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return isWords(node.text);
      if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].some(isWords);
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return isRawText(node.left) || isRawText(node.right);
      if (ts.isConditionalExpression(node)) return isRawText(node.whenTrue) || isRawText(node.whenFalse);
      return false;
    }

    const MESSAGE_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage', 'say', 'confirm']);
    /** Constructors whose text arguments the user sees: index of those arguments. */
    const CONSTRUCTORS: Readonly<Record<string, readonly number[]>> = {
      Diagnostic: [1],
      DiagnosticRelatedInformation: [1],
      CodeAction: [0],
      MarkdownString: [0],
      CrontabError: [0],
      CrontabTextError: [0],
      SecretStoreError: [0],
      TaskXmlError: [0],
      TaskXmlParseError: [0],
      ScheduledTaskError: [0],
    };
    /** Properties, assigned or in object literals, that hold what the user reads in the editor (features, commands). */
    const UI_PROPERTIES = new Set([
      'message',
      'title',
      'detail',
      'prompt',
      'placeHolder',
      'placeholder',
      'openLabel',
      'tooltip',
      'label',
      'description',
      'name',
      'text',
    ]);
    /** The same in core and host results: diagnostics, fixes, completion entries, outcomes, refusals. */
    const RESULT_PROPERTIES = new Set(['message', 'title', 'detail', 'documentation', 'reason']);

    function escapes(): string[] {
      const found: string[] = [];
      for (const source of sources()) {
        if (PENDING.has(source.file)) continue;
        const ui = /^src\/(features|commands|editor)\/|^src\/extension\.ts$/.test(source.file);
        const properties = ui ? UI_PROPERTIES : RESULT_PROPERTIES;
        const report = (node: ts.Node): void => void found.push(`${where(source, node)}: ${node.getText(source.tree).slice(0, 100)}`);
        walk(source.tree, (node) => {
          if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && MESSAGE_CALLS.has(node.expression.name.text)) {
            for (const argument of node.arguments) {
              if (isRawText(argument)) report(argument);
              if (ts.isObjectLiteralExpression(argument)) {
                for (const property of argument.properties) if (ts.isPropertyAssignment(property) && isRawText(property.initializer)) report(property);
              }
            }
          } else if (ts.isNewExpression(node)) {
            const name = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : node.expression.getText(source.tree);
            for (const index of CONSTRUCTORS[name] ?? []) {
              const argument = node.arguments?.[index];
              if (argument && isRawText(argument)) report(argument);
            }
          } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
            if (properties.has(node.left.name.text) && isRawText(node.right)) report(node);
          } else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && properties.has(node.name.text)) {
            if (isRawText(node.initializer)) report(node);
          }
        });
      }
      return found;
    }

    it('takes literals, templates and choices with words for English, and syntax or joins of translated parts for none', () => {
      const expression = (text: string): ts.Expression =>
        (ts.createSourceFile('x.ts', `(${text});`, ts.ScriptTarget.Latest, true).statements[0] as ts.ExpressionStatement).expression;
      for (const raw of ["'Install'", '"crontab: ok"', '`Cannot ${x}`', "a ? 'Yes' : b", "x + ' more'", "'Bad' as string", '`${a} failed`'])
        assert.ok(isRawText(expression(raw)), raw);
      for (const fine of [
        "''",
        "' — '",
        '`${a} ${b}`',
        'message',
        "t('Bad')",
        "a ? t('Yes') : b",
        "'organization.xxxxxxxx'",
        "'data.json'",
        "'bwdcSchedule.crontab'",
      ])
        assert.ok(!isRawText(expression(fine)), fine);
    });

    it('in notifications, questions, diagnostics, status items, CodeLens, pickers and error messages', () => {
      assert.deepEqual(escapes(), []);
    });
  });

  describe('core t()', () => {
    afterEach(() => useTranslations(undefined));

    it('speaks English when no bundle is installed, filling placeholders like vscode.l10n.t', () => {
      assert.equal(t('{0} of {1}, {0} again; {2} stays', 'a', 2), 'a of 2, a again; {2} stays');
      assert.equal(t('{0} is {1}', true, 0), 'true is 0');
      assert.equal(format('no arguments: {0}', []), 'no arguments: {0}');
      assert.equal(t('{name} and {0}', 'x'), '{name} and x');
    });

    it('uses the installed bundle, and English for a message it lacks', () => {
      useTranslations({ 'Hello {0}': 'Hallo {0}' });
      assert.equal(t('Hello {0}', 'Welt'), 'Hallo Welt');
      assert.equal(t('Goodbye {0}', 'Welt'), 'Goodbye Welt');
      assert.equal(t('constructor'), 'constructor');
    });
  });

  describe('core messages with the German bundle installed', () => {
    const SCHEDULE =
      'schedule 0 25 * * *\nschedule 0 0 31 2 *\nclient-id organization.6f1c0ea6-1f2b-4a3e-9d1e-0b5f2c7a9e11\nsecret file:/home/bwdc/client_secret\nenv BITWARDENCLI_CONNECTOR_PLAINTEXT_SECRETS=true\n';
    const messages = (): string[] => diagnoseSchedule(SCHEDULE, { hostPlatform: 'linux' }).map((diagnostic) => diagnostic.message);

    it('say what is wrong with a cron field in German, the field and the values filled in', () => {
      assert.deepEqual(withBundle(germanBundle(), messages), ['Stunde: 25 liegt außerhalb des Bereichs 0–23.', 'Läuft nie: Februar hat nie den Tag 31.']);
      assert.deepEqual(messages(), ['hour: 25 is out of range 0–23.', 'Never runs: February never has day 31.']);
    });

    it('explain a data.json problem and offer its fix in German', () => {
      const text =
        '{"stateVersion": 6, "directoryType": "0", "directoryLdap": {"hostname": "dc1", "port": 389, "rootPath": "dc=example,dc=com", "username": "bwdc"}, "sync": {"users": true}}';
      const report = withBundle(germanBundle(), () => validateDataJson(text));
      assert.deepEqual(
        report.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message, diagnostic.fixes?.[0]?.title]),
        [
          [
            'data-directory-type-not-number',
            'directoryType ist die Zeichenfolge "0", aber bwdc vergleicht sie mit der Zahl 0 (===), daher passt kein Verzeichnis, und die Synchronisierung schlägt fehl. Schreiben Sie den Wert ohne Anführungszeichen: 0.',
            'Ändern in die Zahl 0',
          ],
        ],
      );
      assert.equal(report.summary?.layoutLabel, 'flaches State-Service-Layout (Directory Connector v2026.6.0 und neuer)');
    });

    it('describe Task Scheduler triggers and directives in German', () => {
      const triggers = (cron: string): string[] => {
        const plan = cronToTriggers(parseCron(cron).expression!);
        return plan.exact ? plan.triggers.map(describeTrigger) : [];
      };
      withBundle(germanBundle(), () => {
        assert.deepEqual(triggers('*/30 8-17 * * 1-5'), ['wöchentlich Mo,Di,Mi,Do,Fr 08:00, Wiederholung alle 30 Min. bis 17:30']);
        assert.deepEqual(triggers('@reboot'), ['beim Systemstart']);
        assert.equal(directiveHover('schedule')?.split('\n')[0], '**schedule** — erforderlich, eine oder mehrere Zeilen');
      });
      assert.deepEqual(triggers('*/30 8-17 * * 1-5'), ['weekly Mon,Tue,Wed,Thu,Fri 08:00, repeating every 30 min until 17:30']);
    });
  });
});
