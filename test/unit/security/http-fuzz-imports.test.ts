import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRUNED_ITEMS } from '../../../src/main/bounded-parse';
import type { AppContext } from '../../../src/main/context';
import { MAX_VALIDATION_ISSUES } from '../../../src/main/dispatch';
import { EventHub } from '../../../src/main/serve/event-hub';
import { type RunningServer, startServer } from '../../../src/main/serve/server';
import { MAIN_THREAD_BUSY_MS } from '../../../src/main/store/busy';
import { type Db, openWorkspace } from '../../../src/main/store/open';
import { api, request, TOKEN } from '../serve/helpers';

/**
 * The browser-mode half of issue 17's fuzzing (http-fuzz.test.ts covers every channel with
 * generated payloads; its jobs are stubbed). Here the import and detection channels run for real
 * (worker jobs, real files) on hostile files: deep JSON, huge numbers, impossible dates, NUL bytes,
 * pipes, devices and folders. Never a 500; a refusal names the file. Plus B1 (a huge invalid
 * payload gets a small answer), B2 (pipes do not stall file reads) and C1 (a busy workspace is an
 * answer, not a stalled event loop).
 */

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'importers');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-imports-'));
const rendererDir = path.join(dir, 'renderer');
const workspace = path.join(dir, 'workspace.sqlite');
let ctx: AppContext;
let server: RunningServer;

beforeAll(async () => {
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  ctx = {
    db: openWorkspace(workspace, { busyTimeoutMs: MAIN_THREAD_BUSY_MS }),
    workspacePath: workspace,
    isDemo: false,
    appVersion: 'test',
    emit: () => {},
  };
  server = await startServer({ ctx, hub: new EventHub(), rendererDir, port: 0, token: TOKEN });
}, 60_000);
afterAll(async () => {
  await server?.close();
  ctx?.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function hostileFile(name: string, text: string): string {
  const file = path.join(dir, `${++n}-${name}`);
  fs.writeFileSync(file, text);
  return file;
}

const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

/** Hostile variants of a few exports of each side (the per-importer fuzz is in test/unit/importers). */
const hostile = fc.oneof(
  fc.integer({ min: 65, max: 8000 }).map((k) => ({
    side: 'storefront',
    file: hostileFile('deep.json', `{"orders":[${'['.repeat(k)}${']'.repeat(k)}]}`),
  })),
  fc.constantFrom('1e20', '99999999999999999999', '9007199254740994').map((q) => ({
    side: 'storefront',
    file: hostileFile('huge.json', read('shopify-orders.json').replace(/"quantity": *1/, `"quantity": ${q}`)),
  })),
  fc.constantFrom('1e20', '9007199254740994').map((q) => ({
    side: 'netsuite',
    file: hostileFile('huge.csv', read('netsuite-saved-search.csv').replace(',-1,', `,${q},`)),
  })),
  fc.constantFrom('2024-02-30', '2024-13-99', '0000-00-00').map((d) => ({
    side: 'storefront',
    file: hostileFile(
      'date.json',
      JSON.stringify([
        { side: 'storefront', id: '1', recordType: 'refund', date: d, currency: 'USD', total: 1, kind: 'line_item' },
      ]),
    ),
  })),
  fc.nat().map((at) => {
    const text = read('netsuite-saved-search.csv');
    const k = at % text.length;
    return { side: 'netsuite', file: hostileFile('nul.csv', `${text.slice(0, k)}\u0000${text.slice(k)}`) };
  }),
);

describe('snapshot:import and snapshot:detect-format on hostile files, over real HTTP', () => {
  it('never a 500: a refusal (422) that names the file', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, async ({ side, file }) => {
        for (const channel of ['snapshot:detect-format', 'snapshot:import']) {
          const reply = await api(server.port, channel, { path: file, side });
          expect(reply.status, reply.text).not.toBe(500);
          const body = reply.json() as { ok: boolean; error?: { code: string; location?: { file?: string } } };
          if (channel === 'snapshot:import') {
            expect(body.ok, reply.text).toBe(false);
            expect(reply.status).toBe(422);
            expect(body.error?.location?.file).toBe(path.basename(file));
          }
        }
      }),
      { numRuns: 10, seed: 1717 },
    );
  }, 120_000);

  describe('special files (I4, B2)', () => {
    const fifos: string[] = [];
    beforeAll(() => {
      for (let i = 0; i < 8; i++) {
        const fifo = path.join(dir, `pipe-${i}.csv`);
        execFileSync('mkfifo', [fifo]);
        fifos.push(fifo);
      }
    });

    it.each([
      ['a named pipe', () => fifos[0]!],
      ['a folder', () => dir],
      ['a device', () => '/dev/zero'],
    ])('%s: 422 file_not_readable at once, on both channels', async (_what, target) => {
      for (const channel of ['snapshot:detect-format', 'snapshot:import']) {
        const started = Date.now();
        const reply = await api(server.port, channel, { path: target(), side: 'netsuite' });
        expect(reply.status, reply.text).toBe(422);
        expect(reply.json()).toMatchObject({ ok: false, error: { code: 'file_not_readable' } });
        // No hang: detection answers at once; an import first starts its worker thread.
        expect(Date.now() - started).toBeLessThan(channel === 'snapshot:import' ? 15_000 : 3000);
      }
    });

    it('eight detections naming pipes do not fill the file thread pool: files are still served', async () => {
      const detections = fifos.map((fifo) => api(server.port, 'snapshot:detect-format', { path: fifo }));
      const started = Date.now();
      const page = await request(server.port, { path: '/' });
      expect(page.status).toBe(200);
      const replies = await Promise.all(detections);
      expect(Date.now() - started).toBeLessThan(3000);
      for (const reply of replies) expect(reply.status).toBe(422);
      // A real file still reads fine afterwards.
      const ok = await api(server.port, 'snapshot:detect-format', { path: path.join(FIXTURES, 'shopify-orders.json') });
      expect(ok.json()).toMatchObject({ ok: true, value: { format: 'shopify-json' } });
    });
  });
});

