import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_FILES } from '../../../src/main/demo/generate';
import { snapshotColumns } from '../../../src/main/reconcile/match-columns';
import { compareSnapshots } from '../../../src/main/reconcile/run-reconcile';
import { decodeColumns, MATCH_CACHE_FORMAT } from '../../../src/main/store/match-cache';
import { openWorkspace } from '../../../src/main/store/open';
import { importSnapshotFile } from '../../../src/main/use-cases/import-file';
import { plainColumns } from '../../support/plain-columns';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-match-index-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const demoDir = path.join(__dirname, '..', '..', '..', 'resources', 'demo');
const plain = plainColumns;

describe('the import use case builds the snapshot match index', () => {
  // With a parse thread, the thread builds the columns and the blob is stored as it comes.
  it.each(['never', 'always'] as const)(
    'stores each new snapshot’s matching columns (default refund key), equal to a read with SQL; the comparison is unchanged (parse thread %s)',
    async (parseThread) => {
      const file = path.join(tmp, `ws-${parseThread}.sqlite`);
      const db = openWorkspace(file);
      const ctx = { db, workspacePath: file };
      const sf = await importSnapshotFile(ctx, {
        file: path.join(demoDir, DEMO_FILES.storefront),
        side: 'storefront',
        parseThread,
      });
      const ns = await importSnapshotFile(ctx, {
        file: path.join(demoDir, DEMO_FILES.netsuite),
        side: 'netsuite',
        parseThread,
      });
      expect(sf.parseThread !== undefined).toBe(parseThread === 'always');
      // The columns stay inside the core: faces print the result as JSON.
      expect('matchColumns' in sf).toBe(false);
      expect('matchBlob' in sf).toBe(false);
      const stored = db
        .prepare('SELECT snapshot_id, key_field, data FROM snapshot_match_cache ORDER BY snapshot_id')
        .all() as Array<{
        snapshot_id: number;
        key_field: string;
        data: Buffer;
      }>;
      expect(stored.map((r) => [r.snapshot_id, r.key_field])).toEqual([
        [sf.snapshotId, 'none'],
        [ns.snapshotId, 'externalId'],
      ]);
      for (const [row, side] of [
        [stored[0]!, 'storefront'],
        [stored[1]!, 'netsuite'],
      ] as const) {
        const sql = snapshotColumns(db, row.snapshot_id, 'externalId', side, false, false);
        expect(plain(decodeColumns(row.data)!)).toEqual(plain(sql));
      }
      const input = { storefrontSnapshotId: sf.snapshotId, netsuiteSnapshotId: ns.snapshotId };
      const fromIndex = compareSnapshots(db, input, { store: false });
      db.exec('DELETE FROM snapshot_match_cache');
      const fromSql = compareSnapshots(db, input, { store: false });
      expect(fromIndex.output.summary).toEqual(fromSql.output.summary);
      expect(fromIndex.output.results.map((r) => [r.key, r.code, r.difference])).toEqual(
        fromSql.output.results.map((r) => [r.key, r.code, r.difference]),
      );
      db.close();
    },
  );

  it('an index of an older format (3, 4) is not read: the columns are read with SQL and stored in the current format', async () => {
    const db = openWorkspace(path.join(tmp, 'old-format.sqlite'));
    const ctx = { db, workspacePath: path.join(tmp, 'old-format.sqlite') };
    const sf = await importSnapshotFile(ctx, { file: path.join(demoDir, DEMO_FILES.storefront), side: 'storefront' });
    const ns = await importSnapshotFile(ctx, { file: path.join(demoDir, DEMO_FILES.netsuite), side: 'netsuite' });
    const input = { storefrontSnapshotId: sf.snapshotId, netsuiteSnapshotId: ns.snapshotId };
    const before = compareSnapshots(db, input, { store: false });
    // Old indexes whose bytes would mislead a reader: each snapshot's row holds the other side's blob.
    const rows = db
      .prepare('SELECT snapshot_id, key_field, data FROM snapshot_match_cache ORDER BY snapshot_id')
      .all() as Array<{
      snapshot_id: number;
      key_field: string;
      data: Buffer;
    }>;
    expect(rows).toHaveLength(2);
    for (const [k, row] of rows.entries()) {
      const other = rows[1 - k]!.data;
      const old = Buffer.from(
        other.toString('latin1').replace(`"format":${MATCH_CACHE_FORMAT}`, `"format":${3 + k}`),
        'latin1',
      );
      db.prepare('UPDATE snapshot_match_cache SET format = ?, data = ? WHERE snapshot_id = ? AND key_field = ?').run(
        3 + k,
        old,
        row.snapshot_id,
        row.key_field,
      );
    }
    const after = compareSnapshots(db, input, { store: false });
    expect(after.output.summary).toEqual(before.output.summary);
    expect(after.output.results.map((r) => [r.key, r.code, r.difference, r.tenderCheck?.agrees])).toEqual(
      before.output.results.map((r) => [r.key, r.code, r.difference, r.tenderCheck?.agrees]),
    );
    const stored = db.prepare('SELECT snapshot_id, key_field, format, data FROM snapshot_match_cache').all() as Array<{
      snapshot_id: number;
      key_field: string;
      format: number;
      data: Buffer;
    }>;
    expect(stored.map((r) => r.format)).toEqual([MATCH_CACHE_FORMAT, MATCH_CACHE_FORMAT]);
    for (const row of stored) {
      const side = row.snapshot_id === sf.snapshotId ? 'storefront' : 'netsuite';
      const sql = snapshotColumns(db, row.snapshot_id, 'externalId', side, false, false);
      expect(plain(decodeColumns(row.data)!)).toEqual(plain(sql));
    }
    db.close();
  });

  it('a file imported again (already imported) writes nothing new', async () => {
    const db = openWorkspace(path.join(tmp, 'again.sqlite'));
    const ctx = { db, workspacePath: path.join(tmp, 'again.sqlite') };
    const file = path.join(demoDir, DEMO_FILES.netsuite);
    await importSnapshotFile(ctx, { file, side: 'netsuite' });
    const again = await importSnapshotFile(ctx, { file, side: 'netsuite' });
    expect(again.created).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM snapshot_match_cache').get()).toEqual({ n: 1 });
    db.close();
  });
});
