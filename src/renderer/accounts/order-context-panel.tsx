import { useState } from 'react';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { ErrorBanner } from '../components/error-banner';
import { FolderPicker } from '../components/folder-picker';
import { isDesktopApp } from '../lib/desktop';
import { formatDateTime } from '../lib/format';
import { uploadFile } from '../lib/upload-file';
import { author } from './author';

/**
 * The order details a dry run and a push need beyond the refunds (issue 13): how NetSuite billed
 * each order (Cash Sale, Invoice or not yet), its customer and item IDs, and the storefront's order
 * and line IDs. They come in a file (what `refund-recon dry-run --orders-context` reads): chosen in
 * the system dialog in the desktop app; in the browser uploaded, or typed / browsed as a path.
 */
export function OrderContextPanel({ accountId }: { accountId: number }) {
  const api = useApi();
  const desktop = isDesktopApp();
  const summary = useChannel('dry-run:order-context', { accountId }, String(accountId));
  const [path, setPath] = useState('');
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = async (file: string, fileName?: string) => {
    setBusy(`Loading ${fileName ?? file.split(/[\\/]/).pop()}…`);
    const result = await api.channels['dry-run:load-order-context']({
      accountId,
      path: file,
      ...(fileName ? { fileName } : {}),
      actor: author(),
    });
    setBusy(null);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    const v = result.value;
    setNotice(
      `Loaded ${fileName ?? file.split(/[\\/]/).pop()}: the workspace now knows the NetSuite details of ${v.netsuite} order(s) and the storefront details of ${v.storefront}.`,
    );
    summary.reload();
  };

  const start = () => {
    setError(null);
    setNotice(null);
  };

  const chooseInDialog = async () => {
    start();
    const chosen = await api.channels['dialog:open-file']({ purpose: 'order-context' });
    if (!chosen.ok) setError(chosen.error);
    else if (chosen.value.path) await load(chosen.value.path);
  };

  const upload = async (file: File | undefined) => {
    if (!file) return;
    start();
    setBusy(`Sending ${file.name}…`);
    const staged = await uploadFile(api, file);
    setBusy(null);
    if (!staged.ok) setError(staged.error);
    else await load(staged.path, file.name);
  };

  return (
    <section className="panel" aria-label="Order details for dry runs">
      <h3>Order details for dry runs and the push</h3>
      <p className="muted">
        A refund becomes a NetSuite record only when the app knows how NetSuite holds its order: billed by a Cash Sale
        or an Invoice (or not yet), its customer and its item IDs. Load them from the order-details file; loading a file
        again updates the orders it lists.
      </p>
      {summary.status === 'error' && <ErrorBanner error={summary.error} onRetry={summary.reload} />}
      {summary.status === 'ok' && (
        <p className="orders-known">
          {summary.value.netsuite + summary.value.storefront === 0 ? (
            'No order details loaded yet: a dry run finds none of the orders in NetSuite until they are.'
          ) : (
            <>
              NetSuite details of <strong>{summary.value.netsuite}</strong> order(s), storefront details of{' '}
              <strong>{summary.value.storefront}</strong>
              {summary.value.updatedAt ? `, last loaded ${formatDateTime(summary.value.updatedAt)}` : ''}.
              {summary.value.orders.length > 0 && (
                <span className="muted">
                  {' '}
                  Orders: {summary.value.orders.slice(0, 12).join(', ')}
                  {summary.value.orders.length > 12 ? ', …' : ''}
                </span>
              )}
            </>
          )}
        </p>
      )}
      {desktop ? (
        <button type="button" onClick={chooseInDialog} disabled={busy !== null}>
          Load order details…
        </button>
      ) : (
        <>
          <label>
            Upload the order-details file
            <input
              type="file"
              accept=".json,application/json"
              disabled={busy !== null}
              onChange={(e) => {
                void upload(e.target.files?.[0]);
                e.target.value = '';
              }}
            />
          </label>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              start();
              if (path.trim()) void load(path.trim());
            }}
          >
            <label className="grow">
              Or its path on this computer
              <input
                value={path}
                onChange={(e) => setPath(e.target.value)}
                placeholder="/home/me/netsuite/order-details.json"
                spellCheck={false}
              />
            </label>
            <button type="button" onClick={() => setPicking(true)}>
              Browse…
            </button>
            <button type="submit" disabled={busy !== null || path.trim() === ''}>
              Load
            </button>
          </form>
          {picking && (
            <FolderPicker
              pick="file"
              onPick={(p) => {
                setPath(p);
                setPicking(false);
              }}
              onClose={() => setPicking(false)}
            />
          )}
        </>
      )}
      {busy && <p className="muted">{busy}</p>}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {/* The message names the file, the order and the field in words. */}
      {error && <ErrorBanner error={{ ...error, location: undefined }} />}
    </section>
  );
}
