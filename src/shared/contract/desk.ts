import { z } from 'zod';
import { ActionGroupId } from './action-group-id';
import { channel, NoInput } from './define';
import { AnnotationStatus, RunInfo } from './run';

export { ACTION_GROUP_IDS, ActionGroupId } from './action-group-id';

/**
 * The accountant's desk (issue 16): what to do next (action list), the month-end period summary,
 * a run-to-run diff that adds up, saved views, bulk annotation and its undo, the workspace's
 * people, and sign-off with care. Amounts are decimal strings in their currency (spec §7).
 */

/** Per currency: a decimal string in that currency (signed where it is a difference). */
export const AmountsByCurrency = z.record(z.string(), z.string());

export const ActionGroup = z.object({
  id: ActionGroupId,
  /** What the results have in common, in accountants' words. */
  title: z.string(),
  /** What fixes them, and where. */
  fix: z.string(),
  /** Results of this cause still open (not explained, ignored or fixed). */
  open: z.number().int(),
  /** Results of this cause already annotated. */
  annotated: z.number().int(),
  /** Money at stake in the open ones, per currency (|difference|, or the refund when only lines differ). */
  atStake: AmountsByCurrency,
});
export type ActionGroup = z.infer<typeof ActionGroup>;

export const ActionList = z.object({
  runId: z.number().int(),
  /** Open results that need someone to act (every group's `open`). */
  needAction: z.number().int(),
  /** Sum of the open results' differences, per currency (each side of a currency mismatch in its own). */
  unexplained: AmountsByCurrency,
  groups: z.array(ActionGroup),
});
export type ActionList = z.infer<typeof ActionList>;

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month such as 2026-01');

export const PeriodRow = z.object({
  month: z.string(),
  currency: z.string(),
  /** Storefront refunds (results with a storefront side). */
  refunds: z.number().int(),
  storefront: z.string(),
  netsuite: z.string(),
  difference: z.string(),
  /** Results that agree (matched, rounding, no money moved). */
  agreed: z.number().int(),
  open: z.number().int(),
  /** Explained or ignored, with a reason. */
  annotated: z.number().int(),
  /** Marked fixed. */
  resolved: z.number().int(),
});
export type PeriodRow = z.infer<typeof PeriodRow>;

export const PeriodSummary = z.object({
  runId: z.number().int(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** Months present in the run (for the period pickers). */
  months: z.array(z.string()),
  rows: z.array(PeriodRow),
  /** Results without a date (a NetSuite record without one is rare but possible). */
  undated: z.number().int(),
});
export type PeriodSummary = z.infer<typeof PeriodSummary>;

export const PreviousRun = z.object({
  runId: z.number().int().nullable(),
  /** Why this run (or why none) is the one to compare with, in a sentence. */
  reason: z.string(),
});

export const DiffEntry = z.object({
  key: z.string(),
  orderRef: z.string(),
  before: z.object({ code: z.string(), difference: z.string(), currency: z.string() }).nullable(),
  after: z.object({ code: z.string(), difference: z.string(), currency: z.string() }).nullable(),
});

export const RunDiffSum = z.object({
  fromRunId: z.number().int(),
  toRunId: z.number().int(),
  /** The results of the later run: new + resolved + changed + unchanged + newAgreeing, always. */
  results: z.number().int(),
  counts: z.object({
    /** A problem now that was not one (or was not there) before. */
    new: z.number().int(),
    /** A problem before, agreeing now. */
    resolved: z.number().int(),
    /** A problem in both runs, with another result or difference. */
    changed: z.number().int(),
    /** The same in both runs (the same problem, or agreeing in both). */
    unchanged: z.number().int(),
    /** Not in the earlier run, and agreeing now. */
    newAgreeing: z.number().int(),
  }),
  /** Results of the earlier run that this run no longer has (outside its data): not in the sum. */
  gone: z.number().int(),
  new: z.array(DiffEntry),
  resolved: z.array(DiffEntry),
  changed: z.array(DiffEntry),
  goneEntries: z.array(DiffEntry),
  truncated: z.boolean(),
});
export type RunDiffSum = z.infer<typeof RunDiffSum>;

export const SavedView = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The review's filters and sort, as the review screen keeps them. */
  filters: z.record(z.string(), z.unknown()),
  /** Column ids hidden in this view. */
  hiddenColumns: z.array(z.string()),
  updatedAt: z.string(),
});
export type SavedView = z.infer<typeof SavedView>;

export const Person = z.object({ id: z.number().int(), name: z.string() });

