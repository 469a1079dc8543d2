import { useState } from 'react';
import { CODE_LABELS } from '../../shared/codes';
import type { AnnotationStatus, ResultDetail as Detail } from '../../shared/contract';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { annotationsChanged } from '../lib/desk-events';
import { formatDate, formatDateTime, formatDecimal } from '../lib/format';
import { CodeChip } from './code-chip';
import { ErrorBanner } from './error-banner';
import { useCurrentPerson } from './people';
import { TenderDetail } from './tender-detail';

const LINE_STATUS: Record<Detail['lines'][number]['status'], string> = {
  same: '✓ same',
  missing_in_netsuite: '✕ missing in NetSuite',
  missing_in_storefront: '✕ missing in storefront',
  quantity_differs: '⚠ quantity differs',
  amount_differs: '⚠ amount differs',
};

const RECORD_TYPES: Record<string, string> = {
  refund: 'Refund',
  cashRefund: 'Cash Refund',
  creditMemo: 'Credit Memo',
  customerRefund: 'Customer Refund',
  returnAuthorization: 'Return Authorization',
};

/** One result: both sides, lines aligned by SKU, provenance, and the annotation panel. */
export function ResultDetailPanel({
  resultId,
  onClose,
  onAnnotated,
}: {
  resultId: number;
  onClose: () => void;
  onAnnotated: () => void;
}) {
  const detail = useChannel('run:result-detail', { resultId }, String(resultId));
  return (
    <aside className="detail" aria-label="Result detail">
      <div className="detail-head">
        <h2>Result detail</h2>
        <button type="button" onClick={onClose} aria-label="Close detail">
          ✕
        </button>
      </div>
      {detail.status === 'loading' && <p className="muted">Loading…</p>}
      {detail.status === 'error' && <ErrorBanner error={detail.error} onRetry={detail.reload} />}
      {detail.status === 'ok' && (
        <DetailBody
          detail={detail.value}
          onAnnotated={() => {
            detail.reload();
            onAnnotated();
          }}
        />
      )}
    </aside>
  );
}

/** A side's total with its currency named when the two sides are in different currencies. */
function sideTotal(row: Detail['row'], side: 'storefront' | 'netsuite'): string {
  const own = row.sides?.[side];
  if (own) return `${own.currency} ${formatDecimal(own.amount)}`;
  return formatDecimal(side === 'storefront' ? row.storefrontTotal : row.netsuiteTotal);
}

