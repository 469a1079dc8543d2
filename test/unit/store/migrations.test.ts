import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createNetsuiteAccount,
  createStorefrontAccount,
  listStorefrontAccounts,
} from '../../../src/main/store/accounts';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openWorkspace } from '../../../src/main/store/open';
import { nonStrictTables } from '../../support/non-strict-tables';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-store-'));
  dirs.push(dir);
  return path.join(dir, 'workspace.sqlite');
}

describe('workspace store', () => {
  it('creates the newest schema with WAL and foreign keys', () => {
    const db = openWorkspace(tempFile());
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(nonStrictTables(db)).toEqual([]);
    db.close();
  });

  it('refuses to store both sync directions at once', () => {
    const db = openWorkspace(':memory:');
    const id = createStorefrontAccount(db, {
      platform: 'shopify',
      name: 'Store',
      lineItemRefunds: 'yes',
      directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
    });
    for (const value of ['both', 'storefront_to_netsuite,netsuite_to_storefront', 'BOTH', '']) {
      expect(() =>
        db.prepare('UPDATE refund_sync_settings SET direction = ? WHERE storefront_account_id = ?').run(value, id),
      ).toThrow(/CHECK constraint failed/);
    }
    expect(() =>
      db
        .prepare(
          "INSERT INTO refund_sync_settings (storefront_account_id, direction, updated_at) VALUES (?, 'off', 'x')",
        )
        .run(id),
    ).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(listStorefrontAccounts(db)[0]!.direction).toBe('off');
  });

  it('keeps money as integers: a float amount is refused by the STRICT table', () => {
    const db = openWorkspace(':memory:');
    db.prepare(
      "INSERT INTO snapshots (side, label, source, format, importer_version, created_at) VALUES ('storefront', 's', 'file', 'x', '1', 'now')",
    ).run();
    const insert = db.prepare(
      "INSERT INTO refunds (snapshot_id, source_id, record_type, date, currency, total, kind) VALUES (1, 'r1', 'refund', '2026-01-01', 'USD', ?, 'general')",
    );
    expect(() => insert.run(19.99)).toThrow(/cannot store REAL value in INTEGER column/);
    expect(() => insert.run(1999)).not.toThrow();
  });

  it('migrates a database holding data from every earlier version without losing rows', () => {
    for (let target = 1; target < MIGRATIONS.length + 1; target++) {
      const file = tempFile();
      const raw = new Database(file);
      raw.pragma('foreign_keys = ON');
      migrate(raw, MIGRATIONS.slice(0, target));
      const ns = createNetsuiteAccount(raw, { name: 'NS', accountId: '1234567_SB1', environment: 'sandbox' });
      createStorefrontAccount(raw, {
        platform: 'shopify',
        name: 'Shop',
        lineItemRefunds: 'yes',
        directions: ['netsuite_to_storefront'],
        netsuiteAccountId: ns,
      });
      raw.close();
      const db = openWorkspace(file);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      expect(listStorefrontAccounts(db)).toHaveLength(1);
      expect(listStorefrontAccounts(db)[0]).toMatchObject({ name: 'Shop', netsuiteAccountId: ns });
      db.close();
    }
  });

  it('refuses a workspace written by a newer app', () => {
    const file = tempFile();
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openWorkspace(file)).toThrow(/newer Refund Reconciler/);
  });

  it('rolls back a failed migration step, leaving the previous version', () => {
    const db = new Database(':memory:');
    const broken = [
      ...MIGRATIONS,
      { version: 1000, name: 'broken', up: 'CREATE TABLE ok_table (x INTEGER) STRICT; SELECT * FROM missing_table;' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'ok_table'").get()).toEqual({ n: 0 });
  });
});
