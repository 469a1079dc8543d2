import { runJob } from '../jobs/run-job';
import { getSecretStore, netsuiteAuthFromSecrets, shopifyTokenFromSecrets } from '../secrets';
import type { HandlerMap } from './handler';

export const connectionHandlers: HandlerMap<'connection:pull'> = {
  // Secrets are read here, in the main process, and handed to the worker in memory only.
  'connection:pull': async (input, ctx, signal) => {
    const store = getSecretStore();
    if (input.platform === 'netsuite') {
      const auth = await netsuiteAuthFromSecrets(store, input.accountId, input.auth);
      return runJob(ctx, 'pull', { request: input, auth }, { signal });
    }
    const accessToken = await shopifyTokenFromSecrets(store, input.shop);
    return runJob(ctx, 'pull', { request: input, accessToken }, { signal });
  },
};
