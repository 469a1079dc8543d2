import { useState } from 'react';
import type { SyncOptionsView } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { useChannel } from '../api/use-channel';
import { ErrorBanner } from '../components/error-banner';
import { author } from './author';

type Pair = { key: string; value: string };

const RESTOCK: Record<SyncOptionsView['restockType'], string> = {
  NO_RESTOCK: 'Leave stock as it is',
  RETURN: 'Put the items back in stock (returned)',
  CANCEL: 'Put the items back in stock (cancelled, never shipped)',
};

const pairsOf = (record: Record<string, string>): Pair[] =>
  Object.entries(record).map(([key, value]) => ({ key, value }));
const recordOf = (pairs: Pair[]): Record<string, string> =>
  Object.fromEntries(pairs.filter((p) => p.key.trim() || p.value.trim()).map((p) => [p.key.trim(), p.value.trim()]));

/**
 * The NetSuite records a refund sync posts against (issue 13): the refund items, the account a
 * refund is paid from, NetSuite's currency IDs and the item mapping — what FarApp's refund settings
 * hold — and, for refunds sent to the storefront, stock and customer notification. Saved through
 * account:set-sync-options, which checks each field and names it in words.
 */
export function SyncOptionsPanel({ accountId, accountName }: { accountId: number; accountName: string }) {
  const stored = useChannel('account:sync-options', { accountId }, String(accountId));
  // Kept here: the form is rebuilt from what was stored once the save is read back.
  const [saved, setSaved] = useState(false);
  return (
    <details className="panel">
      <summary>NetSuite items and accounts for the sync</summary>
      {stored.status === 'loading' && <p className="muted">Loading…</p>}
      {stored.status === 'error' && <ErrorBanner error={stored.error} onRetry={stored.reload} />}
      {stored.status === 'ok' && (
        <SyncOptionsForm
          key={JSON.stringify(stored.value)}
          accountId={accountId}
          accountName={accountName}
          initial={stored.value}
          onSaving={() => setSaved(false)}
          onSaved={() => {
            setSaved(true);
            stored.reload();
          }}
        />
      )}
      {saved && (
        <p className="notice" role="status">
          Saved. The next dry run and push use these.
        </p>
      )}
    </details>
  );
}

