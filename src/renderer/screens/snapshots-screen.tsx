import { useEffect, useState } from 'react';
import type { DetectedFormat, ImportOutcome, SnapshotSummary } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { callCancellable } from '../api/cancellable';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { ErrorBanner } from '../components/error-banner';
import { FolderPicker } from '../components/folder-picker';
import { ProgressBar, useJobProgress } from '../components/progress';
import { PullStatus } from '../components/pull-status';
import { isDesktopApp } from '../lib/desktop';
import { formatCount, formatDateTime } from '../lib/format';
import { setRunId } from '../lib/review-state';
import { uploadFile } from '../lib/upload-file';
import { AccountPullPanel } from './account-pull-panel';

const SIDE_LABELS = { storefront: 'Storefront', netsuite: 'NetSuite' } as const;
type Side = 'storefront' | 'netsuite';

export function SnapshotsScreen() {
  const snapshots = useChannel('snapshot:list', {});
  return (
    <section className="screen">
      <h1>Snapshots</h1>
      <p className="muted">
        Frozen copies of each side, imported from export files or pulled from the APIs, newest first. Compare a
        storefront snapshot with a NetSuite snapshot to start a review.
      </p>
      <div className="two-col">
        <ImportPanel onImported={snapshots.reload} />
        <AccountPullPanel onPulled={snapshots.reload} />
        <PullPanel onPulled={snapshots.reload} />
      </div>
      {snapshots.status === 'loading' && <p className="muted">Loading…</p>}
      {snapshots.status === 'error' && <ErrorBanner error={snapshots.error} onRetry={snapshots.reload} />}
      {snapshots.status === 'ok' && (
        <>
          {/* Keyed by the snapshot list: after an import or a pull the pickers start from the newest. */}
          <ComparePanel key={snapshots.value.map((x) => x.id).join(',')} snapshots={snapshots.value} />
          <h2>All snapshots</h2>
          {snapshots.value.length === 0 ? (
            <div className="empty">
              <p>
                <strong>No snapshots yet.</strong> Export your storefront's refunds (e.g. Shopify orders JSON) and a
                NetSuite saved search of refunds, then import both above:{' '}
                {isDesktopApp() ? 'choose' : 'type the path of'} or drop the files.
              </p>
            </div>
          ) : (
            <SnapshotTable snapshots={snapshots.value} />
          )}
        </>
      )}
    </section>
  );
}

