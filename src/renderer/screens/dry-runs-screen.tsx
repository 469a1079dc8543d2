import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { DryRunDetail, SyncDirection } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { PassFail } from '../components/code-chip';
import { ErrorBanner } from '../components/error-banner';
import { CHECK_LABELS, reasonSentence, WouldBeRecord } from '../components/would-be-record';
import { formatDateTime, formatDecimal } from '../lib/format';
import { DIRECTION_LABELS } from './direction';
import { RoundTripPanel } from './round-trip-panel';

type Detail = z.infer<typeof DryRunDetail>;
type Dir = z.infer<typeof SyncDirection>;
type Mode = 'refs' | 'test' | 'sample';

const STEPS = ['Account', 'Direction', 'Orders', 'Run'] as const;

export function DryRunsScreen() {
  const accounts = useChannel('account:list', {});
  const [historyKey, setHistoryKey] = useState(0);
  const [shown, setShown] = useState<Detail | null>(null);
  return (
    <section className="screen">
      <h1>Dry runs</h1>
      <p className="muted">
        Build exactly what the sync would send for a few orders and check it against the source. A dry run sends nothing
        that writes.
      </p>
      {accounts.status === 'error' && <ErrorBanner error={accounts.error} onRetry={accounts.reload} />}
      {accounts.status === 'ok' &&
        (accounts.value.storefront.length === 0 ? (
          <div className="empty">
            <p>
              <strong>No storefront account yet.</strong> A dry run needs an account with its snapshots: add one, then
              come back.
            </p>
          </div>
        ) : (
          <Wizard
            accounts={accounts.value.storefront}
            onDone={(d) => {
              setShown(d);
              setHistoryKey((k) => k + 1);
            }}
          />
        ))}
      {shown && (
        <DryRunResult
          run={shown}
          onRoundTrip={(d) => {
            setShown(d);
            setHistoryKey((k) => k + 1);
          }}
        />
      )}
      <History key={historyKey} onOpen={setShown} />
    </section>
  );
}

