import type { CanonicalRefund, Tender } from '../../shared/model';
import { formatAmount } from '../../shared/money';
import { DictColumn, GrowableF64, GrowableU8, TextChunks } from '../store/column-collector';
import { digitKey } from './digit-key';
import type { ReconcileResult } from './engine';
import { describeNetsuite, hasItemLines, linesNotKnown, money, nsList, rollUpText, sfList } from './hints';
import { csvSafeText, tableOrderKey, tenderCells } from './output';
import { agreeingTenderNotes } from './tender-hints';
import { sideTenders } from './tender-output';

/**
 * The plain matched results of `--format csv` (one storefront refund, one NetSuite record, same
 * currency, no lines, no presentment money: 98 % of a flat export's rows), kept compactly and
 * written from a template at the end instead of as a sorted row string each. For a million results
 * the row strings were ~200 MB held in sorted runs on disk (JSON written and parsed back), plus
 * csvRow's hint building and its cleaning regexes per row: most of the CLI's output time.
 *
 * A result is taken only when every text cell is plain (printable ASCII without `",;`, no
 * leading or trailing blank, no formula trigger first): then csvSafeText leaves each cell as it
 * is and the template's row equals csvRow's byte for byte (test/unit/reconcile/matched-rows.test.ts).
 * Everything else goes to the general rows.
 */
export class MatchedRows {
  private count = 0;
  /** Sort prefix of the row (tableOrderKey without the key), as a code. */
  private readonly prefix = new DictColumn();
  private readonly sfId: string[] = [];
  private readonly nsId: string[] = [];
  private readonly orderRef = new TextChunks();
  private readonly nsDoc = new TextChunks();
  /**
   * The two tender cells (tenders.md §6). Mostly one tender a side (`other 12.34`): its kind and
   * amount, written at the end like the totals; any other mix as csvRow's two cells (`oddTenders`).
   */
  private readonly sfTenderKind = new DictColumn();
  private readonly nsTenderKind = new DictColumn();
  private readonly sfTenderAmount = new GrowableF64(new Float64Array(1024));
  private readonly nsTenderAmount = new GrowableF64(new Float64Array(1024));
  private readonly oddTenders = new Map<number, [string, string]>();
  /** Whether a tender kind is a plain cell (csvSafeText leaves `kind amount` as it is). */
  private readonly plainKinds = new Map<string, boolean>();
  /** The storefront refund's document number, where it is not its id (rare). */
  private readonly sfDoc = new Map<number, string>();
  private readonly nsLabel = new DictColumn();
  private readonly date = new DictColumn();
  private readonly matchedBy = new DictColumn();
  private readonly currency = new DictColumn();
  private readonly severity = new DictColumn();
  private readonly sfTotal = new GrowableF64(new Float64Array(1024));
  private readonly nsTotal = new GrowableF64(new Float64Array(1024));
  private readonly difference = new GrowableF64(new Float64Array(1024));
  /** tableOrderKey's prefix by severity, currency and difference (a matched result's are few). */
  private readonly prefixOf = new Map<string, Map<string, Map<number, string>>>();
  /** Dates and currencies found plain (few distinct values, checked once each). */
  private readonly plainValues = new Set<string>();
  private prefixCount = 0;
  /** describeNetsuite's label (`Cash Refund `) by record type; null when it is not plain text. */
  private readonly labels = new Map<string, string | null>();
  /**
   * The hint's tender notes (agreeingTenderNotes: `Tender unverified: …`, payout pending, kinds
   * that differ), with the storefront total's money text as NOTE_TOTAL: few distinct texts.
   */
  private readonly notes = new DictColumn();
  private readonly knownNotes = new Set<string>();
  /** A roll-up's storefront ids cell, the hint's storefront side (sfList) and its roll-up sentence, by row. */
  private readonly rolledUp = new Map<number, { ids: string; storefront: string; rollUp: string }>();
  /** The hint's NetSuite side of a Credit Memo and its Customer Refund (nsList), by row. */
  private readonly pairedNetsuite = new Map<number, string>();
  /** 1: the hint says `and on every item line`. */
  private readonly lineClause = new GrowableU8(new Uint8Array(1024));

