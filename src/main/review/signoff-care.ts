import type { SignoffState } from '../../shared/contract';
import { UserError } from '../../shared/errors';
import { getRun, signOff } from '../reconcile/run-store';
import { appendAudit } from '../store/audit';
import { type Db, nowIso } from '../store/open';
import { deleteSignoff, openErrorsAtSigning, recordOpenErrors } from '../store/run-signoffs';

/**
 * Sign-off with care (issue 16 item 7): signing off a run with open errors needs the number of
 * open errors confirmed (and records it); a sign-off can be withdrawn with a reason, kept in the
 * run's history and the audit log.
 */

const LATEST = `COALESCE((SELECT a.status FROM annotations a WHERE a.result_key = r.result_key ORDER BY a.id DESC LIMIT 1), 'open')`;

export function openErrors(db: Db, runId: number): number {
  return (
    db
      .prepare(`SELECT count(*) AS n FROM results r WHERE r.run_id = ? AND r.severity = 'error' AND ${LATEST} = 'open'`)
      .get(runId) as { n: number }
  ).n;
}

export function signoffState(db: Db, runId: number): SignoffState {
  const run = getRun(db, runId);
  const open = openErrorsAtSigning(db, runId);
  const withdrawals = db
    .prepare(
      'SELECT role, name, signed_at, withdrawn_by, reason, withdrawn_at FROM signoff_withdrawals WHERE run_id = ? ORDER BY id',
    )
    .all(runId) as Array<{
    role: 'preparer' | 'reviewer';
    name: string;
    signed_at: string;
    withdrawn_by: string;
    reason: string;
    withdrawn_at: string;
  }>;
  return {
    run,
    openErrors: openErrors(db, runId),
    openAtSigning: Object.fromEntries(open.map((o) => [o.role, o.open_errors])),
    withdrawals: withdrawals.map((w) => ({
      role: w.role,
      name: w.name,
      signedAt: w.signed_at,
      withdrawnBy: w.withdrawn_by,
      reason: w.reason,
      withdrawnAt: w.withdrawn_at,
    })),
  };
}

export function signWithCare(
  db: Db,
  input: { runId: number; role: 'preparer' | 'reviewer'; name: string; confirmOpenErrors: number },
): SignoffState {
  const open = openErrors(db, input.runId);
  if (open !== input.confirmOpenErrors) {
    throw new UserError(
      'open_errors_unconfirmed',
      open === 0
        ? `Run ${input.runId} has no open errors any more; review the sign-off again and confirm.`
        : `Run ${input.runId} has ${open} open error${open === 1 ? '' : 's'} (not explained, ignored or fixed). Confirm that you sign off with ${open === 1 ? 'it' : 'them'} open; the number is recorded with the sign-off.`,
      { field: 'confirmOpenErrors' },
      { openErrors: open },
    );
  }
  db.transaction(() => {
    signOff(db, input.runId, input.role, input.name);
    recordOpenErrors(db, input.runId, input.role, open);
  })();
  return signoffState(db, input.runId);
}

export function withdrawSignoff(
  db: Db,
  input: { runId: number; role: 'preparer' | 'reviewer'; by: string; reason: string },
): SignoffState {
  const run = getRun(db, input.runId);
  const signed = run.signoffs.find((s) => s.role === input.role);
  if (!signed) {
    throw new UserError('not_signed', `Run ${input.runId} has no ${input.role} sign-off to withdraw.`);
  }
  if (input.role === 'preparer' && run.signoffs.some((s) => s.role === 'reviewer')) {
    throw new UserError(
      'reviewer_signed',
      `Run ${input.runId} is also signed by its reviewer: withdraw the reviewer’s sign-off first, then the preparer’s.`,
    );
  }
  db.transaction(() => {
    deleteSignoff(db, input.runId, input.role);
    db.prepare(
      `INSERT INTO signoff_withdrawals (run_id, role, name, signed_at, withdrawn_by, reason, withdrawn_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(input.runId, input.role, signed.name, signed.signedAt, input.by.trim(), input.reason.trim(), nowIso());
    appendAudit(db, {
      actor: input.by.trim(),
      action: `run.signoff.${input.role}.withdrawn`,
      entity: `run:${input.runId}`,
      before: { role: input.role, name: signed.name, signedAt: signed.signedAt },
      after: { reason: input.reason.trim() },
    });
  })();
  return signoffState(db, input.runId);
}
