import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../shared/errors';
import { assertSecretName, ChainSecretStore, EnvSecretStore, type SecretStore } from './secret-store';

/**
 * Secrets in a JSON file readable only by its owner (mode 0600, directory 0700). A file that group
 * or others can read is refused with the chmod that fixes it, rather than used. Writes are atomic
 * (temporary file + rename), so a crash never leaves half a file.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  constructor(readonly file: string) {}

  #read(): Record<string, string> {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch {
      return {};
    }
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new UserError(
        'secrets_file_permissions',
        `The secrets file ${this.file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}). Run: chmod 600 "${this.file}"`,
        { file: this.file },
      );
    }
    const text = fs.readFileSync(this.file, 'utf8');
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return Object.fromEntries(
        Object.entries(parsed as Record<string, unknown>).filter(
          (e): e is [string, string] => typeof e[1] === 'string',
        ),
      );
    } catch {
      throw new UserError(
        'secrets_file_invalid',
        `The secrets file ${this.file} is not a JSON object of names to strings; fix or delete it.`,
        { file: this.file },
      );
    }
  }

  #write(values: Record<string, string>): void {
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.file);
  }

  async get(name: string): Promise<string | undefined> {
    return this.#read()[name];
  }
  async set(name: string, value: string): Promise<void> {
    const values = this.#read();
    values[assertSecretName(name)] = value;
    this.#write(values);
  }
  async delete(name: string): Promise<void> {
    const values = this.#read();
    delete values[name];
    this.#write(values);
  }
  async list(): Promise<string[]> {
    return Object.keys(this.#read()).sort();
  }
}

/**
 * The cipher Electron's safeStorage offers, injected by the shell (src/main/electron) so this
 * code stays electron-free: `encryptString` / `decryptString` / `isEncryptionAvailable`.
 */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Secrets encrypted with an OS-backed cipher (safeStorage), stored base64 in an owner-only file. */
export class EncryptedFileSecretStore implements SecretStore {
  readonly kind = 'encrypted-file';
  readonly #inner: FileSecretStore;
  constructor(
    file: string,
    private readonly cipher: StringCipher,
  ) {
    this.#inner = new FileSecretStore(file);
  }
  #check(): void {
    if (!this.cipher.isEncryptionAvailable()) {
      throw new UserError(
        'secrets_encryption_unavailable',
        'The operating system keychain is not available, so secrets cannot be stored encrypted. Use environment variables or the CLI secrets file instead.',
      );
    }
  }
  async get(name: string): Promise<string | undefined> {
    const stored = await this.#inner.get(name);
    if (stored === undefined) return undefined;
    this.#check();
    return this.cipher.decryptString(Buffer.from(stored, 'base64'));
  }
  async set(name: string, value: string): Promise<void> {
    this.#check();
    await this.#inner.set(name, this.cipher.encryptString(value).toString('base64'));
  }
  async delete(name: string): Promise<void> {
    await this.#inner.delete(name);
  }
  async list(): Promise<string[]> {
    return this.#inner.list();
  }
}

/** `REFUND_RECON_SECRETS_FILE`, else `~/.config/refund-recon/secrets.json` (XDG_CONFIG_HOME honoured). */
export function defaultSecretsFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REFUND_RECON_SECRETS_FILE) return env.REFUND_RECON_SECRETS_FILE;
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'refund-recon', 'secrets.json');
}

/** CLI and browser mode: environment variables first, then the owner-only secrets file. */
export function cliSecretStore(file?: string, env: NodeJS.ProcessEnv = process.env): SecretStore {
  return new ChainSecretStore([new EnvSecretStore(env), new FileSecretStore(file ?? defaultSecretsFile(env))]);
}
