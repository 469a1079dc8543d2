import { useState } from 'react';
import { useChannel } from '../api/use-channel';
import { useAnnotationsVersion } from '../lib/desk-events';
import { formatCount, formatDecimal } from '../lib/format';
import { ErrorBanner } from './error-banner';

const monthFormat = new Intl.DateTimeFormat(typeof navigator !== 'undefined' ? navigator.language : 'en-US', {
  year: 'numeric',
  month: 'long',
  timeZone: 'UTC',
});

export function formatMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? monthFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))) : month;
}

/** Month-end: refunds, amounts and differences per currency per month, open vs annotated vs resolved. */
export function PeriodSummaryView({ runId }: { runId: number }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const version = useAnnotationsVersion();
  const input = { runId, ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const summary = useChannel('review:period-summary', input, `${JSON.stringify(input)}#${version}`);
  const months = summary.status === 'ok' ? summary.value.months : [];
  return (
    <section className="period" aria-label="Period summary">
      <div className="period-controls no-print">
        <label>
          From
          <select value={from} onChange={(e) => setFrom(e.target.value)}>
            <option value="">First month</option>
            {months.map((m) => (
              <option key={m} value={m}>
                {formatMonth(m)}
              </option>
            ))}
          </select>
        </label>
        <label>
          To
          <select value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="">Last month</option>
            {months.map((m) => (
              <option key={m} value={m}>
                {formatMonth(m)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        <span className="muted">The XLSX export (Reports) has this summary on its “Period” sheet.</span>
      </div>
      {summary.status === 'loading' && <p className="muted">Summing the period…</p>}
      {summary.status === 'error' && <ErrorBanner error={summary.error} onRetry={summary.reload} />}
      {summary.status === 'ok' && (
        <>
          <h2 className="print-only">
            Period summary, run {runId}
            {from || to ? `: ${from ? formatMonth(from) : '…'} to ${to ? formatMonth(to) : '…'}` : ''}
          </h2>
          {summary.value.rows.length === 0 ? (
            <p className="muted">No results in this period.</p>
          ) : (
            <table className="data period-table" aria-label="Period summary by month and currency">
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col">Currency</th>
                  <th scope="col" className="num">
                    Refunds
                  </th>
                  <th scope="col" className="num">
                    Storefront
                  </th>
                  <th scope="col" className="num">
                    NetSuite
                  </th>
                  <th scope="col" className="num">
                    Difference
                  </th>
                  <th scope="col" className="num">
                    Agree
                  </th>
                  <th scope="col" className="num">
                    Open
                  </th>
                  <th scope="col" className="num">
                    Annotated
                  </th>
                  <th scope="col" className="num">
                    Resolved
                  </th>
                </tr>
              </thead>
              <tbody>
                {summary.value.rows.map((r) => (
                  <tr key={`${r.month}-${r.currency}`}>
                    <td>{formatMonth(r.month)}</td>
                    <td>{r.currency}</td>
                    <td className="num">{formatCount(r.refunds)}</td>
                    <td className="num">{formatDecimal(r.storefront)}</td>
                    <td className="num">{formatDecimal(r.netsuite)}</td>
                    <td className="num strong">{formatDecimal(r.difference, { signed: true })}</td>
                    <td className="num">{formatCount(r.agreed)}</td>
                    <td className="num">{formatCount(r.open)}</td>
                    <td className="num">{formatCount(r.annotated)}</td>
                    <td className="num">{formatCount(r.resolved)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {summary.value.undated > 0 && (
            <p className="muted">
              {formatCount(summary.value.undated)} result{summary.value.undated === 1 ? ' has' : 's have'} no date and
              are not in any month.
            </p>
          )}
        </>
      )}
    </section>
  );
}
