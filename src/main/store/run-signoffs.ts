import type { Db } from './open';

/**
 * The SQL of `run_signoffs`: a run's preparer and reviewer sign-offs (one row per role), with the
 * number of open errors the signer confirmed. A withdrawn sign-off is deleted here and kept in
 * `signoff_withdrawals` (review/signoff-care.ts).
 */

export type SignoffRole = 'preparer' | 'reviewer';

/** Signs (or signs again) a run in a role. */
export function writeSignoff(db: Db, runId: number, role: SignoffRole, name: string, signedAt: string): void {
  db.prepare('INSERT OR REPLACE INTO run_signoffs (run_id, role, name, signed_at) VALUES (?, ?, ?, ?)').run(
    runId,
    role,
    name,
    signedAt,
  );
}

/** A run's sign-offs, by role. */
export function signoffsOfRun(db: Db, runId: number) {
  return db
    .prepare('SELECT role, name, signed_at FROM run_signoffs WHERE run_id = ? ORDER BY role')
    .all(runId) as Array<{ role: SignoffRole; name: string; signed_at: string }>;
}

/** The open errors each signer confirmed (null for a sign-off made without the count). */
export function openErrorsAtSigning(db: Db, runId: number) {
  return db.prepare('SELECT role, open_errors FROM run_signoffs WHERE run_id = ?').all(runId) as Array<{
    role: string;
    open_errors: number | null;
  }>;
}

export function recordOpenErrors(db: Db, runId: number, role: SignoffRole, openErrors: number): void {
  db.prepare('UPDATE run_signoffs SET open_errors = ? WHERE run_id = ? AND role = ?').run(openErrors, runId, role);
}

export function deleteSignoff(db: Db, runId: number, role: SignoffRole): void {
  db.prepare('DELETE FROM run_signoffs WHERE run_id = ? AND role = ?').run(runId, role);
}
