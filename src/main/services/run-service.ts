import { runJob } from '../jobs/run-job';
import {
  annotationHistory,
  getRun,
  listRuns,
  queryResults,
  queryTotals,
  resultDetail,
  setAnnotation,
  signOff,
} from '../reconcile/run-store';
import { workspaceTenderKinds } from '../use-cases/workspace-tender-kinds';
import type { HandlerMap } from './handler';

type RunChannels =
  | 'run:compare'
  | 'run:list'
  | 'run:get'
  | 'run:results'
  | 'run:totals'
  | 'run:result-detail'
  | 'run:sign-off'
  | 'annotation:set'
  | 'annotation:history';

export const runHandlers: HandlerMap<RunChannels> = {
  // Matching runs in a worker: the app stays responsive, progress arrives as job:progress events,
  // and the transport's abort signal cancels it.
  'run:compare': (input, ctx, signal) =>
    runJob(
      ctx,
      'reconcile',
      {
        storefrontSnapshotId: input.storefrontSnapshotId,
        netsuiteSnapshotId: input.netsuiteSnapshotId,
        // The workspace's per-currency tolerances apply; without rules, its date window and default too.
        ...(input.rules ? { rules: input.rules } : {}),
        workspaceSettings: input.rules
          ? { tolerance: true, dateWindow: true }
          : { tolerance: false, dateWindow: false },
      },
      { signal },
    ),
  'run:list': (_input, ctx) => listRuns(ctx.db),
  'run:get': (input, ctx) => getRun(ctx.db, input.runId),
  'run:results': (input, ctx) => queryResults(ctx.db, input),
  'run:totals': (input, ctx) => queryTotals(ctx.db, input),
  // A plain match's tenders are rebuilt from its records: with the workspace's tender mapping, as compared.
  'run:result-detail': (input, ctx) => resultDetail(ctx.db, input.resultId, workspaceTenderKinds(ctx.db)),
  'run:sign-off': (input, ctx) => signOff(ctx.db, input.runId, input.role, input.name),
  'annotation:set': (input, ctx) => ({ id: setAnnotation(ctx.db, input) }),
  'annotation:history': (input, ctx) => annotationHistory(ctx.db, input.resultKey),
};
