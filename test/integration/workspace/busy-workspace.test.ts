import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { type ImportProgress, importFile } from '../../../src/main/importers/import-file';
import { runJob } from '../../../src/main/jobs/run-job';
import { BUSY_MESSAGE, MAIN_THREAD_BUSY_MS } from '../../../src/main/store/busy';
import { type Db, openWorkspace } from '../../../src/main/store/open';
import type { JobProgress } from '../../../src/shared/contract/events';
import { UserError } from '../../../src/shared/errors';

/**
 * C1 of issue 17: another connection (another process, or a job's worker) holds the workspace's
 * write lock. An import waits for it without blocking its thread, says so as progress, and fails
 * after the bound with a clear message; the app's own connection never stalls its event loop.
 */

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'importers', 'netsuite-saved-search.csv');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'busy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const savedEnv = process.env.REFUND_RECON_BUSY_WAIT_MS;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.REFUND_RECON_BUSY_WAIT_MS;
  else process.env.REFUND_RECON_BUSY_WAIT_MS = savedEnv;
});

let n = 0;
function workspace(): string {
  const file = path.join(dir, `ws-${++n}.sqlite`);
  openWorkspace(file).close(); // created and migrated before anyone holds a lock
  return file;
}

/** A second connection that holds the write lock until released. */
function holdLock(file: string): { db: Db; release(): void } {
  const db = openWorkspace(file);
  db.exec('BEGIN IMMEDIATE');
  db.prepare(
    "INSERT INTO snapshots (side, label, source, format, importer_version, created_at) VALUES ('netsuite', 'holder', 'file', 'x', '1', 'now')",
  ).run();
  return {
    db,
    release() {
      if (db.inTransaction) db.exec('ROLLBACK');
      db.close();
    },
  };
}

