import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { addPerson } from '../../../src/main/review/people';
import { type Db, openWorkspace } from '../../../src/main/store/open';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { pushStart } from '../../../src/main/use-cases/push';
import { LOOPBACK_SWITCH } from '../../../src/shared/loopback-switch';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';

/**
 * Issue 12: `refund-recon push --confirm / --resume / --retry-failed` and the app's push:start /
 * push:resume / push:retry give the same result for the same input, and so do the dry run's audit
 * actors. Each step runs once by the built CLI (spawned) on one workspace, against one NetSuite
 * emulator, and once through the contract (`dispatch`) on an identical workspace against an
 * identical emulator; both must answer alike (outcome JSON), leave the same journal and write the
 * same records to NetSuite (the emulators' request logs and records).
 */

const root = path.resolve(__dirname, '../../..');
// The one naming scheme of docs/connections.md, for both faces.
const SECRETS = {
  REFUND_RECON_NETSUITE_CONSUMERKEY: DEFAULT_TBA.consumerKey,
  REFUND_RECON_NETSUITE_CONSUMERSECRET: DEFAULT_TBA.consumerSecret,
  REFUND_RECON_NETSUITE_TOKENID: DEFAULT_TBA.token,
  REFUND_RECON_NETSUITE_TOKENSECRET: DEFAULT_TBA.tokenSecret,
};
const saved: Record<string, string | undefined> = {};
let dir: string;

/** One face's side of a step: its workspace file and its NetSuite. */
interface Side {
  file: string;
  ns: NetsuiteEmulator;
  accountId: number;
}

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('REFUND_RECON_') || k === 'REFUND_RECON_OUT_DIR') env[k] = v;
  }
  return { ...env, ...SECRETS, NO_COLOR: '1', REFUND_RECON_HOME: path.join(dir, 'cli-home'), [LOOPBACK_SWITCH]: '1' };
}

