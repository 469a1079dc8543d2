import type { PullOutcome } from '../../shared/contract/connection';
import type { Task } from '../jobs/types';
import { openWorkspace } from '../store/open';
import { type PullWithCredentials, pullSnapshot } from '../use-cases/pull';
import type { PullProgress } from './common';

/**
 * The `pull` job: the pullSnapshot use-case in a worker. Credentials are resolved in the main
 * process (pullCredentials, from the secret store) and passed in memory only; the task opens its
 * own workspace connection, and a failure or cancel rolls the snapshot back.
 */
export type PullTaskInput = PullWithCredentials;

export const pullTask: Task<PullTaskInput, PullOutcome> = async (input, ctx) => {
  const db = openWorkspace(ctx.workspacePath);
  const onProgress = (p: PullProgress) =>
    ctx.progress({
      phase: p.phase,
      done: p.done,
      total: p.total,
      unit: p.unit,
      ...(p.message ? { message: p.message } : {}),
    });
  try {
    return await pullSnapshot({ db, workspacePath: ctx.workspacePath }, { ...input, onProgress }, ctx.signal);
  } finally {
    db.close();
  }
};
