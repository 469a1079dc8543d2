import { z } from 'zod';
import { Platform } from '../model';
import { channel, NoInput } from './define';
import { StorefrontAccount } from './workspace';

/**
 * Refund sync (issue 6, spec §8): direction per account, capabilities, readiness checklist,
 * test-order dry runs, and the journaled push. Amounts are decimal strings with the currency's
 * decimals. A direction is one value: the schema has no way to say "both".
 */

export const SyncDirection = z.enum(['storefront_to_netsuite', 'netsuite_to_storefront']);
/** `off` or one direction. Anything else (an array, "both", a comma list) fails validation. */
export const DirectionChoice = z.enum(['off', 'storefront_to_netsuite', 'netsuite_to_storefront']);

const Actor = z.string().trim().min(1).max(120).default('local user');
const AccountId = z.number().int().positive();
const DecimalTotals = z.record(z.string(), z.string());

export const Recommendation = z.object({ direction: SyncDirection.nullable(), reason: z.string() });

export const SetDirectionOutput = z.object({
  status: z.enum(['changed', 'unchanged', 'confirmation_required']),
  account: StorefrontAccount,
  recommendation: Recommendation,
  againstRecommendation: z.boolean(),
  message: z.string().optional(),
});

/**
 * A sync settings file (account:import-sync-settings): `{"accounts": [{"accountId": 1, "direction":
 * "off"}]}`. The shape is checked before any entry is read (a `null`, a list of `null`s are refused
 * with where and what was expected); then each entry's direction (one way only, see DirectionChoice).
 */
export const SyncSettingsFileShape = z.object({
  accounts: z.array(z.record(z.string(), z.unknown())).max(10_000),
});
export const SyncSettingsEntry = z.object({ accountId: AccountId, direction: DirectionChoice });

export const CatalogueEntry = z.object({
  platform: Platform,
  label: z.string(),
  kind: z.enum(['marketplace', 'cart', 'other']),
  lineItemRefunds: z.enum(['yes', 'no', 'unknown']),
  directions: z.array(SyncDirection),
  storeCredit: z.boolean(),
  splitTender: z.boolean(),
  recommended: SyncDirection.nullable(),
  note: z.string(),
});

export const ReadinessItemId = z.enum([
  'activation_steps',
  'order_sync_tested',
  'refund_sync_validated',
  'deployment_reviewed',
  'one_direction',
]);
export const ReadinessOutput = z.object({
  accountId: z.number().int(),
  environment: z.enum(['sandbox', 'production']).nullable(),
  direction: DirectionChoice,
  allMet: z.boolean(),
  items: z.array(
    z.object({
      id: ReadinessItemId,
      label: z.string(),
      met: z.boolean(),
      detail: z.string(),
      nextStep: z.string(),
      confirmable: z.boolean(),
    }),
  ),
});

export const DryRunSelection = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('refs'), orderRefs: z.array(z.string().trim().min(1)).min(1).max(500) }),
  z.object({ mode: z.literal('test') }),
  z.object({ mode: z.literal('sample'), size: z.number().int().min(1).max(200).default(5) }),
]);

export const RefundScope = z.enum(['full', 'partial', 'shipping', 'tax', 'general']);
export const DryRunCheck = z.object({
  name: z.enum([
    'build',
    'total',
    'lines',
    'tax',
    'shipping',
    'currency',
    'record_type',
    'already_synced',
    'cutoff',
    'round_trip',
  ]),
  ok: z.boolean(),
  expected: z.string(),
  found: z.string(),
  message: z.string(),
});

export const DryRunSummary = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  direction: SyncDirection,
  selection: DryRunSelection,
  sourceSnapshotId: z.number().int().nullable(),
  status: z.enum(['pass', 'fail', 'empty']),
  passed: z.number().int(),
  failed: z.number().int(),
  coverage: z.object({
    required: z.array(RefundScope),
    available: z.array(RefundScope),
    covered: z.array(RefundScope),
    missing: z.array(RefundScope),
  }),
  roundTrip: z
    .object({
      /** The sandbox written to, in words ("NetSuite sandbox 1234567_SB1"). */
      target: z.string().optional(),
      sent: z.number().int(),
      readBack: z.number().int(),
      problems: z.array(z.string()),
      writes: z
        .array(
          z.object({
            orderRef: z.string(),
            refundId: z.string(),
            record: z.string(),
            status: z.enum(['pass', 'fail']),
            remoteId: z.string().nullable(),
            problems: z.array(z.string()),
          }),
        )
        .optional(),
    })
    .nullable(),
  actor: z.string(),
  createdAt: z.string(),
});