function SnapshotTable({ snapshots }: { snapshots: SnapshotSummary[] }) {
  return (
    // A scrolling region is reachable by keyboard (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the region scrolls; the keyboard must reach it
    <section className="table-scroll" tabIndex={0} aria-label="Snapshots, scrollable">
      <table className="data" aria-label="Snapshots">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Label</th>
            <th>Side</th>
            <th>Source</th>
            <th>Format</th>
            <th>File</th>
            <th>SHA-256</th>
            <th className="num">Refunds</th>
            <th className="num">Lines</th>
            <th className="num">Rows</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {snapshots.map((s) => (
            <tr key={s.id}>
              <td className="num">{s.id}</td>
              <td>{s.label}</td>
              <td>{SIDE_LABELS[s.side]}</td>
              <td>{s.source}</td>
              <td>
                {s.format} <span className="muted">({s.importerVersion})</span>
              </td>
              <td>{s.fileName ?? '—'}</td>
              <td title={s.fileSha256 ?? undefined}>
                <code>{s.fileSha256 ? `${s.fileSha256.slice(0, 12)}…` : '—'}</code>
              </td>
              <td className="num">{formatCount(s.refundCount)}</td>
              <td className="num">{formatCount(s.lineCount)}</td>
              <td className="num">{formatCount(s.rowCount)}</td>
              <td>{formatDateTime(s.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ImportPanel({ onImported }: { onImported: () => void }) {
  const api = useApi();
  const [path, setPath] = useState('');
  const [side, setSide] = useState<Side>('storefront');
  const [detected, setDetected] = useState<DetectedFormat | null>(null);
  /** A format chosen by hand ('' = detect it). */
  const [chosenFormat, setChosenFormat] = useState('');
  const [decimalComma, setDecimalComma] = useState(false);
  /** Said when the detected format moved the import to the other side. */
  const [sideNote, setSideNote] = useState<string | null>(null);
  const formats = useChannel('snapshot:formats', {});
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [busy, setBusy] = useState<'upload' | 'import' | null>(null);
  const [cancel, setCancel] = useState<(() => void) | null>(null);
  const [picking, setPicking] = useState(false);
  const [dragging, setDragging] = useState(false);
  // The store's currency, asked for when the format's files may not say it (BigCommerce, WooCommerce).
  const [currency, setCurrency] = useState('');
  const [askCurrency, setAskCurrency] = useState(false);
  // BigCommerce: the orders' products, which price product refunds (their items carry no SKU or price).
  const [orderProducts, setOrderProducts] = useState('');
  const progress = useJobProgress('import', busy === 'import');
  const desktop = isDesktopApp();

  // The side follows the detected format: a NetSuite file picked under "Storefront" switches, with a note.
  const detect = async (p: string) => {
    setDetected(null);
    setError(null);
    setSideNote(null);
    const result = await api.channels['snapshot:detect-format']({ path: p });
    if (result.ok) {
      setDetected(result.value);
      const found = result.value.side;
      if (found && found !== side) {
        setSideNote(
          `This is a ${SIDE_LABELS[found]} export (${result.value.format}), so the side was switched from ${SIDE_LABELS[side]} to ${SIDE_LABELS[found]}.`,
        );
        setSide(found);
      }
      setAskCurrency(result.value.currency?.needed === true);
      setCurrency(result.value.currency?.default ?? '');
    } else setError(result.error);
    return result.ok ? result.value : null;
  };

  const runImport = async (p: string, fileLabel?: string) => {
    setError(null);
    setOutcome(null);
    const format = chosenFormat
      ? { format: chosenFormat as DetectedFormat['format'], side: null }
      : (detected ?? (await detect(p)));
    if (!format) return;
    setBusy('import');
    const chosenCurrency = currency.trim().toUpperCase();
    const products = format.format === 'bigcommerce-json' ? orderProducts.trim() : '';
    const options = {
      ...(fileLabel ? { label: fileLabel } : {}),
      ...(chosenCurrency ? { currency: chosenCurrency } : {}),
      ...(products ? { orderProducts: products } : {}),
      ...(decimalComma ? { decimalComma: true } : {}),
    };
    const call = callCancellable(api, 'snapshot:import', {
      path: p,
      side: format.side ?? side,
      format: format.format,
      options: Object.keys(options).length > 0 ? options : undefined,
    });
    setCancel(() => call.cancel);
    const result = await call.result;
    setBusy(null);
    setCancel(null);
    if (result.ok) {
      setOutcome(result.value);
      onImported();
    } else if (result.error.code === 'currency_required') {
      // The core says what is missing; the screen says which control gives it.
      setAskCurrency(true);
      setError({ ...result.error, message: `${result.error.message} Choose it under Currency and import again.` });
    } else setError(result.error);
  };

  // Desktop app: the path comes from the system dialog (the main process uses no other).
  const chooseFile = async () => {
    setError(null);
    const result = await api.channels['dialog:open-file']({ side });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    if (result.value.path === null) return;
    setPath(result.value.path);
    setOutcome(null);
    await detect(result.value.path);
  };

  const onDrop = async (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (!file) return;
    setError(null);
    setDetected(null);
    setOutcome(null);
    setBusy('upload');
    const staged = await uploadFile(api, file);
    if (!staged.ok) {
      setBusy(null);
      setError(staged.error);
      return;
    }
    setBusy(null);
    setPath(staged.path);
    const f = await detect(staged.path);
    if (f) await runImport(staged.path, file.name);
  };

  return (
    <section className="panel" aria-label="Import a file">
      <h2>Import a file</h2>
      <section
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        aria-label="Drop an export file here"
      >
        Drop an export file here (Shopify, BigCommerce, WooCommerce, NetSuite saved search, SuiteQL, canonical CSV/JSON)
      </section>
      {desktop ? (
        <div className="row">
          <label className="grow">
            File
            <input value={path} readOnly placeholder="No file chosen" spellCheck={false} />
          </label>
          <button type="button" disabled={busy !== null} onClick={chooseFile}>
            Choose file…
          </button>
        </div>
      ) : (
        <div className="row">
          <label className="grow">
            File path
            <input
              value={path}
              onChange={(e) => {
                setPath(e.target.value);
                setDetected(null);
              }}
              placeholder="/home/me/exports/orders.json"
              spellCheck={false}
            />
          </label>
          <button type="button" onClick={() => setPicking(true)}>
            Browse…
          </button>
        </div>
      )}
      {picking && !desktop && (
        <FolderPicker
          pick="file"
          onPick={(p) => {
            setPath(p);
            setPicking(false);
            void detect(p);
          }}
          onClose={() => setPicking(false)}
        />
      )}
      <div className="row">
        <label>
          Side
          <select
            value={side}
            onChange={(e) => {
              setSide(e.target.value as Side);
              setSideNote(null);
            }}
          >
            <option value="storefront">Storefront</option>
            <option value="netsuite">NetSuite</option>
          </select>
        </label>
        <label>
          Format
          <select value={chosenFormat} onChange={(e) => setChosenFormat(e.target.value)}>
            <option value="">Detect from the file</option>
            {(formats.status === 'ok' ? formats.value : [])
              .filter((f) => f.sides.includes(side))
              .map((f) => (
                <option key={f.format} value={f.format} title={f.description}>
                  {f.format}
                </option>
              ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={decimalComma} onChange={(e) => setDecimalComma(e.target.checked)} />
          Amounts use a decimal comma (1.234,56)
        </label>
        <button type="button" disabled={!path.trim() || busy !== null} onClick={() => detect(path.trim())}>
          Detect format
        </button>
        <button
          type="button"
          className="primary"
          disabled={!path.trim() || busy !== null}
          onClick={() => runImport(path.trim())}
        >
          Import
        </button>
      </div>
      {sideNote && <p className="side-note">{sideNote}</p>}
      {askCurrency && (
        <div className="row">
          <label>
            Currency
            <input
              value={currency}
              onChange={(e) => setCurrency(e.target.value)}
              placeholder="USD"
              maxLength={3}
              size={5}
              spellCheck={false}
              aria-describedby="import-currency-help"
            />
          </label>
          <span id="import-currency-help" className="muted">
            The store's currency: these refunds do not say it.
          </span>
        </div>
      )}
      {detected?.format === 'bigcommerce-json' && (
        <div className="row">
          <label className="grow">
            Order products file (optional)
            <input
              value={orderProducts}
              readOnly={desktop}
              onChange={(e) => setOrderProducts(e.target.value)}
              placeholder={desktop ? 'None chosen' : '/home/me/exports/order-products.json'}
              spellCheck={false}
              aria-describedby="import-order-products-help"
            />
          </label>
          {desktop && (
            <button
              type="button"
              disabled={busy !== null}
              onClick={async () => {
                const r = await api.channels['dialog:open-file']({ side: 'storefront' });
                if (!r.ok) setError(r.error);
                else if (r.value.path !== null) setOrderProducts(r.value.path);
              }}
            >
              Choose…
            </button>
          )}
          <span id="import-order-products-help" className="muted">
            The refunded orders' products, saved from BigCommerce: without them product refunds are compared on their
            totals only.
          </span>
        </div>
      )}
      {detected && (
        <p className="detected" role="status">
          Format: <strong>{detected.format}</strong> ({detected.encoding}
          {detected.side ? `, ${SIDE_LABELS[detected.side]}` : ''}) — {detected.reason}
        </p>
      )}
      {busy === 'upload' && <p className="muted">Uploading the dropped file…</p>}
      {busy === 'import' && (
        <div className="row">
          <ProgressBar label="Import progress" progress={progress} />
          {cancel && (
            <button type="button" onClick={cancel}>
              Cancel import
            </button>
          )}
        </div>
      )}
      {error && <ErrorBanner error={error} />}
      {outcome && (
        <div className="notice" role="status">
          {outcome.snapshot ? (
            <>
              Imported <strong>{formatCount(outcome.refundCount)}</strong> refunds ({formatCount(outcome.lineCount)}{' '}
              lines) into snapshot {outcome.snapshot.id} as {outcome.format}.
            </>
          ) : (
            <>This file was already imported (snapshot {outcome.alreadyImported?.id}); nothing new was added.</>
          )}
          {outcome.notes.length > 0 && (
            <ul>
              {outcome.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

function PullPanel({ onPulled }: { onPulled: () => void }) {
  const api = useApi();
  const [platform, setPlatform] = useState<'shopify' | 'netsuite'>('shopify');
  const [account, setAccount] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [cancel, setCancel] = useState<(() => void) | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const progress = useJobProgress('pull', busy);
  const pull = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    const input =
      platform === 'shopify'
        ? { platform, shop: account.trim(), ...(from ? { updatedSince: from } : {}) }
        : { platform, accountId: account.trim(), ...(from ? { from } : {}), ...(to ? { to } : {}) };
    const call = callCancellable(api, 'connection:pull', input);
    setCancel(() => call.cancel);
    const result = await call.result;
    setBusy(false);
    setCancel(null);
    if (result.ok) {
      setDone(`Pulled ${formatCount(result.value.refunds)} refunds into snapshot ${result.value.snapshotId}.`);
      onPulled();
    } else setError(result.error);
  };
  return (
    <section className="panel" aria-label="Pull by address">
      <h2>Pull by address</h2>
      <p className="muted">By address, with credentials from the secret store; they never pass through this page.</p>
      <div className="row">
        <label>
          Platform
          <select value={platform} onChange={(e) => setPlatform(e.target.value as 'shopify' | 'netsuite')}>
            <option value="shopify">Shopify</option>
            <option value="netsuite">NetSuite</option>
          </select>
        </label>
        <label className="grow">
          {platform === 'shopify' ? 'Shop (e.g. demo.myshopify.com)' : 'NetSuite account ID (e.g. 1234567_SB1)'}
          <input value={account} onChange={(e) => setAccount(e.target.value)} />
        </label>
      </div>
      <div className="row">
        <label>
          {platform === 'shopify' ? 'Updated since' : 'From'}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        {platform === 'netsuite' && (
          <label>
            To
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        )}
        <button type="button" className="primary" disabled={!account.trim() || busy} onClick={pull}>
          Pull
        </button>
      </div>
      <PullStatus busy={busy} progress={progress} cancel={cancel} error={error} done={done} />
    </section>
  );
}

function ComparePanel({ snapshots }: { snapshots: SnapshotSummary[] }) {
  const api = useApi();
  const sf = snapshots.filter((s) => s.side === 'storefront');
  const ns = snapshots.filter((s) => s.side === 'netsuite');
  const [sfId, setSfId] = useState<number | null>(sf[0]?.id ?? null);
  const [nsId, setNsId] = useState<number | null>(ns[0]?.id ?? null);
  const [tolerance, setTolerance] = useState('');
  const [windowDays, setWindowDays] = useState(7);
  // Start from the workspace's comparison settings (Settings screen); per-currency ones apply too.
  const settings = useChannel('settings:get', {});
  const loaded = settings.status === 'ok' ? settings.value : null;
  // Once, when they arrive: what the user types afterwards is kept.
  useEffect(() => {
    if (!loaded) return;
    setTolerance(loaded.defaultTolerance ?? '');
    setWindowDays(loaded.dateWindowDays);
  }, [loaded]);
  const [lineItems, setLineItems] = useState<'auto' | 'yes' | 'no'>('auto');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const progress = useJobProgress('reconcile', busy);
  if (sf.length === 0 || ns.length === 0) {
    return (
      <div className="empty">
        <p>
          <strong>To compare, import one snapshot of each side.</strong> Missing:{' '}
          {[sf.length === 0 ? 'a storefront snapshot' : null, ns.length === 0 ? 'a NetSuite snapshot' : null]
            .filter(Boolean)
            .join(' and ')}
          .
        </p>
      </div>
    );
  }
  const toleranceValid = tolerance === '' || /^\d+(\.\d+)?$/.test(tolerance);
  const compare = async () => {
    if (sfId === null || nsId === null) return;
    setBusy(true);
    setError(null);
    const result = await api.channels['run:compare']({
      storefrontSnapshotId: sfId,
      netsuiteSnapshotId: nsId,
      rules: {
        tolerance: { default: tolerance === '' ? null : tolerance, byCurrency: {} },
        dateWindowDays: windowDays,
        storefrontLineItems: lineItems,
      },
    });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setRunId(result.value.runId);
    window.location.hash = '#/review';
  };
  return (
    <section className="panel" aria-label="Compare two snapshots">
      <h2>Compare two snapshots</h2>
      <div className="row">
        <label className="grow">
          Storefront snapshot
          <select value={sfId ?? ''} onChange={(e) => setSfId(Number(e.target.value))}>
            {sf.map((s) => (
              <option key={s.id} value={s.id}>
                #{s.id} {s.label} ({formatCount(s.refundCount)} refunds)
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          NetSuite snapshot
          <select value={nsId ?? ''} onChange={(e) => setNsId(Number(e.target.value))}>
            {ns.map((s) => (
              <option key={s.id} value={s.id}>
                #{s.id} {s.label} ({formatCount(s.refundCount)} refunds)
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <label>
          Tolerance
          <input
            className="amount-input"
            value={tolerance}
            placeholder="1 minor unit"
            aria-invalid={!toleranceValid}
            onChange={(e) => setTolerance(e.target.value.trim())}
          />
        </label>
        <label>
          Date window (days)
          <input
            type="number"
            min={0}
            max={3660}
            value={windowDays}
            onChange={(e) => setWindowDays(Math.max(0, Math.min(3660, Number(e.target.value) || 0)))}
          />
        </label>
        <label>
          Line items
          <select value={lineItems} onChange={(e) => setLineItems(e.target.value as 'auto' | 'yes' | 'no')}>
            <option value="auto">Infer from the data</option>
            <option value="yes">Storefront refunds lines</option>
            <option value="no">Storefront refunds totals only</option>
          </select>
        </label>
        <button type="button" className="primary" disabled={busy || !toleranceValid} onClick={compare}>
          Compare
        </button>
      </div>
      {busy && <ProgressBar label="Comparison progress" progress={progress} />}
      {error && <ErrorBanner error={error} />}
    </section>
  );
}
