import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ErrorLocation } from '../../shared/errors';
import type { CanonicalRefundInput } from '../../shared/model';
import {
  type GraphqlRefundChildren,
  graphqlOrderInfo,
  graphqlRefundToNeutral,
  neutralToCanonical,
  nodes,
} from '../mapping/shopify';
import { type ImportContext, inputError, isObj, type Obj, optString, shown } from './common';
import { readJson } from './json-stream';
import type { TextSource } from './source';

export { shopifyGraphqlOrderToRefunds } from '../mapping/shopify';

/**
 * `shopify-jsonl`: the JSONL file of a GraphQL bulk operation (apis.md §2.2). Each line is one
 * object; objects of a nested connection carry `__parentId`. Orders are lines without a parent;
 * refunds are inline in the order (`refunds` is a plain list) or separate lines whose parent is the
 * order; refund line items, transactions, order adjustments and refund shipping lines are lines
 * whose parent is the refund. Grouped files (children right after their parent) and ungrouped ones
 * (API 2026-01 and later, unless grouping was asked for) read alike: see shopifyBulkObjectsToRefunds.
 */

export interface BulkLine {
  value: unknown;
  line: number;
}

type ChildKind = keyof GraphqlRefundChildren;

function gidType(id: unknown): string {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(optString(id));
  return m ? m[1]! : '';
}

function childKind(obj: Obj): ChildKind | 'Refund' | undefined {
  switch (gidType(obj.id)) {
    case 'Refund':
      return 'Refund';
    case 'RefundLineItem':
      return 'refundLineItems';
    case 'OrderTransaction':
      return 'transactions';
    case 'OrderAdjustment':
      return 'orderAdjustments';
    case 'RefundShippingLine':
      return 'refundShippingLines';
  }
  // Without ids, go by shape.
  if (obj.lineItem !== undefined || obj.restockType !== undefined) return 'refundLineItems';
  if (obj.kind !== undefined && obj.status !== undefined) return 'transactions';
  if (obj.subtotalAmountSet !== undefined) return 'refundShippingLines';
  if (obj.amountSet !== undefined && (obj.reason !== undefined || obj.kind !== undefined)) return 'orderAdjustments';
  if (obj.refundLineItems !== undefined || obj.totalRefundedSet !== undefined || obj.createdAt !== undefined)
    return 'Refund';
  return undefined;
}

/**
 * Canonical refunds from bulk-operation objects in file order (each with its line number).
 *
 * Grouped or not: since Admin API 2026-01 a bulk file is ungrouped unless the query asked for
 * grouping (https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false),
 * so a child line may come anywhere after — or before — its parent. The objects are read once
 * into an on-disk index (a temporary SQLite file: memory stays bounded whatever the file size),
 * then each order is assembled from it with its refunds and their children, in file order.
 */
export async function* shopifyBulkObjectsToRefunds(
  objects: AsyncIterable<BulkLine> | Iterable<BulkLine>,
  file = 'bulk.jsonl',
): AsyncGenerator<CanonicalRefundInput> {
  const index = new BulkIndex();
  try {
    for await (const { value, line } of objects as AsyncIterable<BulkLine>) index.add(value, line, file);
    index.finishLoading(file);
    yield* index.refunds(file);
  } finally {
    index.close();
  }
}

