import { useState } from 'react';
import type { AccountEntry } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { callCancellable } from '../api/cancellable';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { useJobProgress } from '../components/progress';
import { PullStatus } from '../components/pull-status';
import { formatCount } from '../lib/format';

/** Accounts that pull over an API (the others are fed by export files). */
const LIVE = new Set(['netsuite', 'shopify', 'bigcommerce', 'woocommerce']);

/**
 * Pulls one of the workspace's accounts through the connection saved on the Accounts screen:
 * nothing is typed again, and the snapshot is linked to the account (dry run, push, "since the
 * last run" find it).
 */
export function AccountPullPanel({ onPulled }: { onPulled: () => void }) {
  const api = useApi();
  const accounts = useChannel('account:entries', {});
  const [chosen, setChosen] = useState('');
  const [since, setSince] = useState('');
  const [busy, setBusy] = useState(false);
  const [cancel, setCancel] = useState<(() => void) | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const progress = useJobProgress('pull', busy);
  const live = accounts.status === 'ok' ? accounts.value.filter((a) => LIVE.has(a.platform)) : [];
  if (accounts.status === 'ok' && live.length === 0) return null;
  const key = (a: AccountEntry) => `${a.type}:${a.id}`;
  const account = live.find((a) => key(a) === chosen) ?? live[0];
  const pull = async () => {
    if (!account) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const call = callCancellable(api, 'connection:pull-account', {
      type: account.type,
      id: account.id,
      ...(since ? { since } : {}),
    });
    setCancel(() => call.cancel);
    const result = await call.result;
    setBusy(false);
    setCancel(null);
    if (result.ok) {
      setDone(
        `Pulled ${formatCount(result.value.refunds)} refunds from ${account.name} into snapshot ${result.value.snapshotId}.`,
      );
      onPulled();
    } else setError(result.error);
  };
  return (
    <section className="panel" aria-label="Pull a saved account">
      <h2>Pull a saved account</h2>
      <p className="muted">Uses the connection saved on the Accounts screen.</p>
      <div className="row">
        <label className="grow">
          Account
          <select value={account ? key(account) : ''} onChange={(e) => setChosen(e.target.value)}>
            {live.map((a) => (
              <option key={key(a)} value={key(a)}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Changed since (optional)
          <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
        <button type="button" className="primary" disabled={!account || busy} onClick={pull}>
          Pull
        </button>
      </div>
      <PullStatus busy={busy} progress={progress} cancel={cancel} error={error} done={done} />
    </section>
  );
}
