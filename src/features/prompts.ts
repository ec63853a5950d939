import vscode = require('vscode');
import { editorQuestions, type Questions } from './questions';

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

/** Holder so tests can swap the prompts without re-registering commands. */
export class PromptsHolder {
  current: Prompts = editorPrompts;
  questions: Questions = editorQuestions;
}
