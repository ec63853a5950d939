import vscode = require('vscode');

/** Where a multi-step command is, shown in each prompt's title ("New Schedule File (2/7)"). */
export interface Step {
  readonly title: string;
  readonly step: number;
  readonly steps: number;
}

export interface Choice {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly picked?: boolean;
}

/** A message under an input box: an error blocks Enter, information only explains. */
export type Check = string | { readonly info: string } | undefined;

/**
 * The questions a multi-step command asks. Escape cancels the whole command (undefined);
 * an input box left empty and accepted is the answer '' ("skip"). The extension's API lets
 * integration tests answer them.
 */
export interface Questions {
  input(
    step: Step,
    options: { readonly prompt: string; readonly value?: string; readonly placeholder?: string; readonly check?: (value: string) => Check },
  ): Promise<string | undefined>;
  pick<T extends Choice>(step: Step, items: readonly T[], options: { readonly placeholder: string }): Promise<T | undefined>;
  pickMany<T extends Choice>(step: Step, items: readonly T[], options: { readonly placeholder: string }): Promise<readonly T[] | undefined>;
  /** Folders chosen in the platform's folder dialog; undefined when it was closed. */
  folders(step: Step, options: { readonly openLabel: string; readonly start?: string }): Promise<readonly string[] | undefined>;
}

const titled = (step: Step): string => `${step.title} (${step.step}/${step.steps})`;

export const editorQuestions: Questions = {
  async input(step, { prompt, value, placeholder, check }) {
    return vscode.window.showInputBox({
      title: titled(step),
      prompt,
      ...(value !== undefined ? { value } : {}),
      ...(placeholder !== undefined ? { placeHolder: placeholder } : {}),
      ignoreFocusOut: true,
      validateInput: (text) => {
        const result = check?.(text);
        if (result === undefined || typeof result === 'string') return result;
        return { message: result.info, severity: vscode.InputBoxValidationSeverity.Info };
      },
    });
  },
  async pick(step, items, { placeholder }) {
    return vscode.window.showQuickPick(items, { title: titled(step), placeHolder: placeholder, matchOnDescription: true, ignoreFocusOut: true });
  },
  async pickMany(step, items, { placeholder }) {
    return vscode.window.showQuickPick(items, {
      title: titled(step),
      placeHolder: placeholder,
      canPickMany: true,
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
  },
  async folders(step, { openLabel, start }) {
    const picked = await vscode.window.showOpenDialog({
      title: titled(step),
      openLabel,
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: true,
      ...(start !== undefined ? { defaultUri: vscode.Uri.file(start) } : {}),
    });
    return picked?.map((uri) => uri.fsPath);
  },
};
