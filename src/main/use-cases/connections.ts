import type { ConnectionInfo, SetConnectionInput } from '../../shared/contract/accounts';
import { UserError } from '../../shared/errors';
import type { AppContext } from '../context';
import { getSecretStore, type SecretStore } from '../secrets';
import { setNetsuiteConnection, storefrontPlatform, writeApiSettings } from '../store/accounts';
import { appendAudit } from '../store/audit';
import { clientFor } from './account-clients';
import { AUTH_METHODS, type ConnectionPlan, connectionPlan } from './connection-plan';

const STORE_WORDS: Record<string, string> = {
  env: 'environment variables',
  file: 'the owner-only secrets file',
  'encrypted-file': 'the encrypted secrets file (operating system keychain)',
  memory: 'memory (tests)',
};

function describeStore(store: SecretStore): string {
  return store.kind
    .split('+')
    .map((k) => STORE_WORDS[k] ?? k)
    .join(', then ');
}

async function isSet(store: SecretStore, name: string, fallback: string | null): Promise<boolean> {
  if ((await store.get(name)) !== undefined) return true;
  return fallback !== null && (await store.get(fallback)) !== undefined;
}

async function info(plan: ConnectionPlan, store: SecretStore): Promise<ConnectionInfo> {
  const secrets = [];
  for (const s of plan.secrets)
    secrets.push({ field: s.field, label: s.label, set: await isSet(store, s.name, s.fallback) });
  return {
    type: plan.type,
    id: plan.id,
    platform: plan.platform,
    host: plan.host,
    hostIsDefault: plan.hostIsDefault,
    authMethod: plan.authMethod,
    authMethods: plan.authMethods,
    secrets,
    storeHash: plan.storeHash,
    store: describeStore(store),
    needs: null,
  };
}

const SECRET_LABELS: Record<string, { field: string; label: string }[]> = {
  shopify: [{ field: 'accessToken', label: 'Admin API access token' }],
  bigcommerce: [{ field: 'accessToken', label: 'API account access token' }],
  woocommerce: [
    { field: 'consumerKey', label: 'Consumer key' },
    { field: 'consumerSecret', label: 'Consumer secret' },
  ],
};

/** A storefront whose address is not known yet: what it needs, nothing set. */
function incomplete(ctx: AppContext, id: number, needs: string, store: SecretStore): ConnectionInfo {
  const platform = storefrontPlatform(ctx.db, id) ?? '';
  const method = AUTH_METHODS[platform]?.[0] ?? null;
  return {
    type: 'storefront',
    id,
    platform,
    host: '',
    hostIsDefault: true,
    authMethod: method,
    authMethods: AUTH_METHODS[platform] ?? [],
    secrets: (SECRET_LABELS[platform] ?? []).map((s) => ({ ...s, set: false })),
    storeHash: null,
    store: describeStore(store),
    needs,
  };
}

/** Host, auth method and which secrets are set. Never a secret's value. */
export async function getConnection(
  ctx: AppContext,
  input: { type: 'netsuite' | 'storefront'; id: number },
): Promise<ConnectionInfo> {
  try {
    return await info(connectionPlan(ctx.db, input.type, input.id), getSecretStore());
  } catch (error) {
    // A store whose address is not known yet: say what it needs, rather than fail the screen.
    if (error instanceof UserError && (error.code === 'shop_missing' || error.code === 'store_hash_missing')) {
      return incomplete(ctx, input.id, error.message, getSecretStore());
    }
    throw error;
  }
}

/**
 * Sets the host, the auth method and secrets. Everything is checked first (the host by the
 * destination policy for this account's vendor, each secret field against the method), so a
 * refused change writes nothing. Secrets go to the secret store (safeStorage in the desktop app,
 * the owner-only file in browser mode and the CLI), never to the workspace or the audit log.
 */