export const Withdrawal = z.object({
  role: z.enum(['preparer', 'reviewer']),
  name: z.string(),
  signedAt: z.string(),
  withdrawnBy: z.string(),
  reason: z.string(),
  withdrawnAt: z.string(),
});

export const SignoffState = z.object({
  run: RunInfo,
  /** Open errors now (results of error severity not explained, ignored or fixed). */
  openErrors: z.number().int(),
  /** Per role signed: how many were open when it was signed (null: before this was recorded). */
  openAtSigning: z.record(z.string(), z.number().int().nullable()),
  withdrawals: z.array(Withdrawal),
});
export type SignoffState = z.infer<typeof SignoffState>;

const Name = z.string().trim().min(1).max(200);

export const deskChannels = {
  'review:actions': channel(
    z.object({ runId: z.number().int() }).strict(),
    ActionList,
    'The open differences of a run grouped by cause and by what fixes them, with what is at stake',
  ),
  'review:period-summary': channel(
    z.object({ runId: z.number().int(), from: Month.optional(), to: Month.optional() }).strict(),
    PeriodSummary,
    'Refunds, amounts and differences per currency per month, open vs annotated vs resolved',
  ),
  'review:previous-run': channel(
    z.object({ runId: z.number().int() }).strict(),
    PreviousRun,
    'The earlier run of the same accounts or files, to compare with',
  ),
  'review:diff': channel(
    z
      .object({
        fromRunId: z.number().int(),
        toRunId: z.number().int(),
        limit: z.number().int().min(1).max(10000).default(500),
      })
      .strict(),
    RunDiffSum,
    'What is new, resolved, changed or unchanged since an earlier run; the counts add up to the run’s results',
  ),
  'view:list': channel(NoInput, z.array(SavedView), 'Saved review views, by name'),
  'view:save': channel(
    z
      .object({
        name: Name,
        filters: z.record(z.string(), z.unknown()),
        hiddenColumns: z.array(z.string().max(40)).max(40).default([]),
      })
      .strict(),
    SavedView,
    'Save the review’s filters, sort and columns under a name (replaces a view of that name)',
  ),
  'view:delete': channel(
    z.object({ id: z.number().int() }).strict(),
    z.object({ deleted: z.boolean() }),
    'Delete a view',
  ),
  'annotation:bulk': channel(
    z
      .object({
        resultKeys: z.array(z.string().min(1)).min(1).max(5000),
        status: AnnotationStatus,
        reason: z.string().max(2000).default(''),
        note: z.string().max(4000).default(''),
        author: Name,
      })
      .strict(),
    z.object({ batchId: z.number().int(), results: z.number().int() }),
    'Annotate or resolve several results with one reason (one undoable step)',
  ),
  'annotation:last': channel(
    NoInput,
    z
      .object({
        batchId: z.number().int(),
        author: z.string(),
        status: AnnotationStatus,
        reason: z.string(),
        results: z.number().int(),
        createdAt: z.string(),
      })
      .nullable(),
    'The last annotation step that can be undone',
  ),
  'annotation:undo': channel(
    z.object({ batchId: z.number().int(), by: Name }).strict(),
    z.object({ batchId: z.number().int(), results: z.number().int() }),
    'Undo an annotation step: its results return to their previous status (the audit log keeps both)',
  ),
  'people:list': channel(NoInput, z.array(Person), 'The workspace’s people (names for annotations and sign-off)'),
  'people:add': channel(z.object({ name: Name }).strict(), z.array(Person), 'Add a person to the workspace'),
  'people:remove': channel(z.object({ id: z.number().int() }).strict(), z.array(Person), 'Remove a person'),
  'signoff:state': channel(
    z.object({ runId: z.number().int() }).strict(),
    SignoffState,
    'A run’s sign-offs, its open errors now and at signing, and withdrawals',
  ),
  'signoff:sign': channel(
    z
      .object({
        runId: z.number().int(),
        role: z.enum(['preparer', 'reviewer']),
        name: Name,
        /** Must be the number of open errors the person saw and confirmed (0 when none). */
        confirmOpenErrors: z.number().int().min(0),
      })
      .strict(),
    SignoffState,
    'Sign a run off; with open errors only when they were confirmed (their number is recorded)',
  ),
  'signoff:withdraw': channel(
    z
      .object({
        runId: z.number().int(),
        role: z.enum(['preparer', 'reviewer']),
        by: Name,
        reason: z.string().trim().min(1).max(2000),
      })
      .strict(),
    SignoffState,
    'Withdraw a sign-off with a reason (kept in the run’s history and the audit log)',
  ),
};