function SyncOptionsForm({
  accountId,
  accountName,
  initial,
  onSaving,
  onSaved,
}: {
  accountId: number;
  accountName: string;
  initial: SyncOptionsView;
  onSaving: () => void;
  onSaved: () => void;
}) {
  const api = useApi();
  const [ids, setIds] = useState({
    genericItemId: initial.genericItemId,
    shippingItemId: initial.shippingItemId,
    taxOnlyItemId: initial.taxOnlyItemId,
    refundAccountId: initial.refundAccountId,
  });
  const [currencies, setCurrencies] = useState<Pair[]>(pairsOf(initial.currencyIds));
  const [items, setItems] = useState<Pair[]>(pairsOf(initial.itemMap));
  const [restockType, setRestockType] = useState(initial.restockType);
  const [notifyCustomer, setNotifyCustomer] = useState(initial.notifyCustomer);
  const [error, setError] = useState<AppErrorShape | null>(null);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    onSaving();
    const result = await api.channels['account:set-sync-options']({
      accountId,
      options: {
        ...ids,
        currencyIds: recordOf(currencies.map((c) => ({ ...c, key: c.key.toUpperCase() }))),
        itemMap: recordOf(items),
        restockType,
        notifyCustomer,
      },
      actor: author(),
    });
    if (!result.ok) setError(result.error);
    else onSaved();
  };

  // The hint describes the field (aria-describedby) without becoming part of its name.
  const idField = (key: keyof typeof ids, label: string, hint: string) => (
    <div className="field">
      <label>
        {label}
        <input
          inputMode="numeric"
          value={ids[key]}
          onChange={(e) => setIds({ ...ids, [key]: e.target.value })}
          aria-describedby={`${key}-${accountId}-hint`}
          spellCheck={false}
        />
      </label>
      <div id={`${key}-${accountId}-hint`} className="muted">
        {hint}
      </div>
    </div>
  );

  return (
    <form onSubmit={save} aria-label={`Sync options of ${accountName}`} className="sync-options">
      <h4>When refunds go to NetSuite</h4>
      <p className="muted">
        The internal IDs of your NetSuite records (open the record in NetSuite: the ID is in its address, after “id=”).
        They are what the connector’s refund settings hold.
      </p>
      {idField(
        'genericItemId',
        'Refund item for amounts not tied to a product',
        'An Other Charge for Sale item; used for any amount that is not a product line.',
      )}
      {idField('shippingItemId', 'Shipping refund item', 'Empty: the refund item above carries shipping refunds.')}
      {idField(
        'taxOnlyItemId',
        'Tax-only refund item',
        'For a refund of tax alone. Empty: the refund item above is used.',
      )}
      {idField(
        'refundAccountId',
        'Account refunds are paid from',
        'The bank or Undeposited Funds account of a Cash Refund or Customer Refund.',
      )}
      <fieldset>
        <legend>NetSuite currency IDs</legend>
        <p className="muted">One row per currency your refunds are in (Lists › Accounting › Currencies in NetSuite).</p>
        <PairRows
          pairs={currencies}
          onChange={setCurrencies}
          keyLabel="Currency"
          valueLabel="NetSuite currency ID"
          keyPlaceholder="USD"
          addLabel="Add a currency"
        />
      </fieldset>
      <fieldset>
        <legend>Item mapping</legend>
        <p className="muted">Only where the store’s SKU differs from the NetSuite item’s name.</p>
        <PairRows
          pairs={items}
          onChange={setItems}
          keyLabel="Store SKU"
          valueLabel="NetSuite item"
          keyPlaceholder="TSHIRT-M"
          addLabel="Add an item"
        />
      </fieldset>
      <h4>When refunds go to the storefront</h4>
      <label>
        Stock
        <select value={restockType} onChange={(e) => setRestockType(e.target.value as SyncOptionsView['restockType'])}>
          {Object.entries(RESTOCK).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        <input type="checkbox" checked={notifyCustomer} onChange={(e) => setNotifyCustomer(e.target.checked)} /> Email
        the customer about the refund
      </label>
      <div className="row">
        <button type="submit" className="primary">
          Save the sync options
        </button>
      </div>
      {/* The message names the field in words; its key stays out of sight. */}
      {error && <ErrorBanner error={{ ...error, location: undefined }} />}
    </form>
  );
}

function PairRows({
  pairs,
  onChange,
  keyLabel,
  valueLabel,
  keyPlaceholder,
  addLabel,
}: {
  pairs: Pair[];
  onChange: (pairs: Pair[]) => void;
  keyLabel: string;
  valueLabel: string;
  keyPlaceholder: string;
  addLabel: string;
}) {
  const set = (i: number, patch: Partial<Pair>) => onChange(pairs.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  return (
    <>
      {pairs.length > 0 && (
        <table className="data compact">
          <thead>
            <tr>
              <th>{keyLabel}</th>
              <th>{valueLabel}</th>
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pairs.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their position is their identity
              <tr key={i}>
                <td>
                  <input
                    aria-label={`${keyLabel} ${i + 1}`}
                    value={p.key}
                    placeholder={keyPlaceholder}
                    onChange={(e) => set(i, { key: e.target.value })}
                    spellCheck={false}
                  />
                </td>
                <td>
                  <input
                    aria-label={`${valueLabel} ${i + 1}`}
                    value={p.value}
                    onChange={(e) => set(i, { value: e.target.value })}
                    spellCheck={false}
                  />
                </td>
                <td>
                  <button type="button" onClick={() => onChange(pairs.filter((_, j) => j !== i))}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" onClick={() => onChange([...pairs, { key: '', value: '' }])}>
        {addLabel}
      </button>
    </>
  );
}
