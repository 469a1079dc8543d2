import { cliSecretStore } from './file-secret-store';
import type { SecretStore } from './secret-store';

let current: SecretStore | undefined;

/** The process's secret store: env + owner-only file unless the shell installed another (safeStorage). */
export function getSecretStore(): SecretStore {
  current ??= cliSecretStore();
  return current;
}

export function setSecretStore(store: SecretStore): void {
  current = store;
}

export * from './connection-secrets';
export * from './file-secret-store';
export * from './secret-store';