  get length(): number {
    return this.count;
  }

  /** Takes the result when the template can write it; false: write it the general way. */
  add(r: ReconcileResult): boolean {
    if (r.code !== 'matched' || r.issues.length !== 1 || r.presentment) return false;
    if (r.storefront.length === 0 || r.units.length !== 1) return false;
    // Several storefront refunds recorded as one in NetSuite (a roll-up): the hint has its sentence.
    const rolled = r.storefront.length > 1;
    // One NetSuite record, or one Credit Memo paid out by one Customer Refund (a unit of two).
    const ns = r.netsuite;
    const paired = ns.length === 2 && r.units[0]!.members.length === 2;
    if (ns.length !== 1 && !paired) return false;
    if (r.storefrontTotal === null || r.netsuiteTotal === null) return false;
    const s = r.storefront[0]!;
    const n = ns[0]!;
    const nsDocs = paired ? `${n.documentNumber} ${ns[1]!.documentNumber}` : n.documentNumber;
    const nsIds = paired ? `${n.id} ${ns[1]!.id}` : n.id;
    // No "compared on the total only" in the hint (hints.ts, case 'matched', and hintFor).
    for (const x of r.storefront) if (x.linesExported === false || linesNotKnown(x)) return false;
    const sfIds = rolled ? r.storefront.map((x) => x.id).join(' ') : s.id;
    if (r.key.length !== s.id.length + 3 || !r.key.startsWith('sf:') || !r.key.endsWith(s.id)) return false;
    const sfDoc = s.documentNumber;
    const label = paired ? '' : this.labelOf(n.recordType);
    if (
      label === null ||
      !plainCell(s.id) ||
      (rolled && !plainCell(sfIds)) ||
      !plainCell(r.orderRef) ||
      !plainCell(nsDocs) ||
      !plainCell(nsIds) ||
      (sfDoc !== s.id && !plainText(sfDoc)) ||
      !this.plainShared(r.date) ||
      !this.plainShared(r.currency)
    ) {
      return false;
    }
    const prefix = this.prefixFor(r);
    if (prefix === null) return false;
    // A pair always asks agreeingTenderNotes (its Credit Memo may be open: a note).
    const tenders = this.tendersOf(r, s.currency, paired || rolled ? 'creditMemo' : n.recordType);
    if (tenders === false) return false;
    const note = tenders.note;
    // The hint's NetSuite side of a pair is written as it is: plain text only.
    const pairText = paired ? nsList(r) : undefined;
    if (pairText !== undefined && !plainText(pairText)) return false;
    const i = this.count++;
    this.notes.push(note);
    // hints.ts, case 'matched', for one refund a side and no presentment money.
    this.lineClause.push(ns.some((x) => x.kind === 'line_item') && r.storefront.some(hasItemLines) ? 1 : 0);
    if (rolled) this.rolledUp.set(i, { ids: sfIds, storefront: sfList(r), rollUp: rollUpText(r) });
    // `Credit Memo CM1 (paid out by Customer Refund 2)`: the hint's NetSuite side as written.
    if (pairText !== undefined) this.pairedNetsuite.set(i, pairText);
    const cells = tenders.cells;
    this.sfTenderKind.push(cells === null ? null : cells[0].kind);
    this.nsTenderKind.push(cells === null ? null : cells[1].kind);
    this.sfTenderAmount.push(cells === null ? 0 : cells[0].amount);
    this.nsTenderAmount.push(cells === null ? 0 : cells[1].amount);
    if (cells === null) this.oddTenders.set(i, tenderCells(r));
    this.prefix.push(prefix);
    this.sfId.push(s.id);
    this.nsId.push(nsIds);
    this.orderRef.push(r.orderRef);
    this.nsDoc.push(nsDocs);
    if (sfDoc && sfDoc !== s.id) this.sfDoc.set(i, sfDoc);
    this.nsLabel.push(label);
    this.date.push(r.date);
    this.matchedBy.push(r.matchedBy);
    this.currency.push(r.currency);
    this.severity.push(r.severity);
    this.sfTotal.push(r.storefrontTotal);
    this.nsTotal.push(r.netsuiteTotal);
    this.difference.push(r.difference);
    return true;
  }

