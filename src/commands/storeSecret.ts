import vscode = require('vscode');
import { currentUser } from '../host/accounts';
import { commandJob } from '../editor/documents';
import { hostPlatform } from '../editor/convert';
import { SpawnRunner } from '../host/process';
import { SecretStoreError, storeSecret } from '../host/secretStore';
import type { CommandContext } from '../editor/context';

/** Asks for the client_secret in a password box and stores it where the `secret` line says. */
export async function storeSecretCommand({ prompts, log }: CommandContext, argument?: unknown): Promise<boolean> {
  const chosen = await commandJob(argument);
  if (!chosen) return false;
  const { job } = chosen;
  const host = {
    runner: new SpawnRunner((line) => log.info(line)),
    platform: hostPlatform(),
    currentUser: currentUser(),
  };
  try {
    let secret = '';
    if (job.secret.scheme !== 'env') {
      const entered = await prompts.current.password(
        vscode.l10n.t(
          "The organization API key's client_secret (Admin Console → Settings → Organization info → View API key). It is stored as `{0}:{1}` and never shown or logged.",
          job.secret.scheme,
          job.secret.target,
        ),
        (value) =>
          value.trim().length === 0
            ? vscode.l10n.t('Paste the client_secret.')
            : /\s/.test(value.trim())
              ? vscode.l10n.t('The client_secret has no spaces or line breaks.')
              : undefined,
      );
      if (entered === undefined) return false;
      secret = entered.trim();
    }
    const outcome = await storeSecret(job, secret, host);
    log.info(outcome.stored ? `stored the client_secret (${job.secret.scheme}:${job.secret.target})` : outcome.message);
    void vscode.window.showInformationMessage(outcome.message);
    return outcome.stored;
  } catch (error) {
    const message = error instanceof SecretStoreError ? error.message : vscode.l10n.t('Storing the secret failed: {0}', (error as Error).message);
    log.error(message);
    void vscode.window.showErrorMessage(message);
    return false;
  }
}
