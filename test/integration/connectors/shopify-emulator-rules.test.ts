import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { ShopifyClient } from '../../../src/main/connectors/shopify/client';
import { bulkOrdersQuery } from '../../../src/main/connectors/shopify/queries';
import { shopifyGraphqlOrderToRefunds } from '../../../src/main/importers/shopify-jsonl';
import { pullShopifyRefunds } from '../../../src/main/pull/shopify';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { CanonicalRefund } from '../../../src/shared/model';
import { LIST_CONNECTION_MESSAGE } from '../../emulators/shopify/bulk-rules';
import { generateShopifyData } from '../../emulators/shopify/dataset';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';

/**
 * The Shopify emulator says no where Shopify says no (test/emulators/shopify/bulk-rules.ts and
 * docs/connections.md cite the documentation of each rule), and the client passes against it.
 */

const MONEY = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';
/** The bulk query the app sent before issue 14: connections inside the `refunds` list field. */
const OLD_BULK_QUERY = `{ orders { edges { node { id name refunds { id totalRefundedSet { ${MONEY} }
  refundLineItems { edges { node { id quantity } } }
  transactions { edges { node { id kind status amountSet { ${MONEY} } } } } } } } } }`;

const data = generateShopifyData({ refunds: 40, seed: 14 });
const expected = JSON.parse(
  JSON.stringify(data.orders.flatMap((o) => shopifyGraphqlOrderToRefunds(o)).map((r) => CanonicalRefund.parse(r))),
);

const started: ShopifyEmulator[] = [];
async function emulator(apiVersion: string): Promise<ShopifyEmulator> {
  const emu = await startShopifyEmulator({ data: structuredClone(data), apiVersion, restoreRate: 2000 });
  started.push(emu);
  return emu;
}
beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));
afterEach(async () => {
  for (const emu of started.splice(0)) await emu.close();
});

/** The parts of a GraphQL answer these tests read. */
interface Answer {
  data: {
    bulkOperationRunQuery: {
      bulkOperation: { id: string } | null;
      userErrors: { field: string[]; message: string }[];
    };
    node: { status: string; url: string };
  };
  errors?: { message: string; extensions: { code: string } }[];
  extensions: { cost: unknown };
}

