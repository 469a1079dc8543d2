/**
 * Where connection secrets live (consumer secrets, token secrets, access tokens, private keys).
 * Never in the workspace, never in logs. Implementations: environment variables and an owner-only
 * file (CLI and browser mode), and an encrypted file whose cipher is supplied by the Electron shell
 * (safeStorage) — this folder never imports electron.
 *
 * Names are dotted: `netsuite.<ACCOUNT>.consumerSecret`, `shopify.<shop>.accessToken`.
 */
export interface SecretStore {
  readonly kind: string;
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** Names only, never values. */
  list(): Promise<string[]>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,120}$/;

export function assertSecretName(name: string): string {
  if (!NAME.test(name)) throw new RangeError(`"${name.slice(0, 40)}" is not a valid secret name`);
  return name;
}

/** `netsuite.1234567_SB1.consumerSecret` → `REFUND_RECON_NETSUITE_1234567_SB1_CONSUMERSECRET`. */
export function envNameOf(name: string): string {
  return `REFUND_RECON_${assertSecretName(name)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * Names whose environment spelling is ambiguous in a way that matters: a WooCommerce secret
 * scoped by store host (`woocommerce.shop.example.com.consumerKey`) would be read for
 * `shop-example.com` too (`.`, `-` and `:` all become `_`), i.e. sent to another origin. Those are
 * read from the secrets file only; the plain `woocommerce.*` names are fine.
 */
export function ambiguousInEnvironment(name: string): boolean {
  return name.startsWith('woocommerce.') && name.split('.').length > 2;
}

/**
 * Variables the push read before the naming scheme was one (docs/connections.md): still honoured
 * for the unscoped names, after the scheme's own spelling. Read-only aliases; nothing writes them.
 */
export const LEGACY_ENV_ALIASES: Readonly<Record<string, string>> = {
  'netsuite.consumerKey': 'REFUND_RECON_NS_CONSUMER_KEY',
  'netsuite.consumerSecret': 'REFUND_RECON_NS_CONSUMER_SECRET',
  'netsuite.tokenId': 'REFUND_RECON_NS_TOKEN',
  'netsuite.tokenSecret': 'REFUND_RECON_NS_TOKEN_SECRET',
  'shopify.accessToken': 'REFUND_RECON_SHOPIFY_TOKEN',
};

/** Reads `REFUND_RECON_…` environment variables; read-only. */
export class EnvSecretStore implements SecretStore {
  readonly kind = 'env';
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}
  async get(name: string): Promise<string | undefined> {
    if (ambiguousInEnvironment(name)) return undefined;
    const value = this.env[envNameOf(name)];
    if (value !== undefined && value !== '') return value;
    const alias = Object.hasOwn(LEGACY_ENV_ALIASES, name) ? this.env[LEGACY_ENV_ALIASES[name]!] : undefined;
    return alias === undefined || alias === '' ? undefined : alias;
  }
  async set(): Promise<void> {
    throw new Error('Environment secrets are read-only; set the variable in the environment instead.');
  }
  async delete(): Promise<void> {
    throw new Error('Environment secrets are read-only.');
  }
  async list(): Promise<string[]> {
    return Object.keys(this.env).filter((k) => k.startsWith('REFUND_RECON_') && k !== 'REFUND_RECON_SECRETS_FILE');
  }
}

/** First store that has the secret wins; writes go to the first writable store. */
export class ChainSecretStore implements SecretStore {
  readonly kind: string;
  constructor(private readonly stores: SecretStore[]) {
    this.kind = stores.map((s) => s.kind).join('+');
  }
  async get(name: string): Promise<string | undefined> {
    for (const store of this.stores) {
      const value = await store.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }
  async set(name: string, value: string): Promise<void> {
    const store = this.stores.find((s) => s.kind !== 'env');
    if (!store) throw new Error('No writable secret store is configured.');
    await store.set(name, value);
  }
  async delete(name: string): Promise<void> {
    for (const store of this.stores) if (store.kind !== 'env') await store.delete(name);
  }
  async list(): Promise<string[]> {
    const names = new Set<string>();
    for (const store of this.stores) for (const n of await store.list()) names.add(n);
    return [...names].sort();
  }
}

/** In memory, for tests. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  readonly #values = new Map<string, string>();
  async get(name: string): Promise<string | undefined> {
    return this.#values.get(name);
  }
  async set(name: string, value: string): Promise<void> {
    this.#values.set(assertSecretName(name), value);
  }
  async delete(name: string): Promise<void> {
    this.#values.delete(name);
  }
  async list(): Promise<string[]> {
    return [...this.#values.keys()].sort();
  }
}