export async function setConnection(ctx: AppContext, input: SetConnectionInput): Promise<ConnectionInfo> {
  const store = getSecretStore();
  const host = input.host === undefined ? undefined : input.host.trim();
  const plan = connectionPlan(ctx.db, input.type, input.id, {
    ...(host ? { host } : {}),
    ...(input.authMethod ? { authMethod: input.authMethod } : {}),
    ...(input.storeHash ? { storeHash: input.storeHash } : {}),
  });
  const secrets = Object.entries(input.secrets ?? {});
  for (const [field, value] of secrets) {
    const known = plan.secrets.find((s) => s.field === field);
    if (!known) {
      throw new UserError(
        'unknown_secret_field',
        `"${field.slice(0, 40)}" is not a secret of this connection; it takes ${plan.secrets.map((s) => s.label.toLowerCase()).join(', ')}.`,
        { field },
      );
    }
    if (value.trim() === '') throw new UserError('empty_secret', `${known.label} is empty.`, { field });
  }
  ctx.db.transaction(() => {
    if (input.type === 'netsuite') {
      setNetsuiteConnection(
        ctx.db,
        input.id,
        host === undefined ? (plan.hostIsDefault ? '' : plan.host) : host ? plan.host : '',
        plan.authMethod,
      );
    } else {
      writeApiSettings(ctx.db, 'storefront_accounts', input.id, {
        ...(host !== undefined ? { baseUrl: host ? plan.host : '' } : {}),
        ...(plan.storeHash ? { storeHash: plan.storeHash } : {}),
      });
    }
    appendAudit(ctx.db, {
      actor: input.actor ?? 'local user',
      action: 'connection.set',
      entity: `${input.type}_account:${input.id}`,
      // Names of the secrets changed, never their values.
      after: { host: plan.host, authMethod: plan.authMethod, secretsSet: secrets.map(([f]) => f) },
    });
  })();
  for (const [field, value] of secrets) {
    const known = plan.secrets.find((s) => s.field === field)!;
    await store.set(known.name, value.trim());
  }
  return info(connectionPlan(ctx.db, input.type, input.id), store);
}

function errorWords(error: unknown): string {
  if (error instanceof UserError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * One read-only call against the vendor, answered in words: NetSuite a one-row SuiteQL query,
 * Shopify one order, BigCommerce one refund, WooCommerce one order.
 */
export async function testConnection(
  ctx: AppContext,
  input: { type: 'netsuite' | 'storefront'; id: number },
  signal?: AbortSignal,
): Promise<{ ok: boolean; message: string; host: string }> {
  const plan = connectionPlan(ctx.db, input.type, input.id);
  const store = getSecretStore();
  const fast = { maxAttempts: 2, timeoutMs: 15_000 };
  const opts = { ...(signal ? { signal } : {}), label: 'connection test' };
  try {
    const account = await clientFor(plan, store, fast);
    switch (account?.platform) {
      case 'netsuite':
        await account.client.suiteql('SELECT id FROM currency', { limit: 1, ...opts });
        return {
          ok: true,
          host: plan.host,
          message: `Connected to NetSuite account ${plan.accountId} at ${plan.host}: a read-only query answered.`,
        };
      case 'shopify':
        await account.client.graphql('query ConnectionTest { orders(first: 1) { edges { node { id } } } }', {}, opts);
        return {
          ok: true,
          host: plan.host,
          message: `Connected to the Shopify shop ${plan.shop} at ${plan.host}: its orders can be read.`,
        };
      case 'bigcommerce':
        await account.client.request('reading one refund', {
          method: 'GET',
          url: account.client.url('/orders/payment_actions/refunds', { limit: 1 }),
          ...opts,
        });
        return {
          ok: true,
          host: plan.host,
          message: `Connected to the BigCommerce store ${plan.storeHash}: its refunds can be read.`,
        };
      case 'woocommerce':
        await account.client.request('reading one order', {
          method: 'GET',
          url: account.client.url('/orders', { per_page: 1 }),
          ...opts,
        });
        return {
          ok: true,
          host: plan.host,
          message: `Connected to the WooCommerce store at ${plan.host}: its orders can be read.`,
        };
      default:
        return { ok: false, host: plan.host, message: 'This account has no live connection.' };
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ok: false, host: plan.host, message: `The connection test failed: ${errorWords(error)}` };
  }
}