  /**
   * The tender cells and the hint's tender notes. `cells`: the two sides' tenders when each side
   * has one tender in the result's currency (the template writes `kind amount`), else null (the
   * cells are csvRow's, `tenderCells`). `note`: agreeingTenderNotes as a template (NOTE_TOTAL for
   * the storefront total's money text); false when the notes are too varied to keep as a
   * dictionary: the result is then written the general way.
   */
  private tendersOf(
    r: ReconcileResult,
    sfCurrency: string,
    nsRecordType: string,
  ): { cells: [Tender, Tender] | null; note: string } | false {
    const { storefront: sf, netsuite: ns } = sideTenders(r);
    const a = sf[0];
    const b = ns[0];
    const one =
      sf.length === 1 &&
      ns.length === 1 &&
      sfCurrency === r.currency &&
      r.units[0]?.currency === r.currency &&
      Number.isSafeInteger(a!.amount) &&
      Number.isSafeInteger(b!.amount) &&
      this.plainKind(a!.kind) &&
      this.plainKind(b!.kind);
    const cells: [Tender, Tender] | null = one ? [a!, b!] : null;
    // One settled tender of one kind a side, no check and no memo: no note (tender-hints.ts).
    if (
      one &&
      r.tenderCheck === null &&
      a!.kind === b!.kind &&
      a!.state === 'settled' &&
      b!.state === 'settled' &&
      nsRecordType !== 'creditMemo'
    ) {
      return { cells, note: '' };
    }
    const text = agreeingTenderNotes(r, describeNetsuite, money);
    if (text === '') return { cells, note: '' };
    if (text.includes(NOTE_TOTAL) || !Number.isSafeInteger(r.storefrontTotal)) return false;
    const note = text.split(money(r.storefrontTotal!, r.currency)).join(NOTE_TOTAL);
    if (!this.knownNotes.has(note)) {
      // A dictionary column (at most 65,000 values): beyond that, the general rows.
      if (this.knownNotes.size >= 60_000) return false;
      this.knownNotes.add(note);
    }
    return { cells, note };
  }

  private plainKind(kind: string): boolean {
    let plain = this.plainKinds.get(kind);
    if (plain === undefined) {
      plain = plainCell(kind) && kind !== '';
      this.plainKinds.set(kind, plain);
    }
    return plain;
  }

  private labelOf(recordType: CanonicalRefund['recordType']): string | null {
    let label = this.labels.get(recordType);
    if (label === undefined) {
      const described = describeNetsuite({ recordType, documentNumber: 'D', id: '' } as CanonicalRefund);
      label = described.slice(0, -1);
      if (!plainText(label)) label = null;
      this.labels.set(recordType, label);
    }
    return label;
  }

  /** plainCell for the cells that repeat (dates, currencies): remembered when plain. */
  private plainShared(text: string): boolean {
    if (this.plainValues.has(text)) return true;
    if (!plainCell(text)) return false;
    if (this.plainValues.size < 100_000) this.plainValues.add(text);
    return true;
  }