function DetailBody({ detail, onAnnotated }: { detail: Detail; onAnnotated: () => void }) {
  const { row } = detail;
  const sfCurrency = detail.parts.storefront?.currency;
  const nsCurrency = detail.parts.netsuite?.currency;
  const twoCurrencies = !!sfCurrency && !!nsCurrency && sfCurrency !== nsCurrency;
  return (
    <div className="detail-body">
      <p className="detail-title">
        <strong>{row.orderRef || 'No order reference'}</strong> <CodeChip code={row.code} severity={row.severity} />{' '}
        <span className="muted">
          {row.sides
            ? `${row.sides.storefront?.currency ?? '?'} / ${row.sides.netsuite?.currency ?? '?'}`
            : row.currency}
        </span>
      </p>
      {row.hint && <p className="hint">{row.hint}</p>}
      <table className="data compact" aria-label="Totals side by side">
        <thead>
          <tr>
            <th className="num">Storefront</th>
            <th className="num">Difference</th>
            <th className="num">NetSuite</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="num">{sideTotal(row, 'storefront')}</td>
            <td className="num">{row.sides ? 'not comparable' : formatDecimal(row.difference, { signed: true })}</td>
            <td className="num">{sideTotal(row, 'netsuite')}</td>
          </tr>
        </tbody>
      </table>
      <table className="data compact" aria-label="Parts of each total">
        <thead>
          <tr>
            <th>Part</th>
            <th className="num">Storefront{sfCurrency ? ` (${sfCurrency})` : ''}</th>
            <th className="num">NetSuite{nsCurrency ? ` (${nsCurrency})` : ''}</th>
          </tr>
        </thead>
        <tbody>
          {(['shipping', 'tax', 'adjustment'] as const).map((part) => (
            <tr key={part}>
              <td>{part === 'shipping' ? 'Shipping' : part === 'tax' ? 'Tax' : 'Adjustment'}</td>
              <td className="num">{formatDecimal(detail.parts.storefront?.[part] ?? null)}</td>
              <td className="num">{formatDecimal(detail.parts.netsuite?.[part] ?? null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {detail.tenders && <TenderDetail tenders={detail.tenders} />}
      {detail.issues.length > 1 && (
        <p className="muted">
          Also:{' '}
          {detail.issues
            .filter((c) => c !== row.code)
            .map((c) => CODE_LABELS[c])
            .join(', ')}
        </p>
      )}
      <h3>Lines, aligned by SKU</h3>
      {detail.lines.length === 0 ? (
        <p className="muted">
          {detail.storefront.length === 0 || detail.netsuite.length === 0
            ? `No line comparison: ${detail.storefront.length === 0 ? 'the storefront' : 'NetSuite'} has no record for this refund.`
            : twoCurrencies
              ? `No line comparison: the storefront refund is in ${sfCurrency} and the NetSuite record in ${nsCurrency}.`
              : 'No line comparison: the refund has no item lines.'}
        </p>
      ) : (
        <table className="data compact" aria-label="Lines aligned by SKU">
          <thead>
            <tr>
              <th>SKU</th>
              <th className="num">Qty</th>
              <th className="num">Storefront</th>
              <th>Comparison</th>
              <th className="num">NetSuite</th>
              <th className="num">Qty</th>
            </tr>
          </thead>
          <tbody>
            {detail.lines.map((l) => (
              <tr key={`${l.role}:${l.sku}`} className={l.status === 'same' ? '' : 'differs'}>
                <td>{l.role === 'shipping' ? 'Shipping' : l.sku}</td>
                <td className="num">{l.storefront?.quantity ?? '—'}</td>
                <td className="num">{formatDecimal(l.storefront?.amount)}</td>
                <td>{LINE_STATUS[l.status]}</td>
                <td className="num">{formatDecimal(l.netsuite?.amount)}</td>
                <td className="num">{l.netsuite?.quantity ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="sides">
        <section aria-label="Storefront side">
          <h3>Storefront</h3>
          {detail.storefront.length === 0 && <p className="muted">No storefront refund.</p>}
          {detail.storefront.map((s) => (
            <dl className="facts" key={s.id}>
              <dt>Refund id</dt>
              <dd>{s.id}</dd>
              {s.documentNumber && (
                <>
                  <dt>Document</dt>
                  <dd>{s.documentNumber}</dd>
                </>
              )}
              <dt>Kind</dt>
              <dd>{s.kind === 'general' ? 'General (no lines)' : 'Line items'}</dd>
              <dt>Date</dt>
              <dd>{formatDate(s.date)}</dd>
              <dt>Total</dt>
              <dd className="num">{formatDecimal(s.total)}</dd>
            </dl>
          ))}
        </section>
        <section aria-label="NetSuite side">
          <h3>NetSuite</h3>
          {detail.netsuite.length === 0 && <p className="muted">No NetSuite record.</p>}
          {detail.netsuite.map((n) => (
            <dl className="facts" key={n.id}>
              <dt>Record</dt>
              <dd>
                {RECORD_TYPES[n.recordType] ?? n.recordType} {n.documentNumber}
              </dd>
              <dt>Internal id</dt>
              <dd>{n.id}</dd>
              <dt>Created from</dt>
              <dd>{n.createdFrom ?? '—'}</dd>
              <dt>Date</dt>
              <dd>{formatDate(n.date)}</dd>
              <dt>Total</dt>
              <dd className="num">{formatDecimal(n.total)}</dd>
            </dl>
          ))}
        </section>
      </div>
      <p className="muted">
        Matched by: {detail.matchedBy || '—'} · result key <code>{row.key}</code>
      </p>
      <AnnotationPanel
        resultKey={row.key}
        current={row.annotation}
        history={detail.annotations}
        onSaved={onAnnotated}
      />
    </div>
  );
}

const STATUSES: Array<{ id: AnnotationStatus; label: string }> = [
  { id: 'explained', label: 'Explained' },
  { id: 'ignored', label: 'Ignored' },
  { id: 'fixed', label: 'Fixed' },
  { id: 'open', label: 'Open again' },
];

function AnnotationPanel({
  resultKey,
  current,
  history,
  onSaved,
}: {
  resultKey: string;
  current: AnnotationStatus;
  history: Detail['annotations'];
  onSaved: () => void;
}) {
  const api = useApi();
  const author = useCurrentPerson();
  const [status, setStatus] = useState<AnnotationStatus>(current === 'open' ? 'explained' : current);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<Parameters<typeof ErrorBanner>[0]['error'] | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    setError(null);
    // One step (undoable), under the person chosen in "You are" (the audit log names them).
    const result = await api.channels['annotation:bulk']({ resultKeys: [resultKey], status, reason, note, author });
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setReason('');
    setNote('');
    annotationsChanged();
    onSaved();
  };
  return (
    <section className="annotation" aria-label="Annotation">
      <h3>Annotation</h3>
      <fieldset>
        <legend>Status</legend>
        {STATUSES.map((s) => (
          <label key={s.id} className="inline">
            <input type="radio" name="annotation-status" checked={status === s.id} onChange={() => setStatus(s.id)} />
            {s.label}
          </label>
        ))}
      </fieldset>
      <label>
        Reason {status === 'explained' || status === 'ignored' ? '(required)' : '(optional)'}
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="e.g. Shipping refunded by a separate credit memo"
        />
      </label>
      <label>
        Note
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
      </label>
      {error && <ErrorBanner error={error} />}
      <button
        type="button"
        className="primary"
        onClick={save}
        disabled={saving || !author}
        title={author ? undefined : 'Choose who you are (top of the review) first'}
      >
        Save annotation{author ? ` as ${author}` : ''}
      </button>
      <h4>History</h4>
      {history.length === 0 ? (
        <p className="muted">No annotation yet: the result is open.</p>
      ) : (
        <ol className="history" aria-label="Annotation history">
          {history.map((h) => (
            <li key={`${h.createdAt}-${h.status}`}>
              <strong>{h.status}</strong> by {h.author}, {formatDateTime(h.createdAt)}
              {h.reason && <>: {h.reason}</>}
              {h.note && <div className="muted">{h.note}</div>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
