import type { ResultDetail } from '../../shared/contract';
import { formatDecimal } from '../lib/format';
import { TENDER_CLASS_LABELS } from '../lib/tender-words';

type Tenders = NonNullable<ResultDetail['tenders']>;
type TenderLine = Tenders['detail']['storefront'][number];

/** Accountants' words for tender classes (lib/tender-words.ts) and kinds (tenders.md §1.1): never the identifiers. */
const CLASS_LABELS = TENDER_CLASS_LABELS;

const KIND_LABELS: Record<string, string> = {
  card: 'Card or payment gateway',
  cash: 'Cash or cheque',
  store_credit: 'Store credit',
  gift_card: 'Gift card',
  exchange: 'Exchange credit',
  other: 'Not stated',
};

const STATE_LABELS: Record<string, string> = {
  paid_out: 'paid out',
  applied: 'applied to an invoice',
  open: 'still open',
};

/** Gateways the importers make up (tenders.md §1.4) are explained, not shown as names. */
const MADE_UP_GATEWAYS: Record<string, string> = {
  'open-credit': '',
  receivable: ' against the invoice it was created from (nothing went back)',
  applied: ' (applied; the export does not say where)',
  manual: ' recorded by hand',
};

function gatewayText(gateway: string): string {
  if (!gateway) return '';
  return MADE_UP_GATEWAYS[gateway] ?? ` via ${gateway}`;
}

const DISPUTE_STATUS: Record<string, string> = {
  needs_response: 'needs a response',
  under_review: 'under review',
  accepted: 'accepted',
  won: 'won',
  lost: 'lost',
  prevented: 'prevented',
};

/** How the money went back on each side of a result: per class, then each tender. */
export function TenderDetail({ tenders }: { tenders: Tenders }) {
  return (
    <section aria-label="How the money went back">
      <h3>How the money went back</h3>
      <table className="data compact" aria-label="Tender split by class">
        <thead>
          <tr>
            <th>Paid back as</th>
            <th className="num">Storefront</th>
            <th className="num">NetSuite</th>
          </tr>
        </thead>
        <tbody>
          {tenders.byClass.map((c) => (
            <tr key={c.class} className={c.storefront === c.netsuite ? '' : 'differs'}>
              <td>{CLASS_LABELS[c.class]}</td>
              <td className="num">{formatDecimal(c.storefront)}</td>
              <td className="num">{formatDecimal(c.netsuite)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="sides">
        <TenderList title="Storefront tenders" lines={tenders.detail.storefront} />
        <TenderList title="NetSuite tenders" lines={tenders.detail.netsuite} />
      </div>
      {tenders.exchange && (
        <p>
          Exchange (return {tenders.exchange.returnId}): items returned {formatDecimal(tenders.exchange.returned)},
          exchange items{' '}
          {tenders.exchange.exchanged === null
            ? 'not stated in this export'
            : formatDecimal(tenders.exchange.exchanged)}
          {tenders.exchange.balanceDue !== null && tenders.exchange.balanceDue !== '0.00'
            ? `, the customer owes ${formatDecimal(tenders.exchange.balanceDue)}`
            : ''}
          .
        </p>
      )}
      {tenders.dispute && (
        <p>
          {tenders.dispute.type === 'inquiry' ? 'Inquiry' : 'Chargeback'} {tenders.dispute.id}:{' '}
          {DISPUTE_STATUS[tenders.dispute.status] ?? tenders.dispute.status}
          {tenders.dispute.amount !== null ? `, ${formatDecimal(tenders.dispute.amount)}` : ''}.
        </p>
      )}
    </section>
  );
}

function TenderList({ title, lines }: { title: string; lines: TenderLine[] }) {
  return (
    <section aria-label={title}>
      <h4>{title}</h4>
      {lines.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="plain">
          {lines.map((t, i) => (
            // Tenders have no identity of their own; their order is the source's.
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed list, never reordered
            <li key={i}>
              {KIND_LABELS[t.kind] ?? t.kind} {formatDecimal(t.amount)}
              {gatewayText(t.gateway)}
              {t.state && STATE_LABELS[t.state] ? `, ${STATE_LABELS[t.state]}` : ''}
              {t.ref ? ` (${t.ref})` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
