import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate';

export type Db = Database.Database;

export interface OpenWorkspaceOptions {
  readonly?: boolean;
  /** Path to a better_sqlite3.node built for another ABI (Electron); see README. */
  nativeBinding?: string;
  /**
   * How long a statement waits, blocking its thread, for another connection's write lock
   * (default 5,000 ms). The app's main-thread connection uses a short wait so its event loop never
   * stalls behind a long import: a write that finds the workspace busy fails with a clear error
   * (store/busy.ts); imports wait for the lock without blocking (beginImmediateWhenFree).
   */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) a workspace file, or `:memory:`. WAL so the UI can read while a
 * worker writes; foreign keys on because SQLite leaves them off by default.
 */
export function openWorkspace(file: string, options: OpenWorkspaceOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    nativeBinding: options.nativeBinding ?? process.env.REFUND_RECON_SQLITE_BINDING,
  });
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  if (!options.readonly) {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db);
  }
  return db;
}

export function nowIso(): string {
  return new Date().toISOString();
}