export const DryRunDetail = DryRunSummary.extend({
  orders: z.array(
    z.object({
      orderRef: z.string(),
      refundId: z.string(),
      scope: RefundScope,
      currency: z.string(),
      total: z.string(),
      status: z.enum(['pass', 'fail']),
      reasons: z.array(z.string()),
      checks: z.array(DryRunCheck),
      /** The full would-be payload: every write with its path and body, planned lines, notes, problems. */
      payload: z.unknown(),
    }),
  ),
});

export const PushPreviewOutput = z.object({
  accountId: z.number().int(),
  direction: SyncDirection,
  environment: z.enum(['sandbox', 'production']),
  snapshotId: z.number().int(),
  count: z.number().int(),
  totals: DecimalTotals,
  summary: z.string(),
  confirmationCode: z.string(),
  unfinished: z.number().int(),
  /** Unfinished or failed writes of another direction or NetSuite account: never sent by this push. */
  outsideScope: z.number().int(),
  alreadyJournaled: z.number().int(),
  notPushable: z.array(z.object({ refundId: z.string(), orderRef: z.string(), reasons: z.array(z.string()) })),
  beforeCutoff: z.number().int(),
  alreadyOnTarget: z.array(z.object({ refundId: z.string(), orderRef: z.string(), reasons: z.array(z.string()) })),
  readinessMet: z.boolean(),
});

export const PushOutcome = z.object({
  batchId: z.number().int().nullable(),
  journaled: z.number().int(),
  sent: z.number().int(),
  confirmedAfterCrash: z.number().int(),
  alreadySynced: z.number().int(),
  failed: z.number().int(),
  skippedDependent: z.number().int(),
  remaining: z.number().int(),
  /** Writes of another direction or NetSuite account, left as they are (never sent). */
  outsideScope: z.number().int(),
  /** Sends answered without an id and not found when read back: not confirmed (exception list). */
  unknown: z.number().int(),
  summary: z.string(),
});