describe('B1: a huge invalid payload gets a small answer, cheaply', () => {
  it('a ~1 MiB array of wrong values: 400 with the first 20 issues and a lower bound of their count', async () => {
    const elements = 480_000;
    const body = `{"path":"x.csv","side":"netsuite","options":{"itemRoles":{"shipping":[${'1,'.repeat(elements - 1)}1]}}}`;
    expect(body.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    const reply = await api(server.port, 'snapshot:import', body);
    // Before the bound: ~7 s of zod issues (one per element). Generous: the machine may be busy.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(reply.status).toBe(400);
    expect(reply.text.length).toBeLessThan(16 * 1024);
    const error = (
      reply.json() as {
        error: { code: string; message: string; details: { issues: string[]; total: number; partial?: boolean } };
      }
    ).error;
    expect(error.code).toBe('invalid_input');
    expect(error.details.issues).toHaveLength(MAX_VALIDATION_ISSUES);
    expect(error.details.issues[0]).toMatch(/^options\.itemRoles\.shipping\.0: /);
    // Counted in the first items only (src/main/bounded-parse.ts): a lower bound, said as such.
    expect(error.details.partial).toBe(true);
    expect(error.details.total).toBeGreaterThanOrEqual(MAX_VALIDATION_ISSUES);
    expect(error.details.total).toBeLessThanOrEqual(PRUNED_ITEMS);
    expect(error.message).toMatch(/and at least \d+ more/);
  }, 60_000);
});

describe('C1: a busy workspace in browser mode', () => {
  it('a write while another connection holds the lock: 409 workspace_busy at once; the page still loads', async () => {
    const holder: Db = openWorkspace(workspace);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const [reply, page] = await Promise.all([
        api(server.port, 'snapshot:delete', { id: 1 }),
        request(server.port, { path: '/' }),
      ]);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(page.status).toBe(200);
      // With no snapshot 1 the delete may find nothing to do; when it has to write it is busy.
      if (reply.status !== 200) {
        expect(reply.status, reply.text).toBe(409);
        expect(reply.json()).toMatchObject({ ok: false, error: { code: 'workspace_busy' } });
      }
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