/** Objects by the number at the end of their gid (`gid://shopify/RefundLineItem/123`); without ids, as found. */
function byGidNumber(a: Obj, b: Obj): number {
  const x = gidNumber(a.id);
  const y = gidNumber(b.id);
  if (x === undefined || y === undefined) return 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

function gidNumber(id: unknown): bigint | undefined {
  const m = /\/(\d+)$/.exec(optString(id));
  return m ? BigInt(m[1]!) : undefined;
}

/** The temporary on-disk index of one bulk file: orders, refunds given as lines, refund children. */
class BulkIndex {
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-bulk-'));
  private readonly db = new Database(path.join(this.dir, 'index.sqlite'));
  private readonly insertOrder;
  private readonly insertRefund;
  private readonly insertRefundId;
  private readonly insertChild;
  private pending = 0;

  constructor() {
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(`
      CREATE TABLE orders (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, line INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE TABLE refunds (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, parent TEXT NOT NULL, line INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE TABLE refund_ids (id TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE children (seq INTEGER PRIMARY KEY, parent TEXT NOT NULL, kind TEXT NOT NULL, line INTEGER NOT NULL, json TEXT NOT NULL);`);
    this.insertOrder = this.db.prepare('INSERT INTO orders (id, line, json) VALUES (?, ?, ?)');
    this.insertRefund = this.db.prepare('INSERT INTO refunds (id, parent, line, json) VALUES (?, ?, ?, ?)');
    this.insertRefundId = this.db.prepare('INSERT OR IGNORE INTO refund_ids (id) VALUES (?)');
    this.insertChild = this.db.prepare('INSERT INTO children (parent, kind, line, json) VALUES (?, ?, ?, ?)');
    this.db.exec('BEGIN');
  }

  add(value: unknown, line: number, file: string): void {
    const where: ErrorLocation = { file, line };
    if (!isObj(value)) {
      throw inputError('unexpected_json', `Expected one JSON object per line, found ${shown(value)}.`, where);
    }
    const parent = value.__parentId;
    if (parent === undefined) {
      if (gidType(value.id) && gidType(value.id) !== 'Order') {
        throw inputError(
          'unexpected_json',
          `Line ${line} is a root object of type ${gidType(value.id)}; the bulk query must start at orders (query { orders { edges { node { … refunds { … } } } } }).`,
          { ...where, field: 'id' },
        );
      }
      this.insertOrder.run(optString(value.id), line, JSON.stringify(value));
      for (const refund of nodes(value.refunds)) {
        const id = optString(refund.id);
        if (id) this.insertRefundId.run(id);
      }
    } else {
      const parentId = optString(parent);
      const kind = childKind(value);
      if (kind === 'Refund') {
        const id = optString(value.id) || `#line${line}`;
        this.insertRefund.run(id, parentId, line, JSON.stringify(value));
        this.insertRefundId.run(id);
      } else if (kind !== undefined) {
        this.insertChild.run(parentId, kind, line, JSON.stringify(value));
      }
      // Anything else is another connection of an order (line items, fulfillments…): not needed.
    }
    if (++this.pending >= 10_000) {
      this.db.exec('COMMIT; BEGIN');
      this.pending = 0;
    }
  }

  /** Indexes the file and checks that every child has its parent somewhere in it. */
  finishLoading(file: string): void {
    this.db.exec('COMMIT');
    this.db.exec(`
      CREATE INDEX orders_by_id ON orders(id);
      CREATE INDEX refunds_by_parent ON refunds(parent, seq);
      CREATE INDEX children_by_parent ON children(parent, seq);`);
    const orphanRefund = this.db
      .prepare(
        'SELECT r.line, r.parent FROM refunds r WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = r.parent) ORDER BY r.seq LIMIT 1',
      )
      .get() as { line: number; parent: string } | undefined;
    const orphanChild = this.db
      .prepare(
        'SELECT c.line, c.parent FROM children c WHERE NOT EXISTS (SELECT 1 FROM refund_ids i WHERE i.id = c.parent) ORDER BY c.seq LIMIT 1',
      )
      .get() as { line: number; parent: string } | undefined;
    const orphan = [orphanRefund, orphanChild]
      .filter((o): o is { line: number; parent: string } => o !== undefined)
      .sort((a, b) => a.line - b.line)[0];
    if (orphan) {
      throw inputError(
        'orphan_object',
        `This line's __parentId ${orphan.parent} is not an order or a refund anywhere in the file. A bulk-operation file lists every parent object with its children (in any order); use the whole file exactly as Shopify produced it.`,
        { file, line: orphan.line, field: '__parentId' },
      );
    }
  }

  /** Each order's refunds, canonical, in file order. */
  *refunds(file: string): Generator<CanonicalRefundInput> {
    const refundsOf = this.db.prepare('SELECT line, json FROM refunds WHERE parent = ? ORDER BY seq');
    const childrenOf = this.db.prepare('SELECT kind, json FROM children WHERE parent = ? ORDER BY seq');
    // Orders in pages of 500 (by seq): better-sqlite3 does not run other statements while one iterates.
    let lastSeq = 0;
    const page = this.db.prepare('SELECT seq, line, json FROM orders WHERE seq > ? ORDER BY seq LIMIT 500');
    for (;;) {
      const rows = page.all(lastSeq) as { seq: number; line: number; json: string }[];
      if (rows.length === 0) return;
      for (const row of rows) {
        lastSeq = row.seq;
        const value = JSON.parse(row.json) as Obj;
        const order = graphqlOrderInfo(value);
        const list: { refund: Obj; line: number }[] = nodes(value.refunds).map((refund) => ({
          refund,
          line: row.line,
        }));
        for (const r of refundsOf.all(optString(value.id)) as { line: number; json: string }[]) {
          list.push({ refund: JSON.parse(r.json) as Obj, line: r.line });
        }
        // Refunds given as lines come in any order in an ungrouped file: id order, as for children.
        list.sort((a, b) => byGidNumber(a.refund, b.refund));
        for (const { refund, line } of list) {
          const children: GraphqlRefundChildren = {
            refundLineItems: [],
            transactions: [],
            orderAdjustments: [],
            refundShippingLines: [],
          };
          const id = optString(refund.id);
          if (id) {
            for (const c of childrenOf.all(id) as { kind: keyof GraphqlRefundChildren; json: string }[]) {
              children[c.kind].push(JSON.parse(c.json) as Obj);
            }
            // An ungrouped file lists children in any order: put them in id order (Shopify's ids
            // grow with creation, the order of the connection), so grouped and ungrouped files of
            // the same refunds give the same lines in the same order.
            for (const list of Object.values(children) as Obj[][]) list.sort(byGidNumber);
          }
          const where: ErrorLocation = { file, line };
          yield neutralToCanonical(graphqlRefundToNeutral(refund, order, children, where), where);
        }
      }
    }
  }

  close(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.close();
    } finally {
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

export async function* shopifyJsonlRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  async function* lines(): AsyncGenerator<BulkLine> {
    for await (const item of readJson(source)) {
      ctx.rows++;
      yield { value: item.value, line: item.line };
    }
  }
  yield* shopifyBulkObjectsToRefunds(lines(), ctx.file);
}
