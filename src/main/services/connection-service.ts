import { woocommerceApiRoot } from '../connectors/woocommerce/client';
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
  // Secrets are read here, in the main process, and handed to the worker in memory only.
  'connection:pull': async (input, ctx, signal) => {
    const store = getSecretStore();
    switch (input.platform) {
      case 'netsuite': {
        const auth = await netsuiteAuthFromSecrets(store, input.accountId, input.auth);
        return runJob(ctx, 'pull', { request: input, auth }, { signal });
      }
      case 'shopify': {
        const accessToken = await shopifyTokenFromSecrets(store, input.shop);
        return runJob(ctx, 'pull', { request: input, accessToken }, { signal });
      }
      case 'bigcommerce': {
        const accessToken = await bigcommerceTokenFromSecrets(store, input.storeHash.toLowerCase());
        return runJob(ctx, 'pull', { request: input, accessToken }, { signal });
      }
      case 'woocommerce': {
        // Validates the address (HTTPS, or 127.0.0.1) before any secret is read.
        const host = new URL(woocommerceApiRoot(input.url)).host;
        const keys = await woocommerceKeysFromSecrets(store, host);
        return runJob(ctx, 'pull', { request: input, ...keys }, { signal });
      }
    }
  },
};
