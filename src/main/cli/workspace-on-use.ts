import type { Db } from '../store/open';

/** A workspace opened the first time a use-case reads `db`, and closed by `close` only if it was. */
export interface WorkspaceOnUse {
  readonly ctx: { readonly db: Db; readonly workspacePath: string };
  /** Whether a use-case asked for the workspace (and it was opened). */
  readonly opened: boolean;
  close(): void;
}

/**
 * The one-shot reconcile's temporary workspace (issue 15): the in-memory one-shot paths (the flat
 * fast path and memory snapshots, use-cases/reconcile-files.ts) never read or write it, and
 * creating it (SQLite file, WAL, every migration) cost 50–100 ms of the main thread at start-up,
 * on the critical path. It is created on first use instead, by the same `open`, so a path that
 * does use it sees exactly the workspace it saw before.
 */
export function workspaceOnUse(workspacePath: string, open: (file: string) => Db): WorkspaceOnUse {
  let db: Db | undefined;
  const ctx = {
    workspacePath,
    get db(): Db {
      db ??= open(workspacePath);
      return db;
    },
  };
  return {
    ctx,
    get opened() {
      return db !== undefined;
    },
    close() {
      db?.close();
    },
  };
}