/** The built CLI in a child process (asynchronously: the emulators answer from this process). */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'refund-recon.js'), ...args], { env: cliEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Two identical sync workspaces (storefront → NetSuite, sandbox), each with its own emulator. */
async function pair(name: string): Promise<{ cli: Side; app: Side; ctx: AppContext }> {
  const make = async (face: string): Promise<Side & { db: Db }> => {
    const ns = await startNetsuiteEmulator();
    const file = path.join(dir, `${name}-${face}.sqlite`);
    const w = await makeSyncWorkspace({ file, netsuiteBaseUrl: ns.url });
    setDirection(w.db, {
      accountId: w.accountId,
      direction: 'storefront_to_netsuite',
      confirmAgainstRecommendation: true,
      actor: 'setup',
    });
    return { file, ns, accountId: w.accountId, db: w.db };
  };
  const [c, a] = [await make('cli'), await make('app')];
  c.db.close(); // the CLI opens its own
  started.push(c.ns, a.ns);
  const ctx: AppContext = { db: a.db, workspacePath: a.file, isDemo: false, appVersion: 'test', emit: () => {} };
  contexts.push(ctx);
  return { cli: c, app: a, ctx };
}
const started: NetsuiteEmulator[] = [];
const contexts: AppContext[] = [];

async function call<T>(ctx: AppContext, channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(channel, payload, ctx);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** `refund-recon push … --format json` on the CLI's side: its outcome JSON and exit status. */
async function push(side: Side, ...args: string[]): Promise<{ status: number | null; json: Record<string, unknown> }> {
  const run = await cli(
    'push',
    '--account',
    String(side.accountId),
    '--workspace',
    side.file,
    '--format',
    'json',
    ...args,
  );
  expect(run.stderr).toBe('');
  return { status: run.status, json: JSON.parse(run.stdout) as Record<string, unknown> };
}

/** An outcome without its ids: the batch id is the workspace's own numbering. */
const outcome = ({ batchId: _b, ...rest }: Record<string, unknown>) => rest;

/** The journal as both faces must leave it; the emulator's address replaced (each face has its own port). */
function journal(db: Db, ns: NetsuiteEmulator): Record<string, unknown>[] {
  return (
    db
      .prepare(
        'SELECT direction, refund_key, target, payload, state, attempts, last_error, remote_id FROM push_journal ORDER BY id',
      )
      .all() as Record<string, unknown>[]
  ).map((r) => ({
    ...r,
    last_error: typeof r.last_error === 'string' ? r.last_error.split(ns.url).join('<ns>') : null,
  }));
}

function journalOf(side: Side, open: (file: string) => Db): ReturnType<typeof journal> {
  const db = open(side.file);
  try {
    return journal(db, side.ns);
  } finally {
    db.close();
  }
}

/** What NetSuite was asked to write, and what it holds afterwards. */
function written(ns: NetsuiteEmulator) {
  return {
    writes: ns.requests
      .filter((r) => r.method !== 'GET' && r.path.includes('/record/'))
      .map((r) => `${r.method} ${r.path} ${r.status}`),
    records: ns.db
      .prepare(
        'SELECT id, tranid, type, trandate, entity, foreigntotal, externalid, memo, otherrefnum FROM "transaction" WHERE externalid IS NOT NULL ORDER BY id',
      )
      .all(),
    links: ns.db.prepare('SELECT * FROM previoustransactionlink ORDER BY previousdoc, nextdoc').all(),
  };
}

/**
 * NetSuite refuses the first record written with item lines, as it refuses any unknown item
 * ("Invalid Field Value … for the following field: item", apis.md §1.6; the emulator's item rule):
 * a user event script standing in for a bad item mapping, once.
 */
function refuseFirstItemWrite(ns: NetsuiteEmulator): void {
  let refused = false;
  ns.hooks.beforeSubmit = (_type, body) => {
    const items = (body.item as { items?: unknown[] } | undefined)?.items;
    if (refused || !Array.isArray(items) || items.length === 0) return body;
    refused = true;
    return { ...body, item: { items: [{ ...(items[0] as object), item: { id: '999999' } }] } };
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-parity-push-'));
  setLoopbackApisAllowed(true);
  for (const [k, v] of Object.entries(SECRETS)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});

afterAll(async () => {
  for (const ctx of contexts) ctx.db.close();
  await Promise.all(started.map((ns) => ns.close()));
  setLoopbackApisAllowed(undefined);
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the CLI and the app give the same result: push and dry run', { timeout: 180_000 }, () => {
  let sides: Awaited<ReturnType<typeof pair>>;
  const openDb = (file: string): Db => openWorkspace(file);
  beforeAll(async () => {
    sides = await pair('push');
  });

  it('dry-run and dry-run:start record the same actor: the workspace’s person', async () => {
    const { cli: c, app: a, ctx } = sides;
    const cliDb = openDb(c.file);
    addPerson(cliDb, 'Ann Example');
    cliDb.close();
    addPerson(ctx.db, 'Ann Example');
    // Neither face names anyone: the CLI has no --actor, the app sends its placeholder (nobody chosen).
    const run = await cli(
      'dry-run',
      '--account',
      String(c.accountId),
      '--workspace',
      c.file,
      '--sample',
      '2',
      '--format',
      'json',
    );
    expect(run.stderr).toBe('');
    const viaCli = JSON.parse(run.stdout) as Record<string, unknown>;
    const viaApp = await call<Record<string, unknown>>(ctx, 'dry-run:start', {
      accountId: a.accountId,
      selection: { mode: 'sample', size: 2 },
      actor: 'local user',
    });
    expect(viaCli.actor).toBe('Ann Example');
    expect(viaApp.actor).toBe('Ann Example');
    const audit = (db: Db) =>
      db.prepare("SELECT actor, entity FROM audit_log WHERE action = 'sync.dry_run' ORDER BY id").all();
    const cliAfter = openDb(c.file);
    try {
      expect(audit(cliAfter)).toEqual([{ actor: 'Ann Example', entity: `storefront_account:${c.accountId}` }]);
      expect(audit(cliAfter)).toEqual(audit(ctx.db));
    } finally {
      cliAfter.close();
    }
    // A name given is recorded as given, by both.
    const named = await cli(
      'dry-run',
      '--account',
      String(c.accountId),
      '--workspace',
      c.file,
      '--sample',
      '1',
      '--format',
      'json',
      '--actor',
      'Bo',
    );
    const namedApp = await call<{ actor: string }>(ctx, 'dry-run:start', {
      accountId: a.accountId,
      selection: { mode: 'sample', size: 1 },
      actor: 'Bo',
    });
    expect((JSON.parse(named.stdout) as { actor: string }).actor).toBe(namedApp.actor);
    expect(namedApp.actor).toBe('Bo');
  });

  it('push --confirm and push:start: one record refused, the rest sent; same outcome, journal and records', async () => {
    const { cli: c, app: a, ctx } = sides;
    refuseFirstItemWrite(c.ns);
    refuseFirstItemWrite(a.ns);
    const preview = await push(c);
    const appPreview = await call<{ confirmationCode: string; count: number }>(ctx, 'push:preview', {
      accountId: a.accountId,
    });
    expect(preview.json.confirmationCode).toBe(appPreview.confirmationCode);
    expect(appPreview.count).toBeGreaterThan(2);

    const viaCli = await push(c, '--confirm', String(preview.json.confirmationCode), '--actor', 'Ann Example');
    const viaApp = await call<Record<string, unknown>>(ctx, 'push:start', {
      accountId: a.accountId,
      confirmationCode: appPreview.confirmationCode,
      actor: 'Ann Example',
    });
    expect(outcome(viaCli.json)).toEqual(outcome(viaApp));
    expect(viaApp.failed).toBeGreaterThanOrEqual(1);
    expect(viaApp.sent).toBeGreaterThanOrEqual(1);
    expect(viaCli.status).toBe(1); // a failed write: the CLI says so in its exit status
    expect(journalOf(c, openDb)).toEqual(journal(ctx.db, a.ns));
    expect(journal(ctx.db, a.ns).some((r) => r.state === 'failed' && /item/.test(String(r.last_error)))).toBe(true);
    expect(written(c.ns)).toEqual(written(a.ns));
  });

  it('push --retry-failed and push:retry: the refused record goes once NetSuite takes it', async () => {
    const { cli: c, app: a, ctx } = sides;
    c.ns.hooks.beforeSubmit = undefined;
    a.ns.hooks.beforeSubmit = undefined;
    const viaCli = await push(c, '--retry-failed', '--actor', 'Ann Example');
    const viaApp = await call<Record<string, unknown>>(ctx, 'push:retry', {
      accountId: a.accountId,
      actor: 'Ann Example',
    });
    expect(outcome(viaCli.json)).toEqual(outcome(viaApp));
    expect(viaApp).toMatchObject({ failed: 0, remaining: 0, exceptionList: 0 });
    expect(viaCli.status).toBe(0);
    const rows = journal(ctx.db, a.ns);
    expect(rows.every((r) => r.state === 'confirmed' || r.state === 'already_synced')).toBe(true);
    expect(journalOf(c, openDb)).toEqual(rows);
    expect(written(c.ns)).toEqual(written(a.ns));
    const audit = (db: Db) =>
      db.prepare("SELECT actor, action FROM audit_log WHERE action LIKE 'sync.push%' ORDER BY id").all();
    const cliDb = openDb(c.file);
    try {
      expect(audit(cliDb)).toEqual(audit(ctx.db));
    } finally {
      cliDb.close();
    }
  });

  it('push --resume and push:resume: a push stopped after its first write is finished, nothing sent twice', async () => {
    const { cli: c, app: a, ctx } = await pair('resume');
    // The same interrupted push on both sides: the user pressed Pause as soon as one refund was
    // written (the app's pause; a CLI killed at that moment leaves the same journal).
    const interrupt = async (db: Db, side: Side) => {
      const preview = await call<{ confirmationCode: string }>(
        { ...ctx, db, workspacePath: side.file },
        'push:preview',
        { accountId: side.accountId },
      );
      const pause = new AbortController();
      const paused = await pushStart(
        {
          db,
          workspacePath: side.file,
          emit: (event, payload) => {
            if (event === 'job:progress' && (payload as { done: number }).done >= 1) pause.abort();
          },
        },
        { accountId: side.accountId, confirmationCode: preview.confirmationCode, actor: 'Ann Example' },
        pause.signal,
      );
      expect(paused.remaining).toBeGreaterThan(0);
    };
    const cliDb = openDb(c.file);
    try {
      await interrupt(cliDb, c);
    } finally {
      cliDb.close();
    }
    await interrupt(ctx.db, a);
    expect(journalOf(c, openDb)).toEqual(journal(ctx.db, a.ns));
    expect(journal(ctx.db, a.ns).some((r) => r.state === 'pending')).toBe(true);
    const writesBefore = written(a.ns).writes.length;

    const viaCli = await push(c, '--resume');
    const viaApp = await call<Record<string, unknown>>(ctx, 'push:resume', { accountId: a.accountId });
    expect(outcome(viaCli.json)).toEqual(outcome(viaApp));
    expect(viaApp).toMatchObject({ failed: 0, remaining: 0 });
    expect(viaApp.sent).toBeGreaterThan(0);
    expect(viaCli.status).toBe(0);
    expect(journalOf(c, openDb)).toEqual(journal(ctx.db, a.ns));
    const after = written(a.ns);
    expect(written(c.ns)).toEqual(after);
    expect(after.writes.length).toBeGreaterThan(writesBefore);
    // One write per journal row: nothing written before the pause went again.
    const puts = after.writes.map((w) => w.split(' ')[1]);
    expect(new Set(puts).size).toBe(puts.length);
  });
});
