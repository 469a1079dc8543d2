import fs from 'node:fs';
import os from 'node:os';
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

/**
 * Large imports parse on a second thread: the bundled `import` task (out/main/worker.js, whose
 * importer code sits in a shared chunk) starts out/main/worker.js again as its parse thread.
 * Forced on for a small file here; the snapshot must be complete.
 */
test('the bundled import job parses on its own parse thread and writes the snapshot', async () => {
  const file = path.join(__dirname, '..', '..', 'out', 'main', 'worker.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'built-import-'));
  const csv = path.join(dir, 'search.csv');
  let text = 'Internal ID,Type,Date,Document Number,Storefront Order,Main Line,Item,Quantity,Amount,Currency\n';
  for (let i = 1; i <= 3000; i++) {
    text += `${i},Cash Refund,1/2/2026,CR${i},#${i},*,,,(12.00),US Dollar\n${i},Cash Refund,1/2/2026,CR${i},#${i},,HAT,1,12.00,US Dollar\n`;
  }
  fs.writeFileSync(csv, text);
  const workspacePath = path.join(dir, 'workspace.sqlite');
  try {
    const last = await new Promise<{ type: string; value?: unknown; error?: unknown }>((resolve, reject) => {
      const worker = new Worker(file, {
        workerData: { name: 'import', input: { path: csv, side: 'netsuite', parseThread: 'always' }, workspacePath },
      });
      worker.on('message', (message: { type: string }) => {
        if (message.type !== 'progress') void worker.terminate().then(() => resolve(message));
      });
      worker.on('error', reject);
    });
    expect(last).toMatchObject({
      type: 'done',
      value: { format: 'saved-search-csv', refundCount: 3000, lineCount: 3000, rowCount: 6000 },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every bundled main-process file sits in out/main, beside the worker entries it starts', () => {
  // run-job.ts and the NetSuite pull find their workers with path.join(__dirname, …); a shared
  // chunk in a sub-folder would give them the wrong __dirname in the packaged app.
  const outMain = path.join(__dirname, '..', '..', 'out', 'main');
  const entries = fs.readdirSync(outMain, { withFileTypes: true });
  expect(entries.filter((e) => e.isDirectory()).map((e) => e.name)).toEqual([]);
  const names = entries.map((e) => e.name);
  expect(names).toContain('worker.js');
  expect(names).toContain('netsuite-page-fetcher.js');
  for (const name of names.filter((n) => n.endsWith('.js'))) {
    const code = fs.readFileSync(path.join(outMain, name), 'utf8');
    for (const started of ['worker.js', 'netsuite-page-fetcher.js']) {
      if (code.includes(`'${started}'`) || code.includes(`"${started}"`)) expect(names).toContain(started);
    }
  }
});