function count(file: string): number {
  const db = openWorkspace(file);
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM snapshots').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('an import while another connection writes', () => {
  it('waits without blocking the event loop, says so, and imports once the lock is free', async () => {
    process.env.REFUND_RECON_BUSY_WAIT_MS = '20000';
    const file = workspace();
    const holder = holdLock(file);
    const db = openWorkspace(file);
    const phases: ImportProgress['phase'][] = [];
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const started = Date.now();
    setTimeout(() => holder.release(), 1200);
    try {
      const result = await importFile(db, {
        file: FIXTURE,
        side: 'netsuite',
        onProgress: (p) => phases.push(p.phase),
      });
      expect(result.created).toBe(true);
    } finally {
      clearInterval(ticker);
      db.close();
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1100);
    expect(phases).toContain('waiting');
    // The loop kept turning while the import waited (a blocking wait would give ~0 ticks).
    expect(ticks).toBeGreaterThan(20);
    expect(count(file)).toBe(1); // the holder rolled back; the import committed
  }, 30_000);

  it('fails after the bound with workspace_busy and leaves nothing', async () => {
    process.env.REFUND_RECON_BUSY_WAIT_MS = '700';
    const file = workspace();
    const holder = holdLock(file);
    const db = openWorkspace(file);
    try {
      const error = await importFile(db, { file: FIXTURE, side: 'netsuite' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('workspace_busy');
      expect((error as UserError).message).toMatch(/another import or compare is writing/);
    } finally {
      db.close();
      holder.release();
    }
    expect(count(file)).toBe(0);
  }, 30_000);

  it('a cancel while waiting ends the wait at once', async () => {
    process.env.REFUND_RECON_BUSY_WAIT_MS = '60000';
    const file = workspace();
    const holder = holdLock(file);
    const db = openWorkspace(file);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    try {
      const error = await importFile(db, { file: FIXTURE, side: 'netsuite', signal: controller.signal }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'cancelled' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      db.close();
      holder.release();
    }
  }, 30_000);
});

describe('the app (browser mode) while a job writes', () => {
  function context(file: string, events: JobProgress[]): AppContext {
    return {
      // As open-app-workspace opens it: the main thread's connection waits briefly only.
      db: openWorkspace(file, { busyTimeoutMs: MAIN_THREAD_BUSY_MS }),
      workspacePath: file,
      isDemo: false,
      appVersion: 'test',
      emit: (_event, payload) => {
        events.push(payload as JobProgress);
      },
    };
  }

  it('a write on the main connection answers workspace_busy at once instead of stalling', async () => {
    const file = workspace();
    const ctx = context(file, []);
    const imported = await dispatch('snapshot:import', { path: FIXTURE, side: 'netsuite' }, ctx);
    expect(imported.ok).toBe(true);
    const id = (imported as { value: { snapshot: { id: number } } }).value.snapshot.id;
    const holder = holdLock(file);
    try {
      const started = Date.now();
      const result = await dispatch('snapshot:delete', { id }, ctx);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(result).toMatchObject({ ok: false, error: { code: 'workspace_busy' } });
    } finally {
      holder.release();
    }
    expect(await dispatch('snapshot:delete', { id }, ctx)).toEqual({ ok: true, value: { deleted: true } });
    ctx.db.close();
  }, 60_000);

  it('snapshot:import in a worker reports the wait as progress and ends with an error value', async () => {
    process.env.REFUND_RECON_BUSY_WAIT_MS = '1500';
    const file = workspace();
    const events: JobProgress[] = [];
    const ctx = context(file, events);
    const holder = holdLock(file);
    try {
      const result = await dispatch('snapshot:import', { path: FIXTURE, side: 'netsuite' }, ctx);
      expect(result).toMatchObject({ ok: false, error: { code: 'workspace_busy' } });
      expect(events.some((e) => e.phase === 'waiting' && e.message === BUSY_MESSAGE)).toBe(true);
    } finally {
      holder.release();
      ctx.db.close();
    }
  }, 60_000);
});

describe('a compare (reconcile job) while another connection writes', () => {
  it('waits, says so, and stores its run once the lock is free', async () => {
    process.env.REFUND_RECON_BUSY_WAIT_MS = '20000';
    const file = workspace();
    const db = openWorkspace(file);
    const sf = await importFile(db, {
      file: path.join(ROOT, 'test/fixtures/importers/shopify-orders.json'),
      side: 'storefront',
    });
    const ns = await importFile(db, { file: FIXTURE, side: 'netsuite' });
    db.close();
    const events: JobProgress[] = [];
    const ctx = { workspacePath: file, emit: (_e: string, p: unknown) => events.push(p as JobProgress) };
    const holder = holdLock(file);
    const job = runJob(ctx, 'reconcile', {
      storefrontSnapshotId: sf.snapshotId,
      netsuiteSnapshotId: ns.snapshotId,
    });
    // Hold the lock until the job says it waits for it, then let it go.
    const started = Date.now();
    while (!events.some((e) => e.phase === 'waiting') && Date.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    holder.release();
    const result = await job;
    expect(result.runId).toBeGreaterThan(0);
    expect(events.some((e) => e.phase === 'waiting' && e.message === BUSY_MESSAGE)).toBe(true);
  }, 60_000);
});

describe('the CLI while another process writes', () => {
  function run(file: string, env: Record<string, string>) {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'refund-recon.js'), 'import', FIXTURE, '--side', 'netsuite', '--workspace', file],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exit, stderr: () => stderr };
  }

  it('says it waits, then exits 2 with a clear message and no stack trace after the bound', async () => {
    const file = workspace();
    const holder = holdLock(file);
    try {
      const cli = run(file, { REFUND_RECON_BUSY_WAIT_MS: '1500' });
      const code = await cli.exit;
      expect(code).toBe(2);
      expect(cli.stderr()).toContain(BUSY_MESSAGE);
      expect(cli.stderr()).toMatch(/The workspace is busy: another import or compare is writing to it/);
      expect(cli.stderr()).not.toMatch(/SqliteError|\n\s+at /);
    } finally {
      holder.release();
    }
    expect(count(file)).toBe(0);
  }, 60_000);

  it('reconcile of stored snapshots waits for the lock, says so, and stores its run', async () => {
    const file = workspace();
    const db = openWorkspace(file);
    const sf = await importFile(db, {
      file: path.join(ROOT, 'test/fixtures/importers/shopify-orders.json'),
      side: 'storefront',
    });
    const ns = await importFile(db, { file: FIXTURE, side: 'netsuite' });
    db.close();
    const holder = holdLock(file);
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'refund-recon.js'),
        'reconcile',
        '--storefront-snapshot',
        String(sf.snapshotId),
        '--netsuite-snapshot',
        String(ns.snapshotId),
        '--workspace',
        file,
        '--format',
        'json',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, REFUND_RECON_BUSY_WAIT_MS: '60000' } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // Hold the lock until the CLI says it waits for it, then let it go.
    const started = Date.now();
    while (!stderr.includes(BUSY_MESSAGE) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
    holder.release();
    const code = await exited;
    expect([0, 1], stderr).toContain(code); // 1: differences found; never 2 or 70
    expect(stderr).toContain(BUSY_MESSAGE);
    expect(stderr).toMatch(/run \d+ stored/);
    const check = openWorkspace(file);
    try {
      expect((check.prepare('SELECT COUNT(*) AS n FROM comparison_runs').get() as { n: number }).n).toBe(1);
    } finally {
      check.close();
    }
  }, 60_000);

  it('one SIGTERM stops an import that is waiting (no second signal needed)', async () => {
    const file = workspace();
    const holder = holdLock(file);
    try {
      const cli = run(file, { REFUND_RECON_BUSY_WAIT_MS: '120000' });
      const started = Date.now();
      while (!cli.stderr().includes(BUSY_MESSAGE) && Date.now() - started < 30_000) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(cli.stderr()).toContain(BUSY_MESSAGE);
      const signalled = Date.now();
      cli.child.kill('SIGTERM');
      const code = await cli.exit;
      expect(Date.now() - signalled).toBeLessThan(5000);
      expect(code).toBe(2);
      expect(cli.stderr()).toMatch(/interrupted; nothing was saved/);
    } finally {
      holder.release();
    }
    expect(count(file)).toBe(0);
  }, 60_000);
});
