import { describe, expect, it } from 'vitest';
import { woocommerceDestination } from '../../../src/main/connectors/woocommerce/client';
import {
  ChainSecretStore,
  EnvSecretStore,
  MemorySecretStore,
  type SecretStore,
  woocommerceKeysFromSecrets,
} from '../../../src/main/secrets';
import { UserError } from '../../../src/shared/errors';

/**
 * WooCommerce is the one platform whose host is the user's own: the binding is done by the
 * secrets. A store address only ever receives the pair stored for that same origin; the unscoped
 * default pair only the origin `woocommerce.storeUrl` names.
 */

const keysFor = (store: SecretStore, url: string, allowLoopback = false) =>
  woocommerceKeysFromSecrets(store, woocommerceDestination(url, allowLoopback));

async function memory(values: Record<string, string>): Promise<MemorySecretStore> {
  const store = new MemorySecretStore();
  for (const [k, v] of Object.entries(values)) await store.set(k, v);
  return store;
}

describe('WooCommerce key pairs are bound to their store origin', () => {
  it('a scoped pair goes to its own origin only', async () => {
    const store = await memory({
      'woocommerce.shop.example.com.consumerKey': 'ck_shop',
      'woocommerce.shop.example.com.consumerSecret': 'cs_shop',
    });
    await expect(keysFor(store, 'https://shop.example.com/store/')).resolves.toEqual({
      consumerKey: 'ck_shop',
      consumerSecret: 'cs_shop',
    });
    await expect(keysFor(store, 'https://SHOP.example.com:443')).resolves.toMatchObject({ consumerKey: 'ck_shop' });
    for (const other of [
      'https://shop-example.com',
      'https://shop.example.com:8443',
      'https://evil.example',
      'https://shop.example.com.evil.example',
    ]) {
      await expect(keysFor(store, other), other).rejects.toMatchObject({ code: 'missing_secret' });
    }
  });

  it('the unscoped default pair is refused unless woocommerce.storeUrl names this origin', async () => {
    const unbound = await memory({
      'woocommerce.consumerKey': 'ck_default',
      'woocommerce.consumerSecret': 'cs_default',
    });
    const refused = await keysFor(unbound, 'https://evil.example').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect(refused).toMatchObject({ code: 'woocommerce_secret_unbound' });
    expect(String((refused as Error).message)).not.toContain('ck_default');

    await unbound.set('woocommerce.storeUrl', 'https://shop.example.com/');
    await expect(keysFor(unbound, 'https://shop.example.com/shop')).resolves.toEqual({
      consumerKey: 'ck_default',
      consumerSecret: 'cs_default',
    });
    for (const other of ['https://evil.example', 'https://shop.example.com:8443', 'https://www.shop.example.com']) {
      await expect(keysFor(unbound, other), other).rejects.toMatchObject({ code: 'woocommerce_secret_other_store' });
    }
    await unbound.set('woocommerce.storeUrl', 'not a url');
    await expect(keysFor(unbound, 'https://shop.example.com')).rejects.toMatchObject({
      code: 'woocommerce_secret_unbound',
    });
  });

  it('a scoped half is never completed with the default half', async () => {
    const store = await memory({
      'woocommerce.shop.example.com.consumerKey': 'ck_shop',
      'woocommerce.consumerKey': 'ck_default',
      'woocommerce.consumerSecret': 'cs_default',
      'woocommerce.storeUrl': 'https://shop.example.com',
    });
    await expect(keysFor(store, 'https://shop.example.com')).rejects.toMatchObject({
      code: 'missing_secret',
      location: { field: 'woocommerce.shop.example.com.consumerSecret' },
    });
  });

  it('scoped pairs are not read from environment variables (their spelling folds . - : into _)', async () => {
    // REFUND_RECON_WOOCOMMERCE_SHOP_EXAMPLE_COM_CONSUMERKEY would answer for shop.example.com AND
    // shop-example.com (someone else's domain): environment variables serve only the plain names.
    const env = {
      REFUND_RECON_WOOCOMMERCE_SHOP_EXAMPLE_COM_CONSUMERKEY: 'ck_env',
      REFUND_RECON_WOOCOMMERCE_SHOP_EXAMPLE_COM_CONSUMERSECRET: 'cs_env',
    };
    const store = new ChainSecretStore([new EnvSecretStore(env), new MemorySecretStore()]);
    await expect(keysFor(store, 'https://shop-example.com')).rejects.toMatchObject({ code: 'missing_secret' });
    await expect(keysFor(store, 'https://shop.example.com')).rejects.toMatchObject({ code: 'missing_secret' });
    await expect(new EnvSecretStore(env).get('woocommerce.shop.example.com.consumerKey')).resolves.toBeUndefined();

    const plain = new EnvSecretStore({
      REFUND_RECON_WOOCOMMERCE_CONSUMERKEY: 'ck_env',
      REFUND_RECON_WOOCOMMERCE_CONSUMERSECRET: 'cs_env',
      REFUND_RECON_WOOCOMMERCE_STOREURL: 'https://shop.example.com',
    });
    await expect(keysFor(plain, 'https://shop.example.com')).resolves.toEqual({
      consumerKey: 'ck_env',
      consumerSecret: 'cs_env',
    });
    await expect(keysFor(plain, 'https://shop-example.com')).rejects.toMatchObject({
      code: 'woocommerce_secret_other_store',
    });
  });

  it('the emulator on 127.0.0.1 gets its own scoped pair (with the switch)', async () => {
    const store = await memory({
      'woocommerce.127.0.0.1:9000.consumerKey': 'ck_emu',
      'woocommerce.127.0.0.1:9000.consumerSecret': 'cs_emu',
    });
    await expect(keysFor(store, 'http://127.0.0.1:9000', true)).resolves.toMatchObject({ consumerKey: 'ck_emu' });
    await expect(keysFor(store, 'http://127.0.0.1:9001', true)).rejects.toMatchObject({ code: 'missing_secret' });
    expect(() => woocommerceDestination('http://127.0.0.1:9000', false)).toThrow(
      expect.objectContaining({ code: 'api_destination_loopback' }),
    );
  });
});