async function post(emu: ShopifyEmulator, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(emu.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': emu.accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer;
}

const RUN = `mutation($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } } }`;
const RUN_GROUPED = (grouped: boolean) =>
  `mutation($query: String!) { bulkOperationRunQuery(query: $query, groupObjects: ${grouped}) { bulkOperation { id status } userErrors { field message } } }`;

async function bulkLines(emu: ShopifyEmulator, mutation: string, query: string): Promise<Record<string, unknown>[]> {
  const run = await post(emu, mutation, { query });
  const id = run.data.bulkOperationRunQuery.bulkOperation!.id;
  for (;;) {
    const s = await post(emu, 'query($id: ID!) { node(id: $id) { ... on BulkOperation { id status url } } }', { id });
    if (s.data.node.status === 'COMPLETED') {
      const text = await (await fetch(s.data.node.url)).text();
      return text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Shopify bulk operation restrictions (https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions)', () => {
  it('a connection inside a list field is a user error (the bulk query of defect 4)', async () => {
    const emu = await emulator('2025-07');
    const out = await post(emu, RUN, { query: OLD_BULK_QUERY });
    expect(out.data.bulkOperationRunQuery.bulkOperation).toBeNull();
    expect(out.data.bulkOperationRunQuery.userErrors).toEqual([{ field: ['query'], message: LIST_CONNECTION_MESSAGE }]);
    expect(emu.stats.bulkRuns).toBe(0);
  });

  it('more than five connections is a user error', async () => {
    const emu = await emulator('2025-07');
    const six = `{ orders { edges { node { id
      a: lineItems { edges { node { id } } } b: lineItems { edges { node { id } } } c: lineItems { edges { node { id } } }
      d: lineItems { edges { node { id } } } e: lineItems { edges { node { id } } } } } } }`;
    const out = await post(emu, RUN, { query: six });
    expect(out.data.bulkOperationRunQuery.userErrors[0]!.message).toMatch(/more than 5 connections/);
  });

  it('connections nested deeper than two levels are a user error', async () => {
    const emu = await emulator('2025-07');
    const deep = `{ orders { edges { node { id fulfillments(first: 5) { id fulfillmentLineItems { edges { node { id
      lineItem { id } } } } } lineItems { edges { node { id variant { id product { id variants { edges { node { id } } } } } } } } } } } }`;
    const out = await post(emu, RUN, { query: deep });
    expect(out.data.bulkOperationRunQuery.userErrors.map((e) => e.message)).toContain(
      'Bulk queries cannot contain connections with a nesting depth greater than 2.',
    );
  });

  it('a query without a connection, or starting at node(s), is refused', async () => {
    const emu = await emulator('2025-07');
    const none = await post(emu, RUN, { query: '{ shop { id name } }' });
    expect(none.data.bulkOperationRunQuery.userErrors[0]!.message).toMatch(/at least one connection/);
    const node = await post(emu, RUN, {
      query: '{ node(id: "gid://shopify/Order/1") { id ... on Order { lineItems { edges { node { id } } } } } }',
    });
    expect(node.data.bulkOperationRunQuery.userErrors[0]!.message).toMatch(/top level `node`/);
  });

  it('the app’s bulk query is accepted: one connection, refunds with scalars and money only', async () => {
    const emu = await emulator('2025-07');
    const out = await post(emu, RUN, { query: bulkOrdersQuery('') });
    expect(out.data.bulkOperationRunQuery.userErrors).toEqual([]);
  });
});

describe('Shopify bulk output grouping (https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false)', () => {
  const WITH_CHILDREN = '{ orders { edges { node { id name lineItems { edges { node { id sku } } } } } } }';
  const grouped = (lines: Record<string, unknown>[]) => {
    let parent: unknown = null;
    for (const l of lines) {
      if (l.__parentId === undefined) parent = l.id;
      else if (l.__parentId !== parent) return false;
    }
    return true;
  };

  it('2026-01: ungrouped unless groupObjects: true', async () => {
    const emu = await emulator('2026-01');
    const plain = await bulkLines(emu, RUN, WITH_CHILDREN);
    expect(plain.some((l) => l.__parentId !== undefined)).toBe(true);
    expect(grouped(plain)).toBe(false);
    expect(grouped(await bulkLines(emu, RUN_GROUPED(true), WITH_CHILDREN))).toBe(true);
  });

  it('2025-07: grouped by default, ungrouped when asked; before 2025-07 the argument does not exist', async () => {
    const emu = await emulator('2025-07');
    expect(grouped(await bulkLines(emu, RUN, WITH_CHILDREN))).toBe(true);
    expect(grouped(await bulkLines(emu, RUN_GROUPED(false), WITH_CHILDREN))).toBe(false);
    const old = await emulator('2025-04');
    const refused = await post(old, RUN_GROUPED(true), { query: WITH_CHILDREN });
    expect(refused.errors![0]!.message).toMatch(/doesn't accept argument 'groupObjects'/);
  });
});

describe('Shopify bulk concurrency (https://shopify.dev/docs/api/usage/bulk-operations/queries)', () => {
  it('one bulk query at a time per shop before 2026-01', async () => {
    const emu = await emulator('2025-07');
    const first = await post(emu, RUN, { query: bulkOrdersQuery('') });
    expect(first.data.bulkOperationRunQuery.bulkOperation).not.toBeNull();
    const second = await post(emu, RUN, { query: bulkOrdersQuery('') });
    expect(second.data.bulkOperationRunQuery.userErrors[0]!.message).toMatch(/already in progress/);
  });

  it('five at a time from 2026-01', async () => {
    const emu = await emulator('2026-01');
    for (let i = 0; i < 5; i++) {
      const ok = await post(emu, RUN, { query: bulkOrdersQuery('') });
      expect(ok.data.bulkOperationRunQuery.userErrors).toEqual([]);
    }
    const sixth = await post(emu, RUN, { query: bulkOrdersQuery('') });
    expect(sixth.data.bulkOperationRunQuery.userErrors[0]!.message).toMatch(/already in progress/);
  });
});

describe('Shopify GraphQL cost limits (https://shopify.dev/docs/api/usage/rate-limits)', () => {
  it('a requested cost over 1,000 is refused with MAX_COST_EXCEEDED', async () => {
    const emu = await emulator('2025-07');
    const out = await post(
      emu,
      'query($first: Int!) { orders(first: $first) { nodes { id refunds(first: 10) { id refundLineItems(first: 50) { nodes { id } } } } } }',
      { first: 250 },
    );
    expect(out.errors![0]!.extensions.code).toBe('MAX_COST_EXCEEDED');
    expect(out.data).toBeUndefined();
  });

  it('THROTTLED carries the documented extensions.cost shape', async () => {
    const emu = await startShopifyEmulator({ data: structuredClone(data), bucketSize: 100, restoreRate: 1 });
    started.push(emu);
    const q =
      'query($first: Int!) { orders(first: $first) { nodes { id refunds(first: 1) { id refundLineItems(first: 1) { nodes { id } } transactions(first: 1) { nodes { id } } orderAdjustments(first: 1) { nodes { id } } } } } }';
    let out = await post(emu, q, { first: 5 });
    for (let i = 0; i < 5 && !out.errors; i++) out = await post(emu, q, { first: 5 });
    expect(out.errors).toEqual([
      {
        message: 'Throttled',
        extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
      },
    ]);
    expect(out.extensions.cost).toEqual({
      requestedQueryCost: expect.any(Number),
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: expect.any(Number), restoreRate: 1 },
    });
  });
});

describe('the client passes against the stricter emulator', () => {
  for (const apiVersion of ['2025-04', '2025-07', '2026-01']) {
    it(`bulk pull on ${apiVersion}: every refund, with its lines (details fetched by id)`, async () => {
      const emu = await emulator(apiVersion);
      const db = openWorkspace(':memory:');
      const client = new ShopifyClient({
        baseUrl: emu.url,
        accessToken: emu.accessToken,
        apiVersion,
        limiter: new ConcurrencyLimiter(2),
        baseDelayMs: 5,
        maxDelayMs: 100,
        maxAttempts: 20,
      });
      const result = await pullShopifyRefunds(db, client, { bulk: true });
      expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
      expect(emu.stats.bulkRuns).toBe(1);
      expect(emu.stats.bulkRefused).toBe(0);
      db.close();
    });
  }

  it('refund-recon pull shopify --bulk works against it', async () => {
    const emu = await emulator('2025-07');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-shopify-bulk-'));
    try {
      const workspace = path.join(dir, 'ws.sqlite');
      const env = {
        ...process.env,
        REFUND_RECON_SECRETS_FILE: path.join(dir, 'none.json'),
        REFUND_RECON_SHOPIFY_ACCESSTOKEN: emu.accessToken,
        REFUND_RECON_ALLOW_LOOPBACK_APIS: '1',
      };
      const bin = path.resolve(__dirname, '../../../bin/refund-recon.js');
      const out = await promisify(execFile)(
        process.execPath,
        [bin, 'pull', 'shopify', '--shop', 'emu', '--base-url', emu.url, '--bulk', '--workspace', workspace, '--json'],
        { env },
      );
      expect(JSON.parse(out.stdout)).toMatchObject({ refunds: expected.length });
      expect(emu.stats.bulkRuns).toBe(1);
      const db = openWorkspace(workspace);
      const id = (db.prepare('SELECT id FROM snapshots').get() as { id: number }).id;
      expect(readSnapshotRefunds(db, id)).toEqual(expected);
      db.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
