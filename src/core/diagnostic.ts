import type { Range } from './text';

/**
 * The diagnostic shape every core checker reports (schedule files, data.json) and the editor,
 * the CLI and `--json` consumers read. A leaf: the checkers depend on it, never on each other.
 */

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}

export interface Diagnostic {
  readonly range: Range;
  readonly severity: Severity;
  /** Stable: quick fixes, docs and `--json` consumers key on it. */
  readonly code: string;
  readonly message: string;
  readonly fixes?: readonly QuickFix[];
  readonly related?: readonly { readonly range: Range; readonly message: string }[];
}

/** What a path names on this machine, as the checkers' `pathKind` callbacks answer. */
export type PathKind = 'file' | 'directory' | 'missing';
