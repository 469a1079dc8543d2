import { CODE_LABELS, DEFAULT_SEVERITY, type ResultCode } from '../../shared/codes';
import { formatCount, formatDate, formatDecimal } from '../lib/format';
import { SEVERITY_ICON } from './code-chip';

/**
 * Small inline SVG charts (no library, nothing injected into the page's styles: colours are CSS
 * classes, sizes are attributes). Each chart has a text alternative: the figures as a table.
 */

export function BarsByCode({ byCode }: { byCode: Record<string, number> }) {
  const entries = Object.entries(byCode)
    .filter(([code]) => code !== 'matched')
    .sort((a, b) => b[1] - a[1]) as Array<[ResultCode, number]>;
  const max = Math.max(1, ...entries.map(([, n]) => n));
  if (entries.length === 0) return <p className="muted">No differences in this run: everything matched.</p>;
  const rowH = 22;
  return (
    <figure className="chart">
      <svg width="100%" height={entries.length * rowH} role="img" aria-label="Differences by code">
        {entries.map(([code, n], i) => (
          <g key={code} transform={`translate(0, ${i * rowH})`}>
            <text x="0" y="15" className="chart-label">
              {SEVERITY_ICON[DEFAULT_SEVERITY[code]]} {CODE_LABELS[code]}
            </text>
            <rect
              x="190"
              y="4"
              height="14"
              width={`${(n / max) * 55}%`}
              className={`bar bar-${DEFAULT_SEVERITY[code]}`}
            />
            <text x="99%" y="15" textAnchor="end" className="chart-value">
              {formatCount(n)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

export function ColumnsByDay({ byDay }: { byDay: Array<{ date: string; count: number }> }) {
  if (byDay.length === 0) return <p className="muted">No differences with a date.</p>;
  const max = Math.max(1, ...byDay.map((d) => d.count));
  const w = Math.min(960, Math.max(240, byDay.length * 16));
  const h = 140;
  const bw = w / byDay.length;
  return (
    <figure className="chart">
      <svg width={w} height={h + 38} role="img" aria-label="Differences by day">
        <g transform="translate(0, 18)">
          {byDay.map((d, i) => {
            const bh = Math.max(1, (d.count / max) * h);
            return (
              <rect
                key={d.date}
                x={i * bw + bw * 0.1}
                y={h - bh}
                width={Math.max(1, bw * 0.8)}
                height={bh}
                className="bar bar-day"
              >
                <title>
                  {formatDate(d.date)}: {formatCount(d.count)}
                </title>
              </rect>
            );
          })}
          <line x1="0" x2={w} y1={h} y2={h} className="axis" />
          <text x="0" y={h + 15} className="chart-label">
            {formatDate(byDay[0]!.date)}
          </text>
          <text x={w} y={h + 15} textAnchor="end" className="chart-label">
            {formatDate(byDay.at(-1)!.date)}
          </text>
        </g>
        <text x="2" y="12" className="chart-label">
          max {formatCount(max)} / day
        </text>
      </svg>
    </figure>
  );
}

/** Amount at stake per currency: exact amounts as text; bars scaled within each currency only. */
export function StakeList({ atStake }: { atStake: Record<string, string> }) {
  const entries = Object.entries(atStake);
  if (entries.length === 0) return <p className="muted">Nothing at stake.</p>;
  return (
    <table className="data compact" aria-label="Amount at stake per currency">
      <thead>
        <tr>
          <th>Currency</th>
          <th className="num">Sum of |differences|</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([c, amount]) => (
          <tr key={c}>
            <td>{c}</td>
            <td className="num">{formatDecimal(amount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
