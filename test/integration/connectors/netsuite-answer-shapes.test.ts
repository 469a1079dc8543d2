import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { NetsuiteClient, suiteqlPage } from '../../../src/main/connectors/netsuite/client';
import { pullNetsuiteRefunds } from '../../../src/main/pull/netsuite';
import { openWorkspace } from '../../../src/main/store/open';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';

/**
 * Issue 17 S2, every NetSuite answer shape the client parses: the count, the histogram, the pages
 * and a record. An answer of the wrong shape is a `netsuite_bad_answer` naming what was expected;
 * "no refunds" is trusted only from a well-formed count (one row, n = 0).
 */

let emu: NetsuiteEmulator;
beforeAll(async () => {
  setLoopbackApisAllowed(true);
  emu = await startNetsuiteEmulator({ data: generateNetsuiteData({ refunds: 120, seed: 4 }) });
});
afterAll(async () => {
  setLoopbackApisAllowed(undefined);
  await emu?.close();
});

const client = () =>
  new NetsuiteClient({
    accountId: emu.accountId,
    baseUrl: emu.url,
    auth: { kind: 'tba', ...DEFAULT_TBA },
    limiter: new ConcurrencyLimiter(5),
    baseDelayMs: 1,
    maxAttempts: 3,
  });

async function pullWith(...bodies: { body: string; after?: number; match?: RegExp }[]) {
  emu.faults.clear();
  for (const b of bodies)
    emu.faults.add({ kind: 'reply', status: 200, body: b.body, after: b.after ?? 0, match: b.match ?? /suiteql/ });
  const db = openWorkspace(':memory:');
  try {
    const result = await pullNetsuiteRefunds(db, client(), { maxWindowRows: 50, pageSize: 25, thread: false });
    return { ok: true as const, result };
  } catch (error) {
    const snapshots = (db.prepare('SELECT COUNT(*) AS n FROM snapshots').get() as { n: number }).n;
    return { ok: false as const, error: error as { code?: string; message: string }, snapshots };
  } finally {
    emu.faults.clear();
    db.close();
  }
}

describe('NetSuite answers of the wrong shape (issue 17 S2)', () => {
  it('count: {}, no rows, a row without n, n not a number → bad answer, no snapshot', async () => {
    const cases = [
      '{}',
      '{"items":[],"hasMore":false}',
      '{"items":[{"lo":1}],"hasMore":false}',
      '{"items":[{"n":"many","lo":1,"hi":2}],"hasMore":false}',
      '{"items":{},"hasMore":false}',
      '{"items":[null],"hasMore":false}',
    ];
    for (const body of cases) {
      const out = await pullWith({ body });
      expect({ body, ok: out.ok }).toEqual({ body, ok: false });
      if (out.ok) continue;
      expect({ body, code: out.error.code }).toEqual({ body, code: 'netsuite_bad_answer' });
      expect(out.error.message).toMatch(/NetSuite answered .* not (a SuiteQL page|one row with the count|a number)/);
      expect(out.snapshots).toBe(0);
    }
  });

  it('a well-formed count of zero is trusted: an empty snapshot', async () => {
    const out = await pullWith({
      body: '{"items":[{"n":0,"lo":null,"hi":null}],"hasMore":false,"count":1,"totalResults":1}',
    });
    expect(out.ok && out.result.refunds).toBe(0);
  });

  it('histogram and pages: {} or rows of the wrong shape are bad answers, not "data changed" or a crash', async () => {
    // The histogram is the one query asked with limit=1000 (the count asks 1 row, pages 25).
    const histogram = await pullWith({ body: '{"items":[{"b":"x","n":3}],"hasMore":false}', match: /limit=1000/ });
    expect(histogram.ok).toBe(false);
    if (!histogram.ok) expect(histogram.error.message).toMatch(/histogram query .* not a number in each row/);
    const page = await pullWith({ body: '{}', match: /limit=25/, after: 1 });
    expect(page.ok).toBe(false);
    if (!page.ok) {
      expect(page.error.code).toBe('netsuite_bad_answer');
      expect(page.snapshots).toBe(0);
    }
  });

  it('a record read answered {} or a list is a bad answer; suiteqlPage refuses every wrong envelope', async () => {
    emu.faults.add({ kind: 'reply', status: 200, body: '[]', match: /record\/v1/ });
    await expect(client().getRecord('cashRefund', '1')).rejects.toMatchObject({ code: 'netsuite_bad_answer' });
    emu.faults.add({ kind: 'reply', status: 200, body: '', match: /record\/v1/ });
    await expect(client().getRecord('cashRefund', '1')).rejects.toMatchObject({ code: 'netsuite_bad_answer' });
    for (const bad of [null, {}, [], { items: [] }, { hasMore: false }, { items: 'x', hasMore: false }]) {
      expect(() => suiteqlPage(bad, 0)).toThrow(/not a SuiteQL page/);
    }
    expect(suiteqlPage({ items: [], hasMore: false }, 0).items).toEqual([]);
  });
});
