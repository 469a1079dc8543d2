import path from 'node:path';
import type { SafeStorage } from 'electron';
import {
  ChainSecretStore,
  defaultSecretsFile,
  EncryptedFileSecretStore,
  EnvSecretStore,
  FileSecretStore,
  type SecretStore,
} from '../secrets';

/**
 * The desktop app's secret store: environment variables, then the safeStorage-encrypted file in
 * the app's user-data folder (where new secrets are written), then the CLI's owner-only file so
 * secrets configured for `refund-recon pull` work in the app too. Never the workspace.
 */
export function desktopSecretStore(
  userDataDir: string,
  cipher: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>,
  env: NodeJS.ProcessEnv = process.env,
): SecretStore {
  return new ChainSecretStore([
    new EnvSecretStore(env),
    new EncryptedFileSecretStore(path.join(userDataDir, 'secrets.enc.json'), cipher),
    new FileSecretStore(defaultSecretsFile(env)),
  ]);
}
