import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { openWorkspace } from '../../../src/main/store/open';
import type { JobProgress } from '../../../src/shared/contract/events';

const ROOT = path.join(__dirname, '..', '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-int-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A saved search big enough that an import takes a few seconds. */
function bigSavedSearch(rows: number): string {
  const file = path.join(dir, `big-${rows}.csv`);
  if (fs.existsSync(file)) return file;
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'Internal ID,Type,Date,Document Number,Storefront Order,Main Line,Item,Quantity,Amount,Currency\n');
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    chunk += `${i},Cash Refund,1/2/2026,CR${i},#${i},*,,,(12.00),US Dollar\n${i},Cash Refund,1/2/2026,CR${i},#${i},,HAT,1,12.00,US Dollar\n`;
    if (chunk.length > 1 << 20) {
      fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return file;
}

function snapshotCount(workspace: string): { snapshots: number; refunds: number } {
  const db = openWorkspace(workspace);
  try {
    return {
      snapshots: (db.prepare('SELECT COUNT(*) AS n FROM snapshots').get() as { n: number }).n,
      refunds: (db.prepare('SELECT COUNT(*) AS n FROM refunds').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe('an import killed midway leaves no partial snapshot', () => {
  it('SIGKILL of the CLI process during the import', async () => {
    const file = bigSavedSearch(400_000);
    const workspace = path.join(dir, 'killed.sqlite');
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'refund-recon.js'), 'import', file, '--side', 'netsuite', '--workspace', workspace],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    // Wait until the import is writing: the WAL grows once the transaction has inserted rows.
    const wal = `${workspace}-wal`;
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      if (fs.existsSync(wal) && fs.statSync(wal).size > 4 << 20) break;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(child.exitCode, `the import finished before it could be killed: ${stderr}`).toBeNull();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(child.signalCode).toBe('SIGKILL');
    expect(snapshotCount(workspace)).toEqual({ snapshots: 0, refunds: 0 });
  }, 120_000);

  it('the same CLI import, not killed, completes (exit 0) and prints the chosen format', async () => {
    const file = bigSavedSearch(2_000);
    const workspace = path.join(dir, 'ok.sqlite');
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'refund-recon.js'), 'import', file, '--side', 'netsuite', '--workspace', workspace],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
    expect(out).toMatch(/Format: saved-search-csv/);
    expect(out).toMatch(/2000 refunds, 2000 lines, 4000 source rows/);
    expect(err).toBe(''); // piped: no progress bar
    expect(snapshotCount(workspace)).toEqual({ snapshots: 1, refunds: 2000 });
  }, 60_000);

  it('bad input: exit 2, one message on stderr, no snapshot', async () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, 'Internal ID,Type,Date,Amount,Currency\n1,Cash Refund,1/2/2026,abc,USD\n');
    const workspace = path.join(dir, 'bad.sqlite');
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin', 'refund-recon.js'), 'import', file, '--side', 'netsuite', '--workspace', workspace],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^refund-recon: bad\.csv, line 2, column Amount: "abc" is not a valid USD amount/);
    expect(snapshotCount(workspace)).toEqual({ snapshots: 0, refunds: 0 });
  }, 60_000);
});

describe('snapshot channels through the contract (worker job)', () => {
  function context(workspace: string, events: JobProgress[]): AppContext {
    return {
      db: openWorkspace(workspace),
      workspacePath: workspace,
      isDemo: false,
      appVersion: 'test',
      emit: (_event, payload) => {
        events.push(payload as JobProgress);
      },
    };
  }

  it('snapshot:import runs in a worker with progress events; detect-format; delete', async () => {
    const workspace = path.join(dir, 'contract.sqlite');
    const events: JobProgress[] = [];
    const ctx = context(workspace, events);
    const file = bigSavedSearch(50_000);
    const detected = await dispatch('snapshot:detect-format', { path: file }, ctx);
    expect(detected).toMatchObject({ ok: true, value: { format: 'saved-search-csv', side: 'netsuite' } });
    const result = await dispatch('snapshot:import', { path: file, side: 'netsuite' }, ctx);
    expect(result.ok).toBe(true);
    const value = (result as { value: { snapshot: { id: number; refundCount: number }; format: string } }).value;
    expect(value.format).toBe('saved-search-csv');
    expect(value.snapshot.refundCount).toBe(50_000);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.kind === 'import' && e.unit === 'bytes')).toBe(true);
    const again = await dispatch('snapshot:import', { path: file, side: 'netsuite' }, ctx);
    expect(again).toMatchObject({ ok: true, value: { snapshot: null, alreadyImported: { id: value.snapshot.id } } });
    const wrong = await dispatch('snapshot:import', { path: file, side: 'storefront' }, ctx);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'wrong_side' } });
    expect(await dispatch('snapshot:delete', { id: value.snapshot.id }, ctx)).toEqual({
      ok: true,
      value: { deleted: true },
    });
    ctx.db.close();
    expect(snapshotCount(workspace)).toEqual({ snapshots: 0, refunds: 0 });
  }, 120_000);

  it('cancelling snapshot:import leaves no snapshot', async () => {
    const workspace = path.join(dir, 'cancel.sqlite');
    const events: JobProgress[] = [];
    const ctx = context(workspace, events);
    const controller = new AbortController();
    const file = bigSavedSearch(400_000);
    const promise = dispatch('snapshot:import', { path: file, side: 'netsuite' }, ctx, controller.signal);
    const started = Date.now();
    while (events.length === 0 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const result = await promise;
    expect(result).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    ctx.db.close();
    expect(snapshotCount(workspace)).toEqual({ snapshots: 0, refunds: 0 });
  }, 120_000);
});
