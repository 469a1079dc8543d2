import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { JournalRow, PushOutcome, PushPreviewOutput } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { callCancellable } from '../api/cancellable';
import { useApi } from '../api/context';
import { ConfirmBox } from '../components/confirm-box';
import { ErrorBanner } from '../components/error-banner';
import { useJobProgress } from '../components/progress';
import { formatCount, formatDateTime, formatDecimal } from '../lib/format';
import { DIRECTION_LABELS } from '../screens/direction';
import { author } from './author';

type Preview = z.infer<typeof PushPreviewOutput>;
type Outcome = z.infer<typeof PushOutcome>;
type Row = z.infer<typeof JournalRow>;

const STATE_WORDS: Record<Row['state'], string> = {
  pending: 'Waiting',
  sending: 'Being sent',
  confirmed: 'Sent',
  already_synced: 'Already there',
  failed: 'Failed',
};

const VENDORS: Record<string, string> = {
  netsuite: 'NetSuite',
  shopify: 'Shopify',
  bigcommerce: 'BigCommerce',
  woocommerce: 'WooCommerce',
};

/** `netsuite:creditMemo` → `NetSuite credit memo`. */
function recordWords(target: string): string {
  const [vendor = '', record = ''] = target.split(':');
  const words = record.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${VENDORS[vendor] ?? vendor}${words ? ` ${words}` : ''}`;
}

/**
 * Push from the app: preview (how many refunds, which amounts), then push with progress. Pause
 * and Cancel stop after the write in flight (every write is journaled first, so nothing is sent
 * twice); Resume finishes the journaled writes. A result per refund and the journal below.
 */
export function PushPanel({ accountId, direction }: { accountId: number; direction: string }) {
  const api = useApi();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [journal, setJournal] = useState<Row[]>([]);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [running, setRunning] = useState<'push' | 'resume' | null>(null);
  const [stopped, setStopped] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<(() => void) | null>(null);
  const total = useRef(0);

  const loadJournal = async () => {
    const result = await api.channels['push:journal']({ accountId });
    if (result.ok) setJournal(result.value);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the account or direction changes
  useEffect(() => {
    void loadJournal();
  }, [accountId, direction]);
  // Progress comes from the push itself (job:progress events, one per refund written); each event
  // also refreshes the journal, so a result appears per refund as it is written.
  const progress = useJobProgress('push', running !== null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload on each progress event
  useEffect(() => {
    if (progress) void loadJournal();
  }, [progress]);

  if (direction === 'off') {
    return (
      <section aria-label="Push refunds">
        <h3>Push refunds</h3>
        <p className="muted">Choose a refund sync direction first.</p>
      </section>
    );
  }
  const doPreview = async () => {
    setError(null);
    setOutcome(null);
    setStopped(null);
    const result = await api.channels['push:preview']({ accountId });
    if (!result.ok) setError(result.error);
    else setPreview(result.value);
  };
  const run = async (kind: 'push' | 'resume') => {
    if (kind === 'push' && !preview) return;
    setError(null);
    setConfirming(false);
    setRunning(kind);
    setStopped(null);
    total.current = kind === 'push' ? (preview?.count ?? 0) : journal.filter((j) => j.state !== 'confirmed').length;
    const call =
      kind === 'push'
        ? callCancellable(api, 'push:start', {
            accountId,
            snapshotId: preview!.snapshotId,
            confirmationCode: preview!.confirmationCode,
            actor: author(),
          })
        : callCancellable(api, 'push:resume', { accountId });
    cancelRef.current = call.cancel;
    const result = await call.result;
    cancelRef.current = null;
    setRunning(null);
    await loadJournal();
    if (!result.ok) {
      if (result.error.code === 'cancelled' || /cancel|abort/i.test(result.error.message)) {
        setStopped('Stopped. Writes already sent are kept in the journal; Resume finishes the rest.');
      } else setError(result.error);
      return;
    }
    setOutcome(result.value);
    setPreview(null);
  };
  const stop = (why: 'pause' | 'cancel') => {
    cancelRef.current?.();
    setStopped(
      why === 'pause'
        ? 'Pausing after the write in flight… Resume continues from the journal.'
        : 'Cancelling after the write in flight… Nothing already sent is undone.',
    );
  };
  const unfinished = journal.filter((j) => j.state === 'pending' || j.state === 'sending').length;
  return (
    <section aria-label="Push refunds">
      <h3>Push refunds ({DIRECTION_LABELS[direction as keyof typeof DIRECTION_LABELS] ?? direction})</h3>
      {!running && (
        <button type="button" onClick={doPreview}>
          Preview the push
        </button>
      )}{' '}
      {!running && unfinished > 0 && (
        <button type="button" onClick={() => run('resume')}>
          Resume ({formatCount(unfinished)} unfinished)
        </button>
      )}
      {preview && !running && (
        <section className="panel" aria-label="Push preview">
          <p>
            <strong>{formatCount(preview.count)} refund(s)</strong> to send to the{' '}
            {preview.environment === 'production' ? 'production' : 'sandbox'} account:{' '}
            {Object.entries(preview.totals)
              .map(([currency, amount]) => `${currency} ${formatDecimal(amount)}`)
              .join(', ') || 'nothing'}
            .
          </p>
          {preview.notPushable.length > 0 && (
            <p className="muted">
              {formatCount(preview.notPushable.length)} refund(s) cannot be built and are left out.
            </p>
          )}
          {preview.alreadyOnTarget.length > 0 && (
            <p className="muted">
              {formatCount(preview.alreadyOnTarget.length)} refund(s) are already there and are skipped.
            </p>
          )}
          {preview.environment === 'production' && !preview.readinessMet ? (
            <p className="error-banner">The readiness checklist is not met: production push is refused until it is.</p>
          ) : preview.count === 0 ? (
            <p className="muted">Nothing to push.</p>
          ) : confirming ? (
            <ConfirmBox label="Confirm push" onCancel={() => setConfirming(false)}>
              <p>
                Send {formatCount(preview.count)} refund(s) totalling{' '}
                {Object.entries(preview.totals)
                  .map(([currency, amount]) => `${currency} ${formatDecimal(amount)}`)
                  .join(', ')}{' '}
                now?
              </p>
              <button type="button" className="primary" onClick={() => run('push')}>
                Yes, push {formatCount(preview.count)} refund(s)
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Not now
              </button>
            </ConfirmBox>
          ) : (
            <button type="button" className="primary" onClick={() => setConfirming(true)}>
              Push…
            </button>
          )}
        </section>
      )}
      {running && (
        <div role="status" aria-live="polite">
          <progress
            aria-label="Push progress"
            max={Math.max(progress?.total ?? total.current, 1)}
            value={progress?.done ?? 0}
          />{' '}
          {running === 'push' ? 'Pushing' : 'Resuming'}: {formatCount(progress?.done ?? 0)} written
          {(progress?.total ?? total.current) ? ` of ${formatCount(progress?.total ?? total.current)}` : ''}.{' '}
          <button type="button" onClick={() => stop('pause')}>
            Pause
          </button>{' '}
          <button type="button" onClick={() => stop('cancel')}>
            Cancel
          </button>
        </div>
      )}
      {stopped && <p className="notice">{stopped}</p>}
      {outcome && (
        <p className="notice" role="status">
          {outcome.summary}: {formatCount(outcome.sent)} sent, {formatCount(outcome.alreadySynced)} already there,{' '}
          {formatCount(outcome.failed)} failed, {formatCount(outcome.remaining)} unfinished.
        </p>
      )}
      {error && <ErrorBanner error={error} />}
      {journal.length > 0 && (
        <details className="panel" open={!!outcome || !!running}>
          <summary>Push journal ({formatCount(journal.length)} writes)</summary>
          <table className="data compact" aria-label="Push journal">
            <thead>
              <tr>
                <th>Order</th>
                <th>Record</th>
                <th className="num">Amount</th>
                <th>Result</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {journal.map((j) => (
                <tr key={j.id}>
                  <td>{j.orderRef}</td>
                  <td>{recordWords(j.target)}</td>
                  <td className="num">
                    {j.currency} {formatDecimal(j.amount)}
                  </td>
                  <td className="wrap">
                    {STATE_WORDS[j.state]}
                    {j.lastError ? `: ${j.lastError}` : ''}
                  </td>
                  <td>{formatDateTime(j.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
