import { runJob } from '../jobs/run-job';
import { getSecretStore } from '../secrets';
import { pullCredentials } from '../use-cases/pull';
import type { HandlerMap } from './handler';

export const connectionHandlers: HandlerMap<'connection:pull'> = {
  // The request comes from the renderer: pullCredentials approves its `host` / `baseUrl` / `url`
  // before any secret is read. Whether 127.0.0.1 is allowed is this process's start-up switch,
  // never part of the request; the job gets that decision and its clients check the destination
  // again. Secrets are read here, in the main process, and handed to the worker in memory only.
  'connection:pull': async (input, ctx, signal) =>
    runJob(ctx, 'pull', await pullCredentials(input, getSecretStore()), { signal }),
};
