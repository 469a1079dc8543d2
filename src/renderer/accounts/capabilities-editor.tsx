import { useState } from 'react';
import type { StorefrontAccount } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { ErrorBanner } from '../components/error-banner';
import { author } from './author';
import { RefundPick } from './refund-pick';

const WORDS: Record<string, string> = {
  lineItemRefunds: 'Line-item refunds',
  storeCredit: 'Store credit',
  splitTender: 'Split tender',
};

/** Correct the capabilities by hand, or learn them from one test refund of a snapshot (with the evidence). */
export function CapabilitiesEditor({ account, onChanged }: { account: StorefrontAccount; onChanged: () => void }) {
  const api = useApi();
  const choices = useChannel('capabilities:refunds', { accountId: account.id }, String(account.id));
  const [refundId, setRefundId] = useState('');
  const [findings, setFindings] = useState<{ capability: string; value: string; evidence: string }[] | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const set = async (patch: {
    lineItemRefunds?: 'yes' | 'no' | 'unknown';
    storeCredit?: boolean;
    splitTender?: boolean;
  }) => {
    setError(null);
    const result = await api.channels['account:set-capabilities']({ accountId: account.id, ...patch, actor: author() });
    if (!result.ok) setError(result.error);
    else onChanged();
  };
  const learn = async (event: React.FormEvent) => {
    event.preventDefault();
    const snapshot = choices.status === 'ok' ? choices.value.snapshot : null;
    const picked = refundId || (choices.status === 'ok' ? (choices.value.refunds[0]?.refundId ?? '') : '');
    if (!snapshot || !picked) return;
    setError(null);
    const result = await api.channels['capabilities:learn']({
      accountId: account.id,
      snapshotId: snapshot.id,
      refundId: picked,
      actor: author(),
    });
    if (!result.ok) setError(result.error);
    else {
      setFindings(result.value.findings);
      onChanged();
    }
  };
  return (
    <details className="panel">
      <summary>Change the capabilities</summary>
      <fieldset>
        <legend>Line-item refunds</legend>
        {(['yes', 'no', 'unknown'] as const).map((v) => (
          <label key={v}>
            <input
              type="radio"
              name={`li-${account.id}`}
              checked={account.lineItemRefunds === v}
              onChange={() => set({ lineItemRefunds: v })}
            />{' '}
            {v === 'unknown' ? 'Not checked yet' : v === 'yes' ? 'Yes' : 'No'}
          </label>
        ))}
      </fieldset>
      <label className="inline">
        <input type="checkbox" checked={account.storeCredit} onChange={(e) => set({ storeCredit: e.target.checked })} />{' '}
        Refunds to store credit
      </label>
      <label className="inline">
        <input type="checkbox" checked={account.splitTender} onChange={(e) => set({ splitTender: e.target.checked })} />{' '}
        Split tender (one refund paid back to two payment methods)
      </label>
      <form onSubmit={learn} aria-label="Learn from a test refund">
        <h4>Learn from a test refund</h4>
        <p className="muted">
          Refund a test order by hand in the storefront, bring its refunds in (Snapshots), then pick that refund here.
        </p>
        {choices.status === 'ok' && <RefundPick list={choices.value} value={refundId} onPick={setRefundId} />}
        {choices.status === 'error' && <ErrorBanner error={choices.error} />}
      </form>
      {findings && (
        <ul aria-label="What the refund shows">
          {findings.map((f) => (
            <li key={f.capability}>
              <strong>
                {WORDS[f.capability] ?? f.capability}: {f.value}
              </strong>{' '}
              — {f.evidence}
            </li>
          ))}
        </ul>
      )}
      {error && <ErrorBanner error={error} />}
    </details>
  );
}
