import { assertApiDestination, loopbackApisAllowed } from '../connectors/destination-policy';
import { woocommerceDestination } from '../connectors/woocommerce/client';
import { runJob } from '../jobs/run-job';
import {
  bigcommerceTokenFromSecrets,
  getSecretStore,
  netsuiteAuthFromSecrets,
  shopifyTokenFromSecrets,
  woocommerceKeysFromSecrets,
} from '../secrets';
import type { HandlerMap } from './handler';

export const connectionHandlers: HandlerMap<'connection:pull'> = {
  // The request comes from the renderer: its `host` / `baseUrl` / `url` is hostile until the
  // destination policy has approved it, and that happens before any secret is read. Whether
  // 127.0.0.1 is allowed is this process's start-up switch, never part of the request; the job
  // gets that decision and its clients check the destination again. Secrets are read here, in the
  // main process, and handed to the worker in memory only.
  'connection:pull': async (input, ctx, signal) => {
    const allowLoopback = loopbackApisAllowed();
    switch (input.platform) {
      case 'netsuite': {
        assertApiDestination({ platform: 'netsuite', accountId: input.accountId, url: input.host, allowLoopback });
        const auth = await netsuiteAuthFromSecrets(getSecretStore(), input.accountId, input.auth);
        return runJob(ctx, 'pull', { request: input, auth, allowLoopback }, { signal });
      }
      case 'shopify': {
        const destination = assertApiDestination({
          platform: 'shopify',
          shop: input.shop,
          url: input.baseUrl,
          allowLoopback,
        });
        const accessToken = await shopifyTokenFromSecrets(getSecretStore(), destination.shop ?? input.shop);
        return runJob(ctx, 'pull', { request: input, accessToken, allowLoopback }, { signal });
      }
      case 'bigcommerce': {
        const destination = assertApiDestination({
          platform: 'bigcommerce',
          storeHash: input.storeHash,
          url: input.baseUrl,
          allowLoopback,
        });
        const accessToken = await bigcommerceTokenFromSecrets(getSecretStore(), destination.storeHash!);
        return runJob(ctx, 'pull', { request: input, accessToken, allowLoopback }, { signal });
      }
      case 'woocommerce': {
        // The key pair is looked up for this origin only (scoped, or the default bound to it).
        const destination = woocommerceDestination(input.url, allowLoopback);
        const keys = await woocommerceKeysFromSecrets(getSecretStore(), destination);
        return runJob(ctx, 'pull', { request: input, ...keys, allowLoopback }, { signal });
      }
    }
  },
};
