import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { CatalogueEntry, Direction, StorefrontAccount } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { entriesOf, NetsuiteAccountDetails, StorefrontConnection } from '../accounts/account-details';
import { AddAccountForm } from '../accounts/add-account-form';
import { CapabilitiesEditor } from '../accounts/capabilities-editor';
import { OrderContextPanel } from '../accounts/order-context-panel';
import { PushPanel } from '../accounts/push-panel';
import { ReadinessPanel } from '../accounts/readiness-panel';
import { SyncOptionsPanel } from '../accounts/sync-options-panel';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { AuditChange } from '../components/audit-change';
import { ConfirmBox } from '../components/confirm-box';
import { ErrorBanner } from '../components/error-banner';
import { formatDateTime } from '../lib/format';
import { DIRECTION_LABELS } from './direction';

type Catalogue = z.infer<typeof CatalogueEntry>;

const ADVICE = {
  lineItemRefunds:
    'To find out, refund one item of a test order by hand in the storefront admin: if you can choose the line and its quantity, it supports line-item refunds. Record the answer below, or learn it from that test refund.',
  storeCredit:
    'Refund a test order to store credit or a gift card in the storefront; if the option exists, it is supported.',
  splitTender:
    'Pay a test order with two payment methods (e.g. gift card + card) and refund it: see whether both are refunded.',
} as const;

const YES_NO = { yes: 'Yes', no: 'No', unknown: 'Unknown — not checked yet' } as const;

