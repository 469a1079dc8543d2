import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { expect, test } from '@playwright/test';

/**
 * The packaged app runs jobs from the bundled out/main/worker.js (not the TypeScript source the
 * CLI and unit tests use). `npm run test:e2e` builds first, so this checks the real bundle.
 */
test('the bundled job worker runs a task and reports progress', async () => {
  const file = path.join(__dirname, '..', '..', 'out', 'main', 'worker.js');
  const messages: { type: string }[] = [];
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker(file, {
      workerData: { name: 'self-test', input: { steps: 3 }, workspacePath: ':memory:' },
    });
    worker.on('message', (message: { type: string }) => {
      messages.push(message);
      if (message.type !== 'progress') void worker.terminate().then(() => resolve());
    });
    worker.on('error', reject);
  });
  expect(messages.at(-1)).toEqual({ type: 'done', value: { counted: 3 } });
  expect(messages.some((m) => m.type === 'progress')).toBe(true);
});
