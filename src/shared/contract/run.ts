import { z } from 'zod';
import { ResultCode, Severity } from '../codes';
import { CurrencyCode, IsoDate, RecordType } from '../model';
import { ActionGroupId } from './action-group-id';
import { channel, NoInput } from './define';

/**
 * Comparison runs (issue 4): rules, results, annotations, sign-off and run-to-run diff.
 * Amounts crossing the contract are decimal strings with the currency's decimals (spec §7).
 */

const DecimalText = z.string().regex(/^\d+(\.\d+)?$/, 'expected a non-negative decimal such as 0.01');

/** Matching rules of spec §4, stored with every run so it can be reopened and repeated. */
export const ReconcileRules = z.object({
  tolerance: z
    .object({
      /** Applied to every currency not listed below; null = one minor unit of the currency. */
      default: DecimalText.nullable().default(null),
      /** Per currency, in currency units: `{ "USD": "0.05", "JPY": "1" }`. */
      byCurrency: z.record(z.string(), DecimalText).default({}),
    })
    .default({ default: null, byCurrency: {} }),
  /** Equal-total refunds of one order pair by nearest date within this many days. */
  dateWindowDays: z.number().int().min(0).max(3660).default(7),
  /** Storefront SKU → NetSuite item name. Default identity (FarApp requires identical SKUs). */
  itemMapping: z.record(z.string(), z.string()).default({}),
  /** The storefront account's `lineItemRefunds` capability; `auto` infers it from the data. */
  storefrontLineItems: z.enum(['auto', 'yes', 'no']).default('auto'),
  /** Where a NetSuite record carries the storefront refund id (spec §4 rule 1). */
  refundKeyField: z.enum(['externalId', 'memo', 'documentNumber']).default('externalId'),
  /** tenders.md §2 rule 3: an open Credit Memo counts as money pending payout for this many days. */
  creditPayoutDays: z.number().int().min(0).max(3660).default(7),
  /**
   * The day open credit is aged against (§2 rule 3): `--as-of`, else the capture date of the
   * NetSuite snapshot (filled in by the compare), never the wall clock, so a stored run repeats.
   */
  asOf: IsoDate.nullable().default(null),
});
export type ReconcileRules = z.output<typeof ReconcileRules>;
export type ReconcileRulesInput = z.input<typeof ReconcileRules>;

export const RunStatus = z.enum(['running', 'complete', 'failed', 'cancelled']);

export const CurrencyTotals = z.record(
  z.string(),
  z.object({
    storefront: z.string(),
    netsuite: z.string(),
    difference: z.string(),
    /** A run's summary: the same money per tender class (tenders.md §6); absent on filtered totals. */
    byClass: z.record(z.string(), z.object({ storefront: z.string(), netsuite: z.string() })).optional(),
  }),
);

