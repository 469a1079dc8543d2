import { actionList } from '../reconcile/action-list';
import { periodSummary } from '../reconcile/period-summary';
import { diffRunsAddingUp, previousComparableRun } from '../reconcile/run-diff';
import { annotateMany, lastBatch, undoBatch } from '../review/annotation-batches';
import { addPerson, listPeople, removePerson } from '../review/people';
import { deleteView, listViews, saveView } from '../review/saved-views';
import { signoffState, signWithCare, withdrawSignoff } from '../review/signoff-care';
import type { HandlerMap } from './handler';

type DeskChannels =
  | 'review:actions'
  | 'review:period-summary'
  | 'review:previous-run'
  | 'review:diff'
  | 'view:list'
  | 'view:save'
  | 'view:delete'
  | 'annotation:bulk'
  | 'annotation:last'
  | 'annotation:undo'
  | 'people:list'
  | 'people:add'
  | 'people:remove'
  | 'signoff:state'
  | 'signoff:sign'
  | 'signoff:withdraw';

/** The accountant's desk (issue 16): what to do next, month-end, views, bulk steps, people, sign-off. */
export const deskHandlers: HandlerMap<DeskChannels> = {
  'review:actions': (input, ctx) => actionList(ctx.db, input.runId),
  'review:period-summary': (input, ctx) => periodSummary(ctx.db, input.runId, input.from, input.to),
  'review:previous-run': (input, ctx) => previousComparableRun(ctx.db, input.runId),
  'review:diff': (input, ctx) => diffRunsAddingUp(ctx.db, input.fromRunId, input.toRunId, input.limit),
  'view:list': (_input, ctx) => listViews(ctx.db),
  'view:save': (input, ctx) => saveView(ctx.db, input),
  'view:delete': (input, ctx) => ({ deleted: deleteView(ctx.db, input.id) }),
  'annotation:bulk': (input, ctx) => annotateMany(ctx.db, input),
  'annotation:last': (_input, ctx) => lastBatch(ctx.db),
  'annotation:undo': (input, ctx) => undoBatch(ctx.db, input.batchId, input.by),
  'people:list': (_input, ctx) => listPeople(ctx.db),
  'people:add': (input, ctx) => addPerson(ctx.db, input.name),
  'people:remove': (input, ctx) => removePerson(ctx.db, input.id),
  'signoff:state': (input, ctx) => signoffState(ctx.db, input.runId),
  'signoff:sign': (input, ctx) => signWithCare(ctx.db, input),
  'signoff:withdraw': (input, ctx) => withdrawSignoff(ctx.db, input),
};
