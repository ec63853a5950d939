import vscode = require('vscode');
import type { Questions } from './questions';

/**
 * Every question a command asks the user. The extension's exported API lets integration
 * tests answer them, so confirmations are exercised, never skipped.
 */
export interface Prompts {
  /** A modal yes/no; true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A password box; undefined when cancelled. */
  password(prompt: string, validate: (value: string) => string | undefined): Promise<string | undefined>;
}

export const editorPrompts: Prompts = {
  async confirm(message, detail, action) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
  password(prompt, validate) {
    return Promise.resolve(vscode.window.showInputBox({ prompt, password: true, ignoreFocusOut: true, validateInput: validate }));
  },
};

/**
 * Holder so tests can swap the prompts without re-registering commands. It lives in the
 * activation shell (src/extension.ts exports it), which knows no question: the editor's own
 * are the default, filled in by the language when it starts (src/language.ts).
 */
export class PromptsHolder {
  current: Prompts = editorPrompts;
  private asked: Questions | undefined;
  get questions(): Questions {
    if (!this.asked) throw new Error('the language has not started: no questions yet');
    return this.asked;
  }
  set questions(questions: Questions) {
    this.asked = questions;
  }
  /** Sets the editor's questions unless a test has set its own. */
  useByDefault(questions: Questions): void {
    this.asked ??= questions;
  }
}
