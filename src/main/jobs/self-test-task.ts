import { setTimeout as delay } from 'node:timers/promises';
import { UserError } from '../../shared/errors';
import type { Task } from './types';

/**
 * A harmless diagnostic job: counts to `steps`, reporting progress. It proves the worker
 * plumbing (progress, results, user errors, cancellation) end to end in tests and in the
 * app's diagnostics without touching the workspace.
 */
export const selfTestTask: Task<{ steps: number; stepMs?: number; failWith?: string }, { counted: number }> = async (
  input,
  ctx,
) => {
  for (let i = 1; i <= input.steps; i++) {
    if (ctx.signal.aborted) throw new UserError('cancelled', 'The self-test job was cancelled.');
    await delay(input.stepMs ?? 1);
    ctx.progress({ phase: 'counting', done: i, total: input.steps, unit: 'rows' });
  }
  if (input.failWith) throw new UserError('self_test_failed', input.failWith);
  return { counted: input.steps };
};