  private prefixFor(r: ReconcileResult): string | null {
    // By severity, then currency, then difference: no key string built per result.
    let byCurrency = this.prefixOf.get(r.severity);
    if (!byCurrency) {
      byCurrency = new Map();
      this.prefixOf.set(r.severity, byCurrency);
    }
    let byDifference = byCurrency.get(r.currency);
    if (!byDifference) {
      byDifference = new Map();
      byCurrency.set(r.currency, byDifference);
    }
    let prefix = byDifference.get(r.difference);
    if (prefix === undefined) {
      // The prefixes are a dictionary column (at most 65,000): beyond that, the general rows.
      if (this.prefixCount >= 60_000) return null;
      this.prefixCount++;
      const full = tableOrderKey(r);
      prefix = full.slice(0, full.length - r.key.length);
      byDifference.set(r.difference, prefix);
    }
    return prefix;
  }

  private readonly zeros = new Map<string, string>();
  /** formatAmount(0, currency), once per currency. */
  private zeroOf(currency: string): string {
    let zero = this.zeros.get(currency);
    if (zero === undefined) {
      zero = formatAmount(0, currency);
      this.zeros.set(currency, zero);
    }
    return zero;
  }

  /** The rows' order: tableOrderKey's (prefix, then the key `sf:<id>`). */
  private sorted(): Uint32Array {
    const n = this.count;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const prefixes = this.prefix.values.slice(1) as string[];
    const rank = new Map([...prefixes].sort().map((p, k) => [p, k]));
    const rankOfCode = new Uint16Array(prefixes.length + 1);
    prefixes.forEach((p, k) => {
      rankOfCode[k + 1] = rank.get(p)!;
    });
    const codes = this.prefix.codes.data;
    const ids = this.sfId;
    const digitKeys = new Float64Array(n);
    let allDigits = true;
    for (let i = 0; i < n && allDigits; i++) {
      const k = digitKey(ids[i]!);
      if (k < 0) allDigits = false;
      else digitKeys[i] = k;
    }
    const byId = allDigits
      ? (a: number, b: number) => digitKeys[a]! - digitKeys[b]!
      : (a: number, b: number) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);
    order.sort((a, b) => rankOfCode[codes[a]!]! - rankOfCode[codes[b]!]! || byId(a, b));
    return order;
  }

  /**
   * Writes the rows merged with the general rows (`general`, sorted by tableOrderKey): a row's key
   * is built only while general rows are left to place (they are mostly warnings and errors, which
   * come before every `ok` row, so usually for none).
   */
  writeMerged(general: Iterator<[key: string, row: string]>, write: (chunk: string) => void): void {
    this.orderRef.seal();
    this.nsDoc.seal();
    let next = general.next();
    let out: string[] = [];
    const flush = () => {
      if (out.length === 0) return;
      write(out.join(''));
      out = [];
    };
    // Per note (a dictionary value): its parts around NOTE_TOTAL and how the hint cell is quoted.
    const noteParts = this.notes.values.map((v) => (v === null ? [''] : v.split(NOTE_TOTAL)));
    const noteQuoting = this.notes.values.map((v) => (v === null ? 0 : quotingOf(v)));
    const noteCodes = this.notes.codes.data;
    for (const i of this.sorted()) {
      const id = this.sfId[i]!;
      if (!next.done) {
        const key = `${this.prefix.get(i)}sf:${id}`;
        while (!next.done && next.value[0] < key) {
          out.push(next.value[1]);
          next = general.next();
        }
      }
      const currency = this.currency.get(i)!;
      const nsDoc = this.nsDoc.get(i);
      const nsId = this.nsId[i]!;
      const sfTotal = this.sfTotal.data[i]!;
      const sfDoc = this.sfDoc.get(i);
      const rolled = this.rolledUp.get(i);
      const storefront =
        rolled !== undefined
          ? rolled.storefront
          : sfDoc === undefined
            ? `storefront refund ${id}`
            : `storefront refund ${id} (${sfDoc})`;
      // The totals usually agree and the tenders are the totals: format each amount once.
      const sfText = formatAmount(sfTotal, currency);
      const nsTotal = this.nsTotal.data[i]!;
      const nsText = nsTotal === sfTotal ? sfText : formatAmount(nsTotal, currency);
      const difference = this.difference.data[i]!;
      const differenceText = difference === 0 ? this.zeroOf(currency) : formatAmount(difference, currency);
      // money(sfTotal) without its fallback: formatAmount above did not throw.
      const sfMoney = `${currency} ${sfText}`;
      const code = noteCodes[i]!;
      const parts = noteParts[code]!;
      const note =
        parts.length === 1 ? parts[0]! : parts.length === 2 ? `${parts[0]}${sfMoney}${parts[1]}` : parts.join(sfMoney);
      const paired = this.pairedNetsuite.get(i);
      const netsuite = paired ?? `${this.nsLabel.get(i)}${nsDoc || `internal id ${nsId}`}`;
      const hint = `${storefront} and ${netsuite} agree on ${sfMoney}${this.lineClause.data[i] === 1 ? ' and on every item line' : ''}.${note}${rolled === undefined ? '' : rolled.rollUp}`;
      // The rest of the hint is plain text starting with `storefront`: only the note decides.
      const quoting = noteQuoting[code]!;
      const hintCell =
        rolled !== undefined
          ? csvSafeText(hint)
          : quoting === 0
            ? hint
            : quoting === 1
              ? `"${hint}"`
              : csvSafeText(hint);
      let tenders = this.oddTenders.get(i);
      if (tenders === undefined) {
        const sfAmount = this.sfTenderAmount.data[i]!;
        const nsAmount = this.nsTenderAmount.data[i]!;
        const sfTender = sfAmount === sfTotal ? sfText : formatAmount(sfAmount, currency);
        const nsTender =
          nsAmount === nsTotal ? nsText : nsAmount === sfTotal ? sfText : formatAmount(nsAmount, currency);
        tenders = [`${this.sfTenderKind.get(i)} ${sfTender}`, `${this.nsTenderKind.get(i)} ${nsTender}`];
      }
      out.push(
        `sf:${id},matched,${this.severity.get(i)},${this.orderRef.get(i)},${currency},${this.date.get(i)},${rolled === undefined ? id : rolled.ids},${sfText},${nsDoc},${nsId},${nsText},${differenceText},${this.matchedBy.get(i)},${hintCell},,,${tenders[0]},${tenders[1]}\r\n`,
      );
      if (out.length >= 1000) flush();
    }
    for (; !next.done; next = general.next()) {
      out.push(next.value[1]);
      if (out.length >= 1000) flush();
    }
    flush();
  }
}