export const JournalRow = z.object({
  id: z.number().int(),
  direction: SyncDirection,
  /** The account the write goes to (netsuite:<id>:<environment> or <platform>:<account id>). */
  destination: z.string(),
  batchId: z.number().int().nullable(),
  refundKey: z.string(),
  step: z.number().int(),
  idempotencyKey: z.string(),
  target: z.string(),
  state: z.enum(['pending', 'sending', 'confirmed', 'already_synced', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  remoteId: z.string().nullable(),
  orderRef: z.string(),
  currency: z.string(),
  amount: z.string(),
  updatedAt: z.string(),
});

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

/**
 * A storefront account's sync options as the app shows them (sync/types.ts SyncOptions): the
 * NetSuite internal IDs a would-be record posts against, the currency IDs, the item mapping, and
 * what a refund pushed to the storefront does to stock. No amounts.
 */
export const SyncOptionsView = z.object({
  genericItemId: z.string(),
  shippingItemId: z.string(),
  taxOnlyItemId: z.string(),
  refundAccountId: z.string(),
  currencyIds: z.record(z.string(), z.string()),
  itemMap: z.record(z.string(), z.string()),
  restockType: z.enum(['NO_RESTOCK', 'RETURN', 'CANCEL']),
  notifyCustomer: z.boolean(),
});
export type SyncOptionsView = z.infer<typeof SyncOptionsView>;

/** What the workspace holds of an account's order details (the order-context file a dry run reads). */
export const OrderContextSummary = z.object({
  /** Orders whose NetSuite side is known (billing record, customer, item IDs). */
  netsuite: z.number().int(),
  /** Orders whose storefront side is known (order, line and payment IDs). */
  storefront: z.number().int(),
  /** The orders, sorted, at most 200. */
  orders: z.array(z.string()),
  updatedAt: z.string().nullable(),
});
export type OrderContextSummary = z.infer<typeof OrderContextSummary>;

export const syncChannels = {
  'account:catalogue': channel(
    NoInput,
    z.array(CatalogueEntry),
    'Built-in platform catalogue: default capabilities and recommended direction',
  ),
  'account:set-direction': channel(
    z
      .object({
        accountId: AccountId,
        direction: DirectionChoice,
        confirmAgainstRecommendation: z.boolean().default(false),
        actor: Actor,
      })
      .strict(),
    SetDirectionOutput,
    'Set the refund sync direction (off or one direction); against the recommendation needs confirmation and is audited',
  ),
  'account:set-capabilities': channel(
    z
      .object({
        accountId: AccountId,
        lineItemRefunds: z.enum(['yes', 'no', 'unknown']).optional(),
        directions: z.array(SyncDirection).max(2).optional(),
        storeCredit: z.boolean().optional(),
        splitTender: z.boolean().optional(),
        actor: Actor,
      })
      .strict(),
    StorefrontAccount,
    'Correct a storefront account’s capabilities (line-item refunds, offered directions, store credit, split tender)',
  ),
  'account:set-sync-options': channel(
    z
      .object({
        accountId: AccountId,
        options: z.record(z.string(), z.unknown()),
        importOrdersAfter: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .nullable()
          .optional(),
        actor: Actor,
      })
      .strict(),
    z.record(z.string(), z.unknown()),
    'Generic/shipping/tax refund items, refund account, currency ids, item mapping, restock',
  ),
  'account:sync-options': channel(
    z.object({ accountId: AccountId }).strict(),
    SyncOptionsView,
    'The sync options of a storefront account (refund items, refund account, currency IDs, item mapping, restock)',
  ),
  'dry-run:order-context': channel(
    z.object({ accountId: AccountId }).strict(),
    OrderContextSummary,
    'How many orders of an account the workspace knows the NetSuite and storefront details of (for dry runs and the push)',
  ),
  'dry-run:load-order-context': channel(
    z
      .object({
        accountId: AccountId,
        /** Desktop app: a path granted by dialog:open-file or ui:upload-chunk; browser mode: as typed or uploaded. */
        path: z.string().min(1).max(4096),
        /** The name the user knows the file by (an uploaded file's own name), for messages. */
        fileName: z.string().min(1).max(260).optional(),
        actor: Actor,
      })
      .strict(),
    OrderContextSummary.extend({ loaded: z.number().int() }),
    'Load an order-context file (how NetSuite billed each order, item and line IDs) for the dry run and the push; all or nothing',
  ),
  'account:import-sync-settings': channel(
    z
      .object({
        text: z.string().max(1_000_000),
        fileName: z.string().max(260).default('settings.json'),
        /** As for account:set-direction: entries against the recommendation are applied only when confirmed. */
        confirmAgainstRecommendation: z.boolean().default(false),
        actor: Actor,
      })
      .strict(),
    z.array(SetDirectionOutput),
    'Import directions from a settings file; "both" is rejected, against the recommendation needs confirmation; all or nothing is applied',
  ),
  'readiness:get': channel(
    z.object({ accountId: AccountId }).strict(),
    ReadinessOutput,
    'Readiness checklist of one storefront account (spec §8)',
  ),
  'readiness:confirm-item': channel(
    z
      .object({
        accountId: AccountId,
        item: z.enum(['activation_steps', 'order_sync_tested', 'deployment_reviewed']),
        confirmed: z.boolean(),
        note: z.string().max(2000).default(''),
        importOrdersAfter: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        actor: Actor,
      })
      .strict(),
    ReadinessOutput,
    'Confirm (or withdraw) a hand-checked readiness item',
  ),
  'dry-run:start': channel(
    z
      .object({
        accountId: AccountId,
        direction: SyncDirection.optional(),
        selection: DryRunSelection,
        snapshotId: z.number().int().positive().optional(),
        sandboxRoundTrip: z.boolean().default(false),
        actor: Actor,
      })
      .strict(),
    DryRunDetail,
    'Build and check the would-be records for chosen orders; sends nothing that writes (with sandboxRoundTrip: the round trip, to a sandbox target only)',
  ),
  'dry-run:round-trip-target': channel(
    z.object({ accountId: AccountId, direction: SyncDirection }).strict(),
    z.object({
      sandbox: z.boolean(),
      /** The sandbox in words ("NetSuite sandbox 1234567_SB1"), or where writes would go. */
      target: z.string(),
      /** Why a round trip is refused, in words; null when it is allowed. */
      reason: z.string().nullable(),
    }),
    'Where a round trip of this direction would write and whether it is a sandbox; reads at most (the shop plan), never writes',
  ),
  'dry-run:round-trip': channel(
    z
      .object({
        accountId: AccountId,
        /** The direction tested; its receiving side is the one written to, only if it is a sandbox. */
        direction: SyncDirection,
        selection: DryRunSelection,
        snapshotId: z.number().int().positive().optional(),
        actor: Actor,
      })
      .strict(),
    DryRunDetail,
    'Dry run, then send the records to the sandbox target of the direction tested and read them back field by field; refused unless that target is a sandbox',
  ),
  'dry-run:list': channel(
    z.object({ accountId: AccountId.optional() }).strict(),
    z.array(DryRunSummary),
    'Dry runs, newest first',
  ),
  'dry-run:get': channel(
    z.object({ id: z.number().int().positive() }).strict(),
    DryRunDetail,
    'One dry run with per-order results and payloads',
  ),
  'push:preview': channel(
    z.object({ accountId: AccountId, snapshotId: z.number().int().positive().optional() }).strict(),
    PushPreviewOutput,
    'What a push would send: count and total per currency, and the confirmation code',
  ),
  'push:start': channel(
    z
      .object({
        accountId: AccountId,
        snapshotId: z.number().int().positive().optional(),
        confirmationCode: z.string().min(1),
        actor: Actor,
      })
      .strict(),
    PushOutcome,
    'Journal and send the confirmed push (enabled direction only; production needs readiness)',
  ),
  'push:resume': channel(
    z.object({ accountId: AccountId }).strict(),
    PushOutcome,
    'Finish unfinished journaled writes (after a crash or cancel)',
  ),
  'push:exceptions': channel(
    z.object({ accountId: AccountId }).strict(),
    z.object({
      failed: z.array(JournalRow),
      notPushable: z.array(z.object({ refundId: z.string(), orderRef: z.string(), reasons: z.array(z.string()) })),
    }),
    'Failed writes and refunds that cannot be built',
  ),
  'push:retry': channel(
    z
      .object({ accountId: AccountId, journalIds: z.array(z.number().int().positive()).optional(), actor: Actor })
      .strict(),
    PushOutcome,
    'Retry failed writes (all, or the given ones)',
  ),
  'push:journal': channel(
    z.object({ accountId: AccountId }).strict(),
    z.array(JournalRow),
    'Every journaled write of an account',
  ),
  'sync:will-not-sync': channel(
    z
      .object({
        runId: z.number().int().positive(),
        /** Only these results (the rows on screen); all of the run's when absent. */
        resultIds: z.array(z.number().int().positive()).max(5000).optional(),
      })
      .strict(),
    z.object({
      runId: z.number().int(),
      accountId: z.number().int().nullable(),
      direction: DirectionChoice,
      flags: z.array(
        z.object({
          resultId: z.number().int(),
          resultKey: z.string(),
          side: z.enum(['storefront', 'netsuite']),
          refundId: z.string(),
          orderRef: z.string(),
          reason: z.string(),
        }),
      ),
    }),
    'Will-not-sync flags (spec §8) of a comparison run: results whose refund was made on the side that only receives',
  ),
  'audit:list': channel(
    z.object({ entity: z.string().optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    z.array(AuditEntry),
    'Audit log, newest first',
  ),
};
