import { isCalendarDate } from '../../shared/calendar-date';
import {
  ApplicationDocType,
  type CanonicalRefund,
  type CanonicalRefundInput,
  CanonicalRefund as CanonicalRefundSchema,
  type CreditApplication,
  defaultTenders,
  LineRole,
  RecordType,
  RefundKind,
  type RefundLine,
  RefundStatus,
  Side,
  SourceRecordType,
  type Tender,
  TenderKind,
  TenderState,
  tenderProblem,
} from '../../shared/model';
import { isCurrencyCode } from '../../shared/money';

/**
 * A hand-written twin of the zod `CanonicalRefund` schema for the import hot path: it accepts
 * exactly what the schema accepts and returns the same parsed value (defaults applied), at a
 * fraction of the cost. A property test (test/unit/importers/validate.test.ts) checks that the two
 * agree. When the fast check fails, zod runs to produce its precise message.
 */

const SIDES = new Set<string>(Side.options);
const RECORD_TYPES = new Set<string>(RecordType.options);
const SOURCE_TYPES = new Set<string>(SourceRecordType.options);
const KINDS = new Set<string>(RefundKind.options);
const STATUSES = new Set<string>(RefundStatus.options);
const ROLES = new Set<string>(LineRole.options);
const TENDER_KINDS = new Set<string>(TenderKind.options);
const TENDER_STATES = new Set<string>(TenderState.options);
const DOC_TYPES = new Set<string>(ApplicationDocType.options);

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isMinor(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
function str(value: unknown, fallback: string): string | undefined {
  if (value === undefined) return fallback;
  return typeof value === 'string' ? value : undefined;
}
function minorOr(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  return isMinor(value) ? value : undefined;
}

/** Presentment parts (model.ts `PresentmentParts`), rebuilt with only the schema's keys, or undefined. */
function validParts(input: unknown): NonNullable<CanonicalRefund['presentment']>['parts'] {
  if (!isObj(input) || !Array.isArray(input.lines)) return undefined;
  const { shipping, tax, adjustment } = input;
  if (!isMinor(shipping) || !isMinor(tax) || !isMinor(adjustment)) return undefined;
  const lines: { amount: number; tax: number }[] = [];
  for (const line of input.lines) {
    if (!isObj(line) || !isMinor(line.amount) || !isMinor(line.tax)) return undefined;
    lines.push({ amount: line.amount, tax: line.tax });
  }
  return { shipping, tax, adjustment, lines };
}

function fastLine(input: unknown): RefundLine | undefined {
  if (!isObj(input)) return undefined;
  const sku = input.sku;
  if (typeof sku !== 'string') return undefined;
  const description = str(input.description, '');
  if (description === undefined) return undefined;
  const quantity = input.quantity;
  // Safe integers only, as the schema's z.number().int() (zod 4) requires: 1e20 or 2^53 + 2 is refused.
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity)) return undefined;
  const amount = input.amount;
  if (!isMinor(amount)) return undefined;
  const tax = minorOr(input.tax, 0);
  if (tax === undefined) return undefined;
  const role = input.role === undefined ? 'item' : input.role;
  if (typeof role !== 'string' || !ROLES.has(role)) return undefined;
  return { sku, description, quantity, amount, tax, role: role as RefundLine['role'] };
}

function fastTender(input: unknown): Tender | undefined {
  if (!isObj(input)) return undefined;
  const { kind, amount } = input;
  if (typeof kind !== 'string' || !TENDER_KINDS.has(kind)) return undefined;
  if (!isMinor(amount) || amount <= 0) return undefined;
  const gateway = str(input.gateway, '');
  const ref = str(input.ref, '');
  if (gateway === undefined || ref === undefined) return undefined;
  const pa = input.presentmentAmount;
  if (pa !== undefined && pa !== null && !isMinor(pa)) return undefined;
  const state = input.state === undefined ? 'settled' : input.state;
  if (typeof state !== 'string' || !TENDER_STATES.has(state)) return undefined;
  return {
    kind: kind as Tender['kind'],
    gateway,
    amount,
    presentmentAmount: (pa ?? null) as number | null,
    state: state as Tender['state'],
    ref,
  };
}

