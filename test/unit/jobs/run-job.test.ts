import { describe, expect, it } from 'vitest';
import { runJob } from '../../../src/main/jobs/run-job';
import type { JobProgress } from '../../../src/shared/contract/events';
import { UserError } from '../../../src/shared/errors';

function context() {
  const events: JobProgress[] = [];
  return {
    events,
    ctx: {
      workspacePath: ':memory:',
      emit: (event: string, payload: unknown) => {
        if (event === 'job:progress') events.push(payload as JobProgress);
      },
    },
  };
}

describe('runJob (worker thread)', () => {
  it('returns the result and forwards progress as job:progress events', async () => {
    const { ctx, events } = context();
    const result = await runJob(ctx, 'self-test', { steps: 5 }, { jobId: 'job-1' });
    expect(result).toEqual({ counted: 5 });
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ jobId: 'job-1', kind: 'self-test', done: 5, total: 5 });
  });

  it('passes a user error through with its code', async () => {
    const { ctx } = context();
    await expect(runJob(ctx, 'self-test', { steps: 1, failWith: 'bad file' })).rejects.toMatchObject({
      code: 'self_test_failed',
      message: 'bad file',
    });
  });

  it('cancels a running job', async () => {
    const { ctx } = context();
    const controller = new AbortController();
    const running = runJob(ctx, 'self-test', { steps: 10_000, stepMs: 5 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('cancelled');
  });
});