export const RunSummary = z.object({
  storefrontRefunds: z.number().int(),
  netsuiteRecords: z.number().int(),
  results: z.number().int(),
  byCode: z.record(z.string(), z.number().int()),
  bySeverity: z.record(z.string(), z.number().int()),
  totals: CurrencyTotals,
  /** Failed or voided NetSuite records: kept, listed, not compared (spec §3). */
  notCompared: z.number().int(),
  lineItemRefunds: z.enum(['yes', 'no']),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunInfo = z.object({
  id: z.number().int(),
  storefrontSnapshotId: z.number().int(),
  netsuiteSnapshotId: z.number().int(),
  storefrontAccountId: z.number().int().nullable(),
  rules: ReconcileRules,
  status: RunStatus,
  summary: RunSummary.nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  signoffs: z.array(z.object({ role: z.enum(['preparer', 'reviewer']), name: z.string(), signedAt: z.string() })),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const AnnotationStatus = z.enum(['open', 'explained', 'ignored', 'fixed']);
export type AnnotationStatus = z.infer<typeof AnnotationStatus>;

export const NetsuiteRecordRef = z.object({
  id: z.string(),
  documentNumber: z.string(),
  recordType: RecordType,
  total: z.string(),
  date: z.string(),
  createdFrom: z.string().nullable(),
});

export const ResultRow = z.object({
  id: z.number().int(),
  key: z.string(),
  code: ResultCode,
  severity: Severity,
  orderRef: z.string(),
  currency: z.string(),
  date: z.string().nullable(),
  storefrontRefundId: z.string().nullable(),
  netsuiteDocuments: z.array(z.string()),
  storefrontTotal: z.string().nullable(),
  netsuiteTotal: z.string().nullable(),
  difference: z.string(),
  hint: z.string(),
  annotation: AnnotationStatus,
  /**
   * Two currencies (a currency mismatch): each side's total in its own currency, where the row's
   * totals and difference cannot be stated in one (issue 16).
   */
  sides: z
    .object({
      storefront: z.object({ currency: z.string(), amount: z.string() }).nullable(),
      netsuite: z.object({ currency: z.string(), amount: z.string() }).nullable(),
    })
    .optional(),
});
export type ResultRow = z.infer<typeof ResultRow>;

export const SORTABLE_COLUMNS = [
  'date',
  'orderRef',
  'code',
  'severity',
  'currency',
  'difference',
  'absDifference',
  'storefrontTotal',
  'netsuiteTotal',
] as const;

/**
 * A position in a sorted result list: the sort value of a row (as the page returned it in
 * `first`/`last`) and its result id, the tie-breaker. `after`/`before` a cursor is an index seek,
 * so a page deep in a million results costs what the first one does.
 */
export const ResultsCursor = z
  .object({ value: z.union([z.string().max(400), z.number(), z.null()]), id: z.number().int() })
  .strict();
export type ResultsCursor = z.infer<typeof ResultsCursor>;

/** Tender classes compared by tenders.md §2 (`other` fills any class). */
export const TenderClass = z.enum(['money', 'stored_value', 'exchange', 'other']);
export type TenderClass = z.infer<typeof TenderClass>;

/**
 * The review's tender filter (tenders.md §6): one of the four tender codes, as the result's code or
 * one of its issues (a chargeback can sit under an amount mismatch), or `any` of them, or an amount
 * difference the tender split explains (§2 rule 6).
 */
export const TenderProblem = z.enum(['any', 'tender_mismatch', 'credit_not_paid_out', 'exchange', 'chargeback']);
export type TenderProblem = z.infer<typeof TenderProblem>;

export const ResultsQuery = z
  .object({
    runId: z.number().int(),
    /** Rows to skip; when no cursor is given. The position is found on the sort's index, then sought. */
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    codes: z.array(ResultCode).optional(),
    severities: z.array(Severity).optional(),
    currencies: z.array(CurrencyCode).optional(),
    dateFrom: IsoDate.optional(),
    dateTo: IsoDate.optional(),
    /** Absolute difference band, decimal strings in the result's currency. */
    minDifference: DecimalText.optional(),
    maxDifference: DecimalText.optional(),
    annotation: z.array(AnnotationStatus).optional(),
    /** Order reference, storefront refund id, NetSuite document number or internal id (substring). */
    search: z.string().max(200).optional(),
    /** One cause of the action list (issue 16): the results that group holds. */
    action: ActionGroupId.optional(),
    /** Results with a tender problem (see TenderProblem). */
    tenderProblem: TenderProblem.optional(),
    /** Results where either side paid back some of its total in one of these tender classes. */
    tenderClasses: z.array(TenderClass).optional(),
    sort: z.enum(SORTABLE_COLUMNS).default('severity'),
    direction: z.enum(['asc', 'desc']).default('desc'),
  })
  .strict();
export type ResultsQuery = z.output<typeof ResultsQuery>;

/**
 * `run:results`: the query plus how to page it. Kept apart from ResultsQuery, which is also the
 * report's filter set (report.ts), where cursors and skipped totals have no meaning.
 */
export const ResultsPageQuery = ResultsQuery.extend({
  /** The page that follows this cursor (in the query's sort); overrides offset. */
  after: ResultsCursor.optional(),
  /** The page that ends just before this cursor (in the query's sort); overrides offset. */
  before: ResultsCursor.optional(),
  /** false: skip the per-currency totals (the page's `totals` is `{}`); ask `run:totals` once per filter. */
  totals: z.boolean().default(true),
  /** false: skip the count (the page's `total` is -1); `run:totals` answers it. */
  count: z.boolean().default(true),
}).strict();
export type ResultsPageQuery = z.input<typeof ResultsPageQuery>;

export const ResultsPage = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  rows: z.array(ResultRow),
  /** Per currency, over every row that passes the filters (not only this page); `{}` with `totals: false`. */
  totals: CurrencyTotals,
  /** Cursors of the page's first and last rows (for `before` / `after`); null on an empty page. */
  first: ResultsCursor.nullable().optional(),
  last: ResultsCursor.nullable().optional(),
});
export type ResultsPage = z.infer<typeof ResultsPage>;

export const ResultsTotals = z.object({
  /** Rows that pass the filters. */
  total: z.number().int(),
  /** Per currency, over every row that passes the filters. */
  totals: CurrencyTotals,
  /** true: unfiltered, read from the totals stored with the run (no scan). */
  stored: z.boolean(),
});
export type ResultsTotals = z.infer<typeof ResultsTotals>;

export const LineComparisonOut = z.object({
  sku: z.string(),
  role: z.enum(['item', 'shipping']),
  status: z.enum(['same', 'missing_in_netsuite', 'missing_in_storefront', 'quantity_differs', 'amount_differs']),
  storefront: z.object({ quantity: z.number().int(), amount: z.string() }).nullable(),
  netsuite: z.object({ quantity: z.number().int(), amount: z.string() }).nullable(),
});

export const RefundParts = z.object({
  currency: z.string(),
  shipping: z.string(),
  tax: z.string(),
  adjustment: z.string(),
});

/** One class of a result's tender split: each side's amount (decimal string), null when that side has none. */
export const TenderClassAmounts = z.object({
  class: TenderClass,
  storefront: z.string().nullable(),
  netsuite: z.string().nullable(),
});

/** One tender of one record, as shown beside the other side's (tenders.md §6 `tenderDetail`). */
export const TenderOut = z.object({
  kind: z.string(),
  gateway: z.string(),
  /** Decimal string in the record's currency. */
  amount: z.string(),
  ref: z.string(),
  /** NetSuite Credit Memo parts: paid_out, applied or open; settled otherwise. */
  state: z.string().optional(),
});

/** An exchange (tenders.md §4.1): decimal strings; exchanged is null when the export does not say. */
export const ExchangeOut = z.object({
  returnId: z.string(),
  returned: z.string(),
  exchanged: z.string().nullable(),
  balanceDue: z.string().nullable(),
});

/** The chargeback on the result's order (tenders.md §3.1). */
export const DisputeOut = z.object({
  id: z.string(),
  type: z.string(),
  status: z.string(),
  amount: z.string().nullable(),
});

/**
 * How the money went back on each side of a result (tenders.md §6): per class, per tender, and the
 * exchange and dispute when there is one. Absent on runs stored before tenders were compared.
 */
export const ResultTenders = z.object({
  byClass: z.array(TenderClassAmounts),
  detail: z.object({ storefront: z.array(TenderOut), netsuite: z.array(TenderOut) }),
  exchange: ExchangeOut.nullable(),
  dispute: DisputeOut.nullable(),
});
export type ResultTenders = z.infer<typeof ResultTenders>;

export const ResultDetail = z.object({
  row: ResultRow,
  issues: z.array(ResultCode),
  matchedBy: z.string(),
  storefront: z.array(
    z.object({ id: z.string(), documentNumber: z.string(), total: z.string(), date: z.string(), kind: z.string() }),
  ),
  netsuite: z.array(NetsuiteRecordRef),
  /** Shipping, tax and adjustment parts of each side's total (decimal strings in that side's currency). */
  parts: z.object({ storefront: RefundParts.nullable(), netsuite: RefundParts.nullable() }),
  lines: z.array(LineComparisonOut),
  /** Tender split of both sides (tenders.md §6); absent on runs stored before tenders were compared. */
  tenders: ResultTenders.optional(),
  annotations: z.array(
    z.object({
      status: AnnotationStatus,
      reason: z.string(),
      note: z.string(),
      author: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export type ResultDetail = z.infer<typeof ResultDetail>;

export const runChannels = {
  'run:compare': channel(
    z
      .object({
        storefrontSnapshotId: z.number().int(),
        netsuiteSnapshotId: z.number().int(),
        rules: ReconcileRules.optional(),
      })
      .strict(),
    z.object({ runId: z.number().int(), summary: RunSummary }),
    'Compare two snapshots in a worker (progress as job:progress events) and store the run',
  ),
  'run:list': channel(NoInput, z.array(RunInfo), 'Comparison runs, newest first'),
  'run:get': channel(z.object({ runId: z.number().int() }).strict(), RunInfo, 'One run with its rules and summary'),
  'run:results': channel(ResultsPageQuery, ResultsPage, 'A filtered, sorted page of a run’s results'),
  'run:totals': channel(
    ResultsQuery,
    ResultsTotals,
    'The count and per-currency totals of a run’s results under the same filters (paging and sort ignored)',
  ),
  'run:result-detail': channel(
    z.object({ resultId: z.number().int() }).strict(),
    ResultDetail,
    'One result with its records, line comparison and annotation history',
  ),
  'run:sign-off': channel(
    z.object({ runId: z.number().int(), role: z.enum(['preparer', 'reviewer']), name: z.string().min(1) }).strict(),
    RunInfo,
    'Sign a run off as preparer or reviewer',
  ),
  'annotation:set': channel(
    z
      .object({
        resultKey: z.string().min(1),
        status: AnnotationStatus,
        reason: z.string().default(''),
        note: z.string().default(''),
        author: z.string().min(1),
      })
      .strict(),
    z.object({ id: z.number().int() }),
    'Set the status of a result (follows the same refund into later runs)',
  ),
  'annotation:history': channel(
    z.object({ resultKey: z.string().min(1) }).strict(),
    z.array(
      z.object({
        id: z.number().int(),
        status: AnnotationStatus,
        reason: z.string(),
        note: z.string(),
        author: z.string(),
        createdAt: z.string(),
      }),
    ),
    'Every status a result has had, oldest first',
  ),
};
