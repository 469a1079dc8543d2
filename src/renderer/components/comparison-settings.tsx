import { useEffect, useState } from 'react';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { ErrorBanner } from './error-banner';

/** Tolerances (default and per currency, in the currency's units) and the date window, kept in the workspace. */
export function ComparisonSettings() {
  const api = useApi();
  const settings = useChannel('settings:get', {});
  const [defaultTolerance, setDefaultTolerance] = useState('');
  const [rows, setRows] = useState<{ key: number; currency: string; amount: string }[]>([]);
  const [windowDays, setWindowDays] = useState('7');
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [saved, setSaved] = useState(false);
  const loaded = settings.status === 'ok' ? settings.value : null;
  // Once, when they arrive (the value object only changes on a reload): edits are kept.
  useEffect(() => {
    if (!loaded) return;
    setDefaultTolerance(loaded.defaultTolerance ?? '');
    setRows(Object.entries(loaded.tolerances).map(([currency, amount], key) => ({ key, currency, amount })));
    setWindowDays(String(loaded.dateWindowDays));
  }, [loaded]);
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    const days = Number(windowDays);
    const result = await api.channels['settings:set']({
      defaultTolerance: defaultTolerance.trim() === '' ? null : defaultTolerance.trim(),
      tolerances: Object.fromEntries(
        rows.filter((r) => r.currency.trim()).map((r) => [r.currency.trim().toUpperCase(), r.amount.trim()]),
      ),
      dateWindowDays: Number.isInteger(days) ? days : -1,
      actor: localStorage.getItem('refund-recon-author') || 'local user',
    });
    if (!result.ok) setError(result.error);
    else setSaved(true);
  };
  if (settings.status === 'loading') return <p className="muted">Loading the comparison settings…</p>;
  if (settings.status === 'error') return <ErrorBanner error={settings.error} onRetry={settings.reload} />;
  return (
    <section aria-label="Comparison settings">
      <h2>Comparison settings</h2>
      <p className="muted">Used by every comparison in this workspace, in the app and from the command line.</p>
      <form onSubmit={save}>
        <label>
          Tolerance for every currency (leave empty for the smallest unit, such as 0.01 USD or 1 JPY)
          <input value={defaultTolerance} onChange={(e) => setDefaultTolerance(e.target.value)} inputMode="decimal" />
        </label>
        <fieldset>
          <legend>Tolerance per currency</legend>
          {rows.map((row, i) => (
            <div className="row" key={row.key}>
              <label>
                Currency
                <input
                  value={row.currency}
                  maxLength={3}
                  onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, currency: e.target.value } : r)))}
                />
              </label>
              <label>
                Tolerance
                <input
                  value={row.amount}
                  inputMode="decimal"
                  onChange={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, amount: e.target.value } : r)))}
                />
              </label>
              <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                Remove {row.currency || 'row'}
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setRows([...rows, { key: Date.now(), currency: '', amount: '' }])}>
            Add a currency
          </button>
        </fieldset>
        <label>
          Date window (days apart two equal refunds of one order may be)
          <input value={windowDays} onChange={(e) => setWindowDays(e.target.value)} inputMode="numeric" />
        </label>
        <button type="submit" className="primary">
          Save the comparison settings
        </button>
      </form>
      {saved && (
        <p className="notice" role="status">
          Saved. The next comparison uses them.
        </p>
      )}
      {error && <ErrorBanner error={error} />}
    </section>
  );
}