function Wizard({
  accounts,
  onDone,
}: {
  accounts: Array<{ id: number; name: string; direction: string; directions: Dir[] }>;
  onDone: (d: Detail) => void;
}) {
  const api = useApi();
  const [step, setStep] = useState(0);
  const [accountId, setAccountId] = useState(accounts[0]!.id);
  const account = accounts.find((a) => a.id === accountId) ?? accounts[0]!;
  const [direction, setDirection] = useState<Dir>(
    account.direction !== 'off' ? (account.direction as Dir) : (account.directions[0] ?? 'storefront_to_netsuite'),
  );
  const [mode, setMode] = useState<Mode>('sample');
  const [refs, setRefs] = useState('');
  const [size, setSize] = useState(5);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);
  useEffect(() => {
    if (!account.directions.includes(direction) && account.directions[0]) setDirection(account.directions[0]);
  }, [account, direction]);
  const refList = refs
    .split(/[\s,;]+/)
    .map((r) => r.trim())
    .filter(Boolean);
  const canNext = step !== 2 || mode !== 'refs' || refList.length > 0;
  const run = async () => {
    setRunning(true);
    setError(null);
    const selection =
      mode === 'refs'
        ? { mode: 'refs' as const, orderRefs: refList }
        : mode === 'test'
          ? { mode: 'test' as const }
          : { mode: 'sample' as const, size };
    const result = await api.channels['dry-run:start']({
      accountId,
      direction,
      selection,
      actor: localStorage.getItem('refund-recon-author') || 'local user',
    });
    setRunning(false);
    if (!result.ok) setError(result.error);
    else onDone(result.value);
  };
  return (
    <section className="panel wizard" aria-label="Dry run wizard">
      <ol className="steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={i < step ? 'done' : ''}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      {step === 0 && (
        <label>
          Storefront account
          <select value={accountId} onChange={(e) => setAccountId(Number(e.target.value))}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {step === 1 && (
        <fieldset>
          <legend>Direction to test</legend>
          {(['storefront_to_netsuite', 'netsuite_to_storefront'] as const).map((d) => (
            <label key={d} className="inline">
              <input
                type="radio"
                name="dry-run-direction"
                checked={direction === d}
                disabled={!account.directions.includes(d)}
                onChange={() => setDirection(d)}
              />
              {DIRECTION_LABELS[d]}
              {!account.directions.includes(d) && <span className="muted"> (not offered by this connector)</span>}
            </label>
          ))}
        </fieldset>
      )}
      {step === 2 && (
        <fieldset>
          <legend>Which orders</legend>
          <label className="inline">
            <input type="radio" name="dry-run-mode" checked={mode === 'refs'} onChange={() => setMode('refs')} />
            By order reference
          </label>
          <label className="inline">
            <input type="radio" name="dry-run-mode" checked={mode === 'test'} onChange={() => setMode('test')} />
            Orders flagged as test
          </label>
          <label className="inline">
            <input type="radio" name="dry-run-mode" checked={mode === 'sample'} onChange={() => setMode('sample')} />A
            sample of recent refunded orders
          </label>
          {mode === 'refs' && (
            <label>
              Order references (one per line or comma separated)
              <textarea rows={3} value={refs} onChange={(e) => setRefs(e.target.value)} placeholder="#1001, #1002" />
            </label>
          )}
          {mode === 'sample' && (
            <label>
              Sample size
              <input
                type="number"
                min={1}
                max={200}
                value={size}
                onChange={(e) => setSize(Math.max(1, Math.min(200, Number(e.target.value) || 1)))}
              />
            </label>
          )}
        </fieldset>
      )}
      {step === 3 && (
        <div>
          <dl className="facts">
            <dt>Account</dt>
            <dd>{account.name}</dd>
            <dt>Direction</dt>
            <dd>{DIRECTION_LABELS[direction]}</dd>
            <dt>Orders</dt>
            <dd>
              {mode === 'refs' ? refList.join(', ') : mode === 'test' ? 'Orders flagged as test' : `Sample of ${size}`}
            </dd>
          </dl>
          <button type="button" className="primary" onClick={run} disabled={running}>
            Run dry run
          </button>
          {running && (
            <div className="progress" role="status">
              <progress aria-label="Dry run progress" />
              <span className="muted">Building and checking the would-be records…</span>
            </div>
          )}
        </div>
      )}
      {error && <ErrorBanner error={error} />}
      <div className="wizard-nav">
        <button type="button" disabled={step === 0 || running} onClick={() => setStep(step - 1)}>
          Back
        </button>
        {step < 3 && (
          <button type="button" className="primary" disabled={!canNext} onClick={() => setStep(step + 1)}>
            Next
          </button>
        )}
      </div>
    </section>
  );
}

