import { useState } from 'react';
import type { AccountEntry } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { ConfirmBox } from '../components/confirm-box';
import { ErrorBanner } from '../components/error-banner';
import { author } from './author';

/** Rename an account, correct its details, or remove it (refused with the reason when refunds were pushed). */
export function EditAccount({
  entry,
  netsuite,
  onChanged,
}: {
  entry: AccountEntry;
  netsuite: AccountEntry[];
  onChanged: () => void;
}) {
  const api = useApi();
  const [name, setName] = useState(entry.name);
  const [accountId, setAccountId] = useState(entry.accountId ?? '');
  const [link, setLink] = useState(entry.netsuite ?? '');
  const [shop, setShop] = useState(entry.shop ?? '');
  const [currency, setCurrency] = useState(entry.currency ?? '');
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const result = await api.channels['account:edit']({
      type: entry.type,
      id: entry.id,
      ...(name !== entry.name ? { name } : {}),
      ...(entry.type === 'netsuite' && accountId !== entry.accountId ? { accountId } : {}),
      ...(entry.type === 'storefront' && link && link !== entry.netsuite ? { netsuite: link } : {}),
      ...(entry.type === 'storefront' && shop !== (entry.shop ?? '') ? { shop } : {}),
      ...(entry.type === 'storefront' && currency !== (entry.currency ?? '') ? { currency } : {}),
      actor: author(),
    });
    if (!result.ok) setError(result.error);
    else {
      setNotice('Saved.');
      onChanged();
    }
  };
  const remove = async () => {
    setError(null);
    const result = await api.channels['account:remove']({ type: entry.type, id: entry.id, actor: author() });
    setConfirmRemove(false);
    if (!result.ok) setError(result.error);
    else onChanged();
  };
  return (
    <details className="panel">
      <summary>Edit or remove {entry.name}</summary>
      <form onSubmit={save} aria-label={`Edit ${entry.name}`}>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
        </label>
        {entry.type === 'netsuite' ? (
          <label>
            NetSuite account ID
            <input value={accountId} onChange={(e) => setAccountId(e.target.value)} required />
          </label>
        ) : (
          <>
            <label>
              Linked NetSuite account
              <select value={link} onChange={(e) => setLink(e.target.value)}>
                {netsuite.map((n) => (
                  <option key={n.id} value={n.name}>
                    {n.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Shop address
              <input value={shop} onChange={(e) => setShop(e.target.value)} />
            </label>
            <label>
              Base currency
              <input value={currency} onChange={(e) => setCurrency(e.target.value)} maxLength={3} />
            </label>
          </>
        )}
        <button type="submit">Save changes</button>
      </form>
      {confirmRemove ? (
        <ConfirmBox label="Confirm removal" onCancel={() => setConfirmRemove(false)}>
          <p>
            <strong>Remove {entry.name}?</strong> Its snapshots stay; its connection, direction and readiness are
            removed.
          </p>
          <button type="button" className="danger" onClick={remove}>
            Yes, remove {entry.name}
          </button>
          <button type="button" onClick={() => setConfirmRemove(false)}>
            Keep it
          </button>
        </ConfirmBox>
      ) : (
        <button type="button" onClick={() => setConfirmRemove(true)}>
          Remove {entry.name}…
        </button>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && <ErrorBanner error={error} />}
    </details>
  );
}