export function AccountsScreen() {
  const accounts = useChannel('account:list', {});
  const catalogue = useChannel('account:catalogue', {});
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [auditKey, setAuditKey] = useState(0);
  useEffect(() => {
    if (accounts.status === 'ok' && selectedId === null && accounts.value.storefront[0]) {
      setSelectedId(accounts.value.storefront[0].id);
    }
  }, [accounts, selectedId]);
  const changed = () => {
    accounts.reload();
    setAuditKey((k) => k + 1);
  };
  return (
    <section className="screen">
      <h1>Accounts &amp; directions</h1>
      <p className="muted">
        Each storefront account syncs refunds in one direction at most: off, storefront → NetSuite, or NetSuite →
        storefront. Never both.
      </p>
      {accounts.status === 'loading' && <p className="muted">Loading…</p>}
      {accounts.status === 'error' && <ErrorBanner error={accounts.error} onRetry={accounts.reload} />}
      {accounts.status === 'ok' && (
        <>
          <AddAccountForm
            key={accounts.value.netsuite.length}
            netsuite={entriesOf(accounts.value.netsuite)}
            onAdded={changed}
          />
          <h2>Storefront accounts</h2>
          {accounts.value.storefront.length === 0 ? (
            <div className="empty">
              <p>
                <strong>No storefront account yet.</strong> Add your NetSuite account, then your store, with “Add an
                account” below.
              </p>
            </div>
          ) : (
            <table className="data" aria-label="Storefront accounts">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Platform</th>
                  <th>Line-item refunds</th>
                  <th>Refund sync</th>
                  <th>NetSuite account</th>
                  <th>
                    <span className="visually-hidden">Select</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {accounts.value.storefront.map((a) => (
                  <tr key={a.id} className={a.id === selectedId ? 'selected' : ''}>
                    <td>{a.name}</td>
                    <td>{a.platform}</td>
                    <td>{a.lineItemRefunds}</td>
                    <td>{DIRECTION_LABELS[a.direction]}</td>
                    <td>{accounts.value.netsuite.find((n) => n.id === a.netsuiteAccountId)?.name ?? '—'}</td>
                    <td>
                      <button type="button" onClick={() => setSelectedId(a.id)} aria-pressed={a.id === selectedId}>
                        {a.id === selectedId ? 'Selected' : `Open ${a.name}`}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>NetSuite accounts</h2>
          {accounts.value.netsuite.length === 0 ? (
            <p className="muted">No NetSuite accounts yet.</p>
          ) : (
            <table className="data" aria-label="NetSuite accounts">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Account ID</th>
                  <th>Environment</th>
                  <th>Auth</th>
                </tr>
              </thead>
              <tbody>
                {accounts.value.netsuite.map((n) => (
                  <tr key={n.id}>
                    <td>{n.name}</td>
                    <td>{n.accountId}</td>
                    <td>{n.environment}</td>
                    <td>{n.authMethod.toUpperCase()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {accounts.value.netsuite.map((n) => (
            <NetsuiteAccountDetails key={n.id} account={n} onChanged={changed} />
          ))}
          {(() => {
            const account = accounts.value.storefront.find((a) => a.id === selectedId);
            const entry =
              catalogue.status === 'ok' ? catalogue.value.find((c) => c.platform === account?.platform) : undefined;
            return account ? (
              <AccountPanel key={account.id} account={account} entry={entry} onChanged={changed} />
            ) : null;
          })()}
          <SettingsImport onChanged={changed} />
          <AuditLog key={auditKey} />
        </>
      )}
    </section>
  );
}

function AccountPanel({
  account,
  entry,
  onChanged,
}: {
  account: StorefrontAccount;
  entry: Catalogue | undefined;
  onChanged: () => void;
}) {
  return (
    <section className="panel" aria-label={`Account ${account.name}`}>
      <h2>{account.name}</h2>
      <div className="two-col">
        <div>
          <Capabilities account={account} entry={entry} />
          <CapabilitiesEditor account={account} onChanged={onChanged} />
        </div>
        <DirectionControl account={account} entry={entry} onChanged={onChanged} />
      </div>
      <StorefrontConnection account={account} onChanged={onChanged} />
      <SyncOptionsPanel accountId={account.id} accountName={account.name} />
      <OrderContextPanel accountId={account.id} />
      <ReadinessPanel accountId={account.id} direction={account.direction} onChanged={onChanged} />
      <PushPanel accountId={account.id} direction={account.direction} />
    </section>
  );
}

function Capabilities({ account, entry }: { account: StorefrontAccount; entry: Catalogue | undefined }) {
  return (
    <section aria-label="Capabilities">
      <h3>Capabilities</h3>
      <dl className="facts">
        <dt>Line-item refunds</dt>
        <dd>
          {YES_NO[account.lineItemRefunds]}
          <div className="advice">{ADVICE.lineItemRefunds}</div>
        </dd>
        <dt>Store credit</dt>
        <dd>
          {account.storeCredit ? 'Yes' : 'No'}
          <div className="advice">{ADVICE.storeCredit}</div>
        </dd>
        <dt>Split tender</dt>
        <dd>
          {account.splitTender ? 'Yes' : 'No'}
          <div className="advice">{ADVICE.splitTender}</div>
        </dd>
        <dt>Directions offered</dt>
        <dd>{account.directions.length ? account.directions.map((d) => DIRECTION_LABELS[d]).join(', ') : 'None'}</dd>
      </dl>
      {entry && <p className="muted">{entry.note}</p>}
    </section>
  );
}

const CHOICES: Direction[] = ['off', 'storefront_to_netsuite', 'netsuite_to_storefront'];

/**
 * One radio group: off or exactly one direction. "Both" cannot be expressed. The recommended
 * direction is marked; choosing against it asks for confirmation first (and is audited).
 */
function DirectionControl({
  account,
  entry,
  onChanged,
}: {
  account: StorefrontAccount;
  entry: Catalogue | undefined;
  onChanged: () => void;
}) {
  const api = useApi();
  const [pending, setPending] = useState<{ direction: Direction; message: string } | null>(null);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const recommended = entry?.recommended ?? null;
  const set = async (direction: Direction, confirm: boolean) => {
    setError(null);
    setNotice(null);
    const result = await api.channels['account:set-direction']({
      accountId: account.id,
      direction,
      confirmAgainstRecommendation: confirm,
      actor: localStorage.getItem('refund-recon-author') || 'local user',
    });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    if (result.value.status === 'confirmation_required') {
      setPending({
        direction,
        message:
          result.value.message ??
          `${DIRECTION_LABELS[direction]} is against the recommendation: ${result.value.recommendation.reason}`,
      });
      return;
    }
    setPending(null);
    setNotice(`Refund sync is now ${DIRECTION_LABELS[result.value.account.direction]}.`);
    onChanged();
  };
  const unavailable = (d: Direction): string | null => {
    if (d === 'off') return null;
    if (!account.directions.includes(d)) {
      return `The ${account.platform} connector does not offer ${DIRECTION_LABELS[d]}.`;
    }
    return null;
  };
  return (
    <section aria-label="Refund sync direction">
      <h3>Refund sync direction</h3>
      <fieldset className="direction" aria-describedby="direction-help">
        <legend>Direction for {account.name}</legend>
        {CHOICES.map((d) => {
          const reason = unavailable(d);
          const id = `direction-${account.id}-${d}`;
          return (
            <div key={d} className={`choice${reason ? ' disabled' : ''}`}>
              <input
                type="radio"
                id={id}
                name={`direction-${account.id}`}
                value={d}
                checked={account.direction === d}
                disabled={reason !== null}
                aria-describedby={reason ? `${id}-why` : undefined}
                onChange={() => set(d, false)}
              />
              <label htmlFor={id}>
                {DIRECTION_LABELS[d]}
                {d === recommended && <span className="badge">★ Recommended</span>}
              </label>
              {reason && (
                <div id={`${id}-why`} className="muted why">
                  Unavailable: {reason}
                </div>
              )}
            </div>
          );
        })}
      </fieldset>
      <p id="direction-help" className="muted">
        One direction at most: the refund is made on one side and the connector copies it to the other.
        {entry?.recommended ? '' : ' This platform has no recommendation.'}
      </p>
      {pending && (
        <ConfirmBox label="Confirm direction" onCancel={() => setPending(null)}>
          <p>
            <strong>Choose {DIRECTION_LABELS[pending.direction]}?</strong> {pending.message}
          </p>
          <button type="button" className="primary" onClick={() => set(pending.direction, true)}>
            Yes, use {DIRECTION_LABELS[pending.direction]}
          </button>
          <button type="button" onClick={() => setPending(null)}>
            Keep {DIRECTION_LABELS[account.direction]}
          </button>
        </ConfirmBox>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && <ErrorBanner error={error} />}
    </section>
  );
}

function SettingsImport({ onChanged }: { onChanged: () => void }) {
  const api = useApi();
  const [text, setText] = useState('');
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // Entries against the recommendation wait for the same confirmation as choosing the direction here.
  const [waiting, setWaiting] = useState<string[]>([]);
  const run = async (confirmAgainstRecommendation: boolean) => {
    setError(null);
    setDone(null);
    setWaiting([]);
    const result = await api.channels['account:import-sync-settings']({
      text,
      fileName: 'pasted settings.json',
      confirmAgainstRecommendation,
    });
    if (!result.ok) setError(result.error);
    else if (result.value.some((r) => r.status === 'confirmation_required')) {
      setWaiting(result.value.filter((r) => r.status === 'confirmation_required').map((r) => r.message ?? ''));
    } else {
      setDone(`${result.value.length} account setting(s) applied.`);
      onChanged();
    }
  };
  return (
    <details className="panel">
      <summary>Import sync settings from a file</summary>
      <label>
        Settings JSON
        <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} placeholder='{"accounts": [...]}' />
      </label>
      <button type="button" onClick={() => run(false)} disabled={text.trim() === ''}>
        Import settings
      </button>
      {waiting.length > 0 && (
        <div role="alert">
          <p>Nothing was imported yet. These choices are against the recommendation:</p>
          <ul>
            {waiting.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          <button type="button" onClick={() => run(true)}>
            Confirm and import
          </button>
        </div>
      )}
      {done && <p role="status">{done}</p>}
      {error && <ErrorBanner error={error} />}
    </details>
  );
}

function AuditLog() {
  const audit = useChannel('audit:list', { limit: 50 });
  return (
    <section aria-label="Audit log">
      <h2>Audit log</h2>
      {audit.status === 'error' && <ErrorBanner error={audit.error} onRetry={audit.reload} />}
      {audit.status === 'ok' &&
        (audit.value.length === 0 ? (
          <p className="muted">Nothing changed yet. Direction changes, sign-offs and pushes are recorded here.</p>
        ) : (
          <table className="data compact" aria-label="Audit entries">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>What</th>
                <th>Entity</th>
                <th>Before → after</th>
              </tr>
            </thead>
            <tbody>
              {audit.value.map((a) => (
                <tr key={a.id}>
                  <td>{formatDateTime(a.at)}</td>
                  <td>{a.actor}</td>
                  <td>{a.action}</td>
                  <td>{a.entity}</td>
                  <td className="wrap">
                    <AuditChange before={a.before} after={a.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
