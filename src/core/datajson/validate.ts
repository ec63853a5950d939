import { t } from '../l10n';
import type { DataJsonContext, DataJsonReport, DataJsonSummary } from './api';
import { checkDirectory, checkDirectoryType, describeDirectory, hasConfigObject, selectedDirectory } from './directories';
import { member, parseJson, property, valueOf, type JsonNode } from './json';
import { readLayout, type Settings } from './layout';
import { Reporter, type Mutable } from './reporter';
import { checkIgnoredSecrets, checkPlaintextSecret, checkReadableSecrets, secretState } from './secrets';
import { checkSync, describeSync } from './sync';
import { reportSyntax } from './syntax';
import { kindOf } from './values';

/**
 * The data.json checks that a JSON schema cannot express (BWDC-FACTS §5): what bwdc will do
 * with this file — reset it, ignore it, or stop a sync — with stable codes and exact ranges.
 * Pure and total: any text in, a report out; it never throws and never quotes a secret.
 */

export { STORED_SECURELY } from './secrets';

/** Checks a data.json text. Never throws: a failure of the check itself becomes an information diagnostic. */
export function validateDataJson(text: string, context: DataJsonContext = {}): DataJsonReport {
  try {
    return check(String(text), context);
  } catch (error) {
    return {
      diagnostics: [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: 'information',
          code: 'data-check-failed',
          message: t(
            'bwdc Schedule could not finish checking this data.json ({0}). Please report this as a bug.',
            error instanceof Error ? error.name : typeof error,
          ),
        },
      ],
    };
  }
}

function check(text: string, context: DataJsonContext): DataJsonReport {
  const plaintext = context.plaintextSecrets === true;
  const reporter = new Reporter(text);
  const parsed = parseJson(text);
  reportSyntax(reporter, parsed.problems);
  // Reading stops at a syntax error: what the partial tree lacks proves nothing, so it is only summarized.
  const broken = parsed.problems.some((problem) => problem.kind === 'syntax');
  const root = parsed.root;
  let summary: DataJsonSummary | undefined;
  if (root?.type === 'object') {
    const reading = readLayout(reporter, root, broken);
    if (reading.settings) checkSettings(reporter, reading.settings, reading.summary, broken, context, plaintext);
    else if (!broken && (reading.summary.layout === 'empty' || reading.summary.layout === 'unknown')) reportUnconfigured(reporter, root);
    summary = reading.summary;
    checkReadableSecrets(reporter, root, context.fileMode);
  } else if (root && !broken) {
    const where = root.type === 'array' ? reporter.span(root.offset, 1) : reporter.nodeRange(root);
    reporter.report(
      where,
      'error',
      'data-not-object',
      t(
        'bwdc expects data.json to hold one JSON object ({0}), not {1}: it cannot read any setting from this file. Restore the object the Directory Connector wrote, or delete the file and configure the Directory Connector again.',
        '{ … }',
        kindOf(root),
      ),
    );
  }
  const diagnostics = reporter.sorted();
  return summary ? { diagnostics, summary } : { diagnostics };
}

/** The settings bwdc reads in this layout: summarized even when broken, checked only when not. */
function checkSettings(
  reporter: Reporter,
  settings: Settings,
  summary: Mutable<DataJsonSummary>,
  broken: boolean,
  context: DataJsonContext,
  plaintext: boolean,
): void {
  const holder = settings.holder;
  const typeProperty = property(holder, 'directoryType');
  const typeValue = valueOf(typeProperty);
  const syncProperty = property(holder, settings.syncKey);
  const sync = valueOf(syncProperty);
  const present = (node: JsonNode | undefined): boolean => node !== undefined && node.type !== 'null';
  const configured = present(typeValue) || present(sync) || settings.configs.some(([, config]) => present(valueOf(config)));

  const organization = member(holder, 'organizationId');
  if (organization?.type === 'string' && organization.value) summary.organizationId = organization.value as string;
  for (const key of ['lastUserSync', 'lastGroupSync'] as const) {
    const value = member(holder, key);
    if (value?.type === 'string' && value.value) summary[key] = value.value as string;
  }
  const spec = selectedDirectory(typeValue);
  const configProperty = spec ? settings.config(spec) : undefined;
  const config = valueOf(configProperty);
  if (spec) {
    summary.directoryType = spec.type;
    summary.directoryLabel = spec.label;
    if (config?.type === 'object') {
      describeDirectory(spec, config, summary);
      summary.directorySecret = secretState(spec, config);
    }
  }
  if (sync?.type === 'object') describeSync(sync, summary);

  if (broken) return;
  checkIgnoredSecrets(reporter, settings.configs, plaintext);
  if (!configured) {
    if (holder) reportUnconfigured(reporter, holder);
    else reporter.report(reporter.nodeRange(settings.anchor), 'warning', 'data-unconfigured', unconfiguredMessage());
    return;
  }

  checkDirectoryType(reporter, typeProperty, typeValue, settings.anchor);
  if (spec && typeValue && hasConfigObject(reporter, spec, typeValue, config, settings.configPath(spec))) {
    checkDirectory(reporter, spec, configProperty!, config, context.pathKind);
    checkPlaintextSecret(reporter, spec, configProperty!, config, plaintext);
  }
  checkSync(reporter, syncProperty, settings.syncKey, settings.anchor, spec);
}

function reportUnconfigured(reporter: Reporter, object: JsonNode): void {
  reporter.report(reporter.span(object.offset, 1), 'warning', 'data-unconfigured', unconfiguredMessage());
}

function unconfiguredMessage(): string {
  return t(
    'No directory is configured in this data.json yet, so bwdc sync has nothing to do ("No directory configured."). Configure the Directory Connector (desktop app, or bwdc config and editing this file) before scheduling syncs.',
  );
}
