import { useState } from 'react';
import type { AccountEntry } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import { useApi } from '../api/context';
import { ErrorBanner } from '../components/error-banner';
import { author } from './author';

const PLATFORMS = [
  ['shopify', 'Shopify'],
  ['bigcommerce', 'BigCommerce'],
  ['woocommerce', 'WooCommerce'],
  ['magento', 'Magento / Adobe Commerce'],
  ['amazon', 'Amazon'],
  ['ebay', 'eBay'],
  ['walmart', 'Walmart'],
  ['other', 'Other storefront'],
] as const;

/** Adds a NetSuite account (its environment follows from the account ID) or a storefront account. */
export function AddAccountForm({ netsuite, onAdded }: { netsuite: AccountEntry[]; onAdded: () => void }) {
  const api = useApi();
  const [kind, setKind] = useState<'netsuite' | 'storefront'>(netsuite.length === 0 ? 'netsuite' : 'storefront');
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState('');
  const [platform, setPlatform] = useState('shopify');
  const [link, setLink] = useState(netsuite[0]?.name ?? '');
  const [shop, setShop] = useState('');
  const [currency, setCurrency] = useState('');
  const [error, setError] = useState<AppErrorShape | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const environment = /[_-]SB\d*$/i.test(accountId.trim())
    ? 'Sandbox'
    : /[_-]RP\d*$/i.test(accountId.trim())
      ? 'Release preview'
      : accountId.trim()
        ? 'Production'
        : '';
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    const result =
      kind === 'netsuite'
        ? await api.channels['account:add']({ type: 'netsuite', name, accountId, actor: author() })
        : await api.channels['account:add']({
            type: 'storefront',
            name,
            platform,
            netsuite: link,
            ...(shop.trim() ? { shop } : {}),
            ...(currency.trim() ? { currency } : {}),
            actor: author(),
          });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setNotice(`Added ${result.value.name}.`);
    setName('');
    setAccountId('');
    setShop('');
    onAdded();
  };
  return (
    <details className="panel" open={netsuite.length === 0}>
      <summary>Add an account</summary>
      <form onSubmit={submit} aria-label="Add an account">
        <fieldset>
          <legend>Kind of account</legend>
          <label>
            <input type="radio" name="kind" checked={kind === 'netsuite'} onChange={() => setKind('netsuite')} />{' '}
            NetSuite
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'storefront'} onChange={() => setKind('storefront')} />{' '}
            Storefront
          </label>
        </fieldset>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
        </label>
        {kind === 'netsuite' ? (
          <label>
            NetSuite account ID (Setup › Company › Company Information)
            <input
              value={accountId}
              onChange={(e) => setAccountId(e.target.value)}
              placeholder="1234567_SB1"
              required
            />
            {environment && <span className="muted"> Environment: {environment} (from the account ID)</span>}
          </label>
        ) : (
          <>
            <label>
              Platform
              <select value={platform} onChange={(e) => setPlatform(e.target.value)}>
                {PLATFORMS.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Linked NetSuite account
              <select value={link} onChange={(e) => setLink(e.target.value)} required>
                {netsuite.length === 0 && <option value="">Add a NetSuite account first</option>}
                {netsuite.map((n) => (
                  <option key={n.id} value={n.name}>
                    {n.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Shop address
              <input value={shop} onChange={(e) => setShop(e.target.value)} placeholder="my-store.myshopify.com" />
            </label>
            <label>
              Base currency
              <input value={currency} onChange={(e) => setCurrency(e.target.value)} placeholder="USD" maxLength={3} />
            </label>
          </>
        )}
        <button type="submit" className="primary">
          Add account
        </button>
      </form>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error && <ErrorBanner error={error} />}
    </details>
  );
}
