import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MATCHED_KINDS, PLANTED_KINDS } from '../../../src/main/demo/cases';
import { DEMO_FILES, demoCanonical, generateDemo } from '../../../src/main/demo/generate';
import { importFile } from '../../../src/main/importers/import-file';
import { type ReconcileResult, reconcileColumns } from '../../../src/main/reconcile/engine';
import { readMatchColumns, snapshotColumns } from '../../../src/main/reconcile/match-columns';
import { type KeyField, MatchColumnCollector } from '../../../src/main/store/column-collector';
import type { SnapshotColumns } from '../../../src/main/store/match-cache';
import { openWorkspace } from '../../../src/main/store/open';
import { writeSnapshot } from '../../../src/main/store/snapshot-writer';
import type { Side } from '../../../src/shared/model';
import { plainColumns } from '../../support/plain-columns';
import { outputForm } from '../../unit/reconcile/forms';
import { fromCases } from '../../unit/reconcile/helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-collected-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const meta = { label: 't', source: 'demo' as const, format: 'canonical-json', importerVersion: 'test' };
const demoDir = path.join(__dirname, '..', '..', '..', 'resources', 'demo');

const plain = plainColumns;

/** What the first comparison of the snapshot reads with SQL (no cache, nothing written back). */
const readBack = (db: ReturnType<typeof openWorkspace>, id: number, side: Side, key: KeyField) =>
  snapshotColumns(db, id, key === 'none' ? 'externalId' : key, side, false, false);

describe('matching columns built while a snapshot is written', () => {
  it('equal the columns read back with SQL, value for value and in the same order (every case kind, every key field)', async () => {
    const demo = demoCanonical(generateDemo());
    const cases = fromCases([...MATCHED_KINDS, ...PLANTED_KINDS, ...PLANTED_KINDS], 13);
    const db = openWorkspace(path.join(tmp, 'write.sqlite'));
    const sides = [
      ['storefront', [...demo.storefront, ...cases.storefront], ['none']],
      ['netsuite', [...demo.netsuite, ...cases.netsuite], ['externalId', 'memo', 'documentNumber']],
    ] as const;
    for (const [side, refunds, keys] of sides) {
      for (const key of keys) {
        const collector = new MatchColumnCollector(key);
        const id = await writeSnapshot(db, { ...meta, side }, refunds, { rows: collector });
        const collected = collector.finish(db, id);
        expect(collected.n).toBe(refunds.length);
        expect(plain(collected)).toEqual(plain(readBack(db, id, side, key)));
      }
    }
    db.close();
  });

  it("hold across the collector's 4,096-value text chunks (a snapshot of ~10,000 refunds)", async () => {
    const kinds = [...MATCHED_KINDS, ...PLANTED_KINDS];
    const many = fromCases(Array.from({ length: Math.ceil(9000 / kinds.length) }, () => kinds).flat(), 29);
    expect(many.storefront.length).toBeGreaterThan(8192);
    const db = openWorkspace(path.join(tmp, 'many.sqlite'));
    for (const [side, refunds, key] of [
      ['storefront', many.storefront, 'none'],
      ['netsuite', many.netsuite, 'memo'],
    ] as const) {
      const collector = new MatchColumnCollector(key);
      const id = await writeSnapshot(db, { ...meta, side }, refunds, { rows: collector });
      expect(plain(collector.finish(db, id))).toEqual(plain(readBack(db, id, side, key)));
    }
    db.close();
  });

  it('from both import paths (in-thread and parse thread), and the comparison on them is the one on the read-back columns', async () => {
    for (const parseThread of ['never', 'always'] as const) {
      const db = openWorkspace(path.join(tmp, `import-${parseThread}.sqlite`));
      const known = new Map<number, SnapshotColumns>();
      const ids: Record<Side, number> = { storefront: 0, netsuite: 0 };
      for (const [side, file] of [
        ['storefront', DEMO_FILES.storefront],
        ['netsuite', DEMO_FILES.netsuite],
      ] as const) {
        const key: KeyField = side === 'storefront' ? 'none' : 'externalId';
        const result = await importFile(db, { file: path.join(demoDir, file), side, parseThread, matchColumns: key });
        expect(result.matchColumns).toBeDefined();
        expect(plain(result.matchColumns!)).toEqual(plain(readBack(db, result.snapshotId, side, key)));
        known.set(result.snapshotId, result.matchColumns!);
        ids[side] = result.snapshotId;
      }
      const compare = (opts: { known?: Map<number, SnapshotColumns> }) => {
        const results: ReconcileResult[] = [];
        const out = reconcileColumns(
          readMatchColumns(db, [ids.storefront], 'storefront', 'externalId', { persist: false, ...opts }),
          readMatchColumns(db, [ids.netsuite], 'netsuite', 'externalId', { persist: false, useCache: false, ...opts }),
          {},
          {},
          { add: (r) => results.push(r) },
        );
        return outputForm({ results, summary: out.summary, notCompared: out.notCompared });
      };
      const viaCollected = compare({ known });
      expect(viaCollected.results.length).toBeGreaterThan(20);
      expect(viaCollected).toEqual(compare({}));
      db.close();
    }
  });

  it('a persistent workspace keeps the collected columns as its match cache', async () => {
    const db = openWorkspace(path.join(tmp, 'cache.sqlite'));
    const result = await importFile(db, {
      file: path.join(demoDir, DEMO_FILES.storefront),
      side: 'storefront',
      matchColumns: 'none',
    });
    const known = new Map([[result.snapshotId, result.matchColumns!]]);
    readMatchColumns(db, [result.snapshotId], 'storefront', 'externalId', { known });
    const cached = snapshotColumns(db, result.snapshotId, 'externalId', 'storefront');
    expect(plain(cached)).toEqual(plain(result.matchColumns!));
    const rows = db
      .prepare('SELECT key_field FROM snapshot_match_cache WHERE snapshot_id = ?')
      .pluck()
      .all(result.snapshotId);
    expect(rows).toEqual(['none']);
    db.close();
  });
});
