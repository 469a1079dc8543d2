import { ReconcileRules, type RunInfo, RunSummary } from '../../../shared/contract/run';
import { UserError } from '../../../shared/errors';
import type { Db } from '../../store/open';
import { signoffsOfRun } from '../../store/run-signoffs';

/** Reading runs: the run list and one run with its rules, summary and sign-off. */

interface RunRow {
  id: number;
  storefront_snapshot_id: number;
  netsuite_snapshot_id: number;
  storefront_account_id: number | null;
  rules: string;
  status: RunInfo['status'];
  summary: string;
  started_at: string;
  finished_at: string | null;
}

function toRunInfo(db: Db, row: RunRow): RunInfo {
  const summary = RunSummary.safeParse(JSON.parse(row.summary));
  const signoffs = signoffsOfRun(db, row.id);
  return {
    id: row.id,
    storefrontSnapshotId: row.storefront_snapshot_id,
    netsuiteSnapshotId: row.netsuite_snapshot_id,
    storefrontAccountId: row.storefront_account_id,
    rules: ReconcileRules.parse(JSON.parse(row.rules)),
    status: row.status,
    summary: summary.success ? summary.data : null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    signoffs: signoffs.map((s) => ({ role: s.role, name: s.name, signedAt: s.signed_at })),
  };
}

export function listRuns(db: Db): RunInfo[] {
  return (db.prepare('SELECT * FROM comparison_runs ORDER BY id DESC').all() as RunRow[]).map((r) => toRunInfo(db, r));
}

export function getRun(db: Db, runId: number): RunInfo {
  const row = db.prepare('SELECT * FROM comparison_runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!row) throw new UserError('run_not_found', `There is no comparison run ${runId} in this workspace.`);
  return toRunInfo(db, row);
}