function DryRunResult({ run, onRoundTrip }: { run: Detail; onRoundTrip: (d: Detail) => void }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="panel dry-run-result" aria-label={`Dry run ${run.id} results`}>
      <h2>
        Dry run {run.id}{' '}
        {run.status === 'empty' || run.orders.length === 0 ? (
          <span className="chip chip-warning">
            <span className="chip-icon" aria-hidden="true">
              ⚠
            </span>
            Nothing tested
          </span>
        ) : (
          <PassFail ok={run.status === 'pass'} label={run.status === 'pass' ? 'Pass' : 'Fail'} />
        )}
      </h2>
      <p className="muted">
        {DIRECTION_LABELS[run.direction]} · {run.passed} passed, {run.failed} failed · {formatDateTime(run.createdAt)}
        {run.coverage.missing.length > 0 && ` · not covered: ${run.coverage.missing.join(', ')}`}
      </p>
      <RoundTripPanel run={run} onDone={onRoundTrip} />
      {run.orders.length === 0 ? (
        <p>
          <strong>Nothing was tested:</strong> no order matched this selection
          {run.selection.mode === 'refs' ? ` (${run.selection.orderRefs.join(', ')})` : ''}, so no record was built or
          checked. Try a sample, or check the order references.
        </p>
      ) : (
        <table className="data" aria-label="Dry run orders">
          <thead>
            <tr>
              <th>Order</th>
              <th>Refund</th>
              <th>Scope</th>
              <th className="num">Total</th>
              <th>Cur.</th>
              <th>Result</th>
              <th>Reasons</th>
              <th>
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {run.orders.map((o) => {
              const key = `${o.orderRef}/${o.refundId}`;
              return (
                <OrderRows
                  key={key}
                  order={o}
                  snapshotId={run.sourceSnapshotId}
                  open={open === key}
                  onToggle={() => setOpen(open === key ? null : key)}
                />
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function OrderRows({
  order,
  snapshotId,
  open,
  onToggle,
}: {
  order: Detail['orders'][number];
  snapshotId: number | null;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <>
      <tr>
        <td>{order.orderRef}</td>
        <td>{order.refundId}</td>
        <td>{order.scope}</td>
        <td className="num">{formatDecimal(order.total)}</td>
        <td>{order.currency}</td>
        <td>
          <PassFail ok={order.status === 'pass'} />
        </td>
        <td className="wrap">{order.reasons.map(reasonSentence).join(' ') || '—'}</td>
        <td>
          <button type="button" aria-expanded={open} onClick={onToggle}>
            {open ? 'Hide' : 'Show'} record for {order.orderRef}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="expanded">
          <td colSpan={8}>
            <h3>Checks</h3>
            <table className="data compact" aria-label={`Checks for ${order.orderRef}`}>
              <thead>
                <tr>
                  <th>Check</th>
                  <th>Result</th>
                  <th>Expected</th>
                  <th>Found</th>
                  <th>Message</th>
                </tr>
              </thead>
              <tbody>
                {order.checks.map((c) => (
                  <tr key={c.name}>
                    <td>{CHECK_LABELS[c.name] ?? c.name}</td>
                    <td>
                      <PassFail ok={c.ok} label={c.ok ? 'OK' : 'Fail'} />
                    </td>
                    <td>{c.expected}</td>
                    <td>{c.found}</td>
                    <td className="wrap">{c.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>Would-be record</h3>
            <WouldBeRecord
              orderRef={order.orderRef}
              payload={order.payload}
              currency={order.currency}
              total={order.total}
              snapshotId={snapshotId}
            />
            <details>
              <summary>Raw record (JSON)</summary>
              <pre className="json">{JSON.stringify(order.payload, null, 2)}</pre>
            </details>
          </td>
        </tr>
      )}
    </>
  );
}

/** `{ a: { b: [1, 2] } }` → `[['a.b[0]', '1'], ['a.b[1]', '2']]` (at most 500 rows). */
export function flatten(value: unknown, prefix = '', out: Array<[string, string]> = []): Array<[string, string]> {
  if (out.length >= 500) return out;
  if (value === null || typeof value !== 'object') {
    out.push([prefix || '(value)', value === null ? 'null' : String(value)]);
    return out;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v] as const) : Object.entries(value);
  if (entries.length === 0) out.push([prefix || '(value)', Array.isArray(value) ? '[]' : '{}']);
  for (const [k, v] of entries) {
    const path = Array.isArray(value) ? `${prefix}${k}` : prefix ? `${prefix}.${k}` : String(k);
    flatten(v, path, out);
  }
  return out;
}

function History({ onOpen }: { onOpen: (d: Detail) => void }) {
  const api = useApi();
  const list = useChannel('dry-run:list', {});
  return (
    <section aria-label="Dry run history">
      <h2>History</h2>
      {list.status === 'error' && <ErrorBanner error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' &&
        (list.value.length === 0 ? (
          <p className="muted">No dry run yet. Use the wizard above: pick an account, a direction and a few orders.</p>
        ) : (
          <table className="data compact" aria-label="Dry runs">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>When</th>
                <th>Direction</th>
                <th>Orders</th>
                <th>Result</th>
                <th className="num">Passed</th>
                <th className="num">Failed</th>
                <th>By</th>
                <th>
                  <span className="visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.value.map((d) => (
                <tr key={d.id}>
                  <td className="num">{d.id}</td>
                  <td>{formatDateTime(d.createdAt)}</td>
                  <td>{DIRECTION_LABELS[d.direction]}</td>
                  <td>{d.selection.mode === 'refs' ? d.selection.orderRefs.join(', ') : d.selection.mode}</td>
                  <td>
                    <PassFail ok={d.status !== 'fail'} label={d.status} />
                  </td>
                  <td className="num">{d.passed}</td>
                  <td className="num">{d.failed}</td>
                  <td>{d.actor}</td>
                  <td>
                    <button
                      type="button"
                      onClick={async () => {
                        const r = await api.channels['dry-run:get']({ id: d.id });
                        if (r.ok) onOpen(r.value);
                      }}
                    >
                      Open dry run {d.id}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