function fastApplication(input: unknown): CreditApplication | undefined {
  if (!isObj(input)) return undefined;
  const { docType, amount } = input;
  if (typeof docType !== 'string' || !DOC_TYPES.has(docType) || !isMinor(amount)) return undefined;
  const doc = str(input.doc, '');
  const tranId = str(input.tranId, '');
  if (doc === undefined || tranId === undefined) return undefined;
  const date = input.date === undefined ? null : input.date;
  if (date !== null && (typeof date !== 'string' || !isCalendarDate(date))) return undefined;
  const isCreatedFrom = input.isCreatedFrom === undefined ? false : input.isCreatedFrom;
  if (typeof isCreatedFrom !== 'boolean') return undefined;
  return { docType: docType as CreditApplication['docType'], doc, tranId, amount, date, isCreatedFrom };
}

function fastArray<T>(input: unknown, each: (v: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(input)) return undefined;
  const out: T[] = new Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const v = each(input[i]);
    if (v === undefined) return undefined;
    out[i] = v;
  }
  return out;
}

/** Returns the parsed refund, or undefined when the input does not satisfy the schema. */
export function fastParseRefund(input: unknown): CanonicalRefund | undefined {
  if (!isObj(input)) return undefined;
  const { side, id, recordType, date, currency, total, kind } = input;
  if (typeof side !== 'string' || !SIDES.has(side)) return undefined;
  if (typeof id !== 'string' || id.length === 0) return undefined;
  const documentNumber = str(input.documentNumber, '');
  if (documentNumber === undefined) return undefined;
  if (typeof recordType !== 'string' || !RECORD_TYPES.has(recordType)) return undefined;
  const orderRef = str(input.orderRef, '');
  if (orderRef === undefined) return undefined;
  let createdFrom: CanonicalRefund['createdFrom'] = null;
  if (input.createdFrom !== undefined && input.createdFrom !== null) {
    const cf = input.createdFrom;
    if (!isObj(cf) || typeof cf.type !== 'string' || !SOURCE_TYPES.has(cf.type) || typeof cf.ref !== 'string') {
      return undefined;
    }
    createdFrom = { type: cf.type as NonNullable<CanonicalRefund['createdFrom']>['type'], ref: cf.ref };
  }
  if (typeof date !== 'string' || !isCalendarDate(date)) return undefined;
  if (typeof currency !== 'string' || !isCurrencyCode(currency)) return undefined;
  if (!isMinor(total)) return undefined;
  const shipping = minorOr(input.shipping, 0);
  const tax = minorOr(input.tax, 0);
  const adjustment = minorOr(input.adjustment, 0);
  if (shipping === undefined || tax === undefined || adjustment === undefined) return undefined;
  let lines: RefundLine[] = [];
  if (input.lines !== undefined) {
    if (!Array.isArray(input.lines)) return undefined;
    lines = new Array(input.lines.length);
    for (let i = 0; i < input.lines.length; i++) {
      const line = fastLine(input.lines[i]);
      if (!line) return undefined;
      lines[i] = line;
    }
  }
  if (typeof kind !== 'string' || !KINDS.has(kind)) return undefined;
  const externalId = str(input.externalId, '');
  const memo = str(input.memo, '');
  const appliesTo = str(input.appliesTo, '');
  if (externalId === undefined || memo === undefined || appliesTo === undefined) return undefined;
  const isTest = input.isTest === undefined ? false : input.isTest;
  if (typeof isTest !== 'boolean') return undefined;
  const status = input.status === undefined ? 'ok' : input.status;
  if (typeof status !== 'string' || !STATUSES.has(status)) return undefined;
  const moneyMoved = input.moneyMoved === undefined ? true : input.moneyMoved;
  if (typeof moneyMoved !== 'boolean') return undefined;
  const linesExported = input.linesExported;
  if (linesExported !== undefined && typeof linesExported !== 'boolean') return undefined;
  let presentment: CanonicalRefund['presentment'] = null;
  if (input.presentment !== undefined && input.presentment !== null) {
    const p = input.presentment;
    if (!isObj(p) || typeof p.currency !== 'string' || !isCurrencyCode(p.currency) || !isMinor(p.total)) {
      return undefined;
    }
    presentment = { currency: p.currency, total: p.total };
    if (p.parts !== undefined) {
      const parts = validParts(p.parts);
      if (!parts) return undefined;
      presentment.parts = parts;
    }
  }
  const typedRecordType = recordType as CanonicalRefund['recordType'];
  let tenders: Tender[];
  if (input.tenders === undefined) tenders = defaultTenders({ recordType: typedRecordType, total });
  else {
    const t = fastArray(input.tenders, fastTender);
    if (!t) return undefined;
    tenders = t;
  }
  if (tenderProblem({ recordType: typedRecordType, total, tenders }) !== null) return undefined;
  const amountRemaining = input.amountRemaining === undefined ? null : input.amountRemaining;
  if (amountRemaining !== null && !isMinor(amountRemaining)) return undefined;
  let applications: CreditApplication[] = [];
  if (input.applications !== undefined) {
    const a = fastArray(input.applications, fastApplication);
    if (!a) return undefined;
    applications = a;
  }
  let recordTotal = input.recordTotal;
  if (recordTotal === undefined) recordTotal = side === 'netsuite' ? total : null;
  if (recordTotal !== null && !isMinor(recordTotal)) return undefined;
  // NetSuite body checkboxes (the sync's storeCreditMarker): strings only, else zod says why.
  const bodyFlags = input.bodyFlags;
  if (bodyFlags !== undefined && !(Array.isArray(bodyFlags) && bodyFlags.every((f) => typeof f === 'string')))
    return undefined;
  return {
    side: side as CanonicalRefund['side'],
    id,
    documentNumber,
    recordType: recordType as CanonicalRefund['recordType'],
    orderRef,
    createdFrom,
    date,
    currency,
    total,
    shipping,
    tax,
    adjustment,
    lines,
    kind: kind as CanonicalRefund['kind'],
    externalId,
    memo,
    isTest,
    status: status as CanonicalRefund['status'],
    appliesTo,
    moneyMoved,
    ...(linesExported !== undefined ? { linesExported } : {}),
    presentment,
    tenders,
    amountRemaining: amountRemaining as number | null,
    applications,
    recordTotal: recordTotal as number | null,
    ...(bodyFlags !== undefined ? { bodyFlags: bodyFlags as string[] } : {}),
  };
}

export type RefundCheck = { ok: true; refund: CanonicalRefund } | { ok: false; issues: string[] };

/**
 * The last refund an importer that validates while it reads (canonical-csv) marked as already the
 * parsed value of a check: checkRefund hands it back as it is instead of validating it twice. One
 * reference, not a set: such an importer yields each refund right after marking it, and the
 * consumer checks it at once (a WeakSet measured ~5 % of the canonical parse thread). Only mark a
 * value nobody changes afterwards.
 */
let lastChecked: object | undefined;

export function markChecked(refund: CanonicalRefund): CanonicalRefund {
  lastChecked = refund;
  return refund;
}

/** Validates one refund: the fast twin first, zod for the message when it fails. */
export function checkRefund(input: CanonicalRefundInput | unknown): RefundCheck {
  if (input === lastChecked && lastChecked !== undefined) {
    lastChecked = undefined;
    return { ok: true, refund: input as CanonicalRefund };
  }
  const fast = fastParseRefund(input);
  if (fast) return { ok: true, refund: fast };
  const parsed = CanonicalRefundSchema.safeParse(input);
  if (parsed.success) return { ok: true, refund: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(refund)'}: ${issue.message}`),
  };
}