/** Where a tender note says the storefront total (`EUR 22.00`): a character no note has. */
const NOTE_TOTAL = '\u0001';

/** Printable ASCII without `"` `,` `;`: csvField and cleanText leave it as it is. */
function plainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x2c || c === 0x3b) return false;
  }
  return true;
}

/**
 * How csvSafeText writes a hint that is plain text starting with a letter, then `note`: 0 as it
 * is (the note is plain and does not end with a blank), 1 in double quotes (printable ASCII with a
 * `,` or `;` but no `"`, not ending with a blank), 2 anything else (csvSafeText itself).
 */
function quotingOf(note: string): 0 | 1 | 2 {
  if (note.charCodeAt(note.length - 1) === 0x20) return 2;
  let quote = false;
  for (let i = 0; i < note.length; i++) {
    const c = note.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22) return 2;
    if (c === 0x2c || c === 0x3b) quote = true;
  }
  return quote ? 1 : 0;
}

/** A cell csvSafeText leaves as it is: plain, no blank at either end, no formula trigger first. */
function plainCell(text: string): boolean {
  if (text === '') return true;
  const first = text.charCodeAt(0);
  // = + - @ and a blank first; a blank last.
  if (first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40 || first === 0x20) return false;
  if (text.charCodeAt(text.length - 1) === 0x20) return false;
  return plainText(text);
}
