import type { AccountEntry, NetsuiteAccount, StorefrontAccount } from '../../shared/contract';
import { useChannel } from '../api/use-channel';
import { ConnectionPanel } from './connection-panel';
import { EditAccount } from './edit-account';

const ENVIRONMENT: Record<string, string> = {
  sandbox: 'Sandbox',
  release_preview: 'Release preview',
  production: 'Production',
};

/** The NetSuite accounts as the add / edit forms need them (names to link to). */
export function entriesOf(netsuite: NetsuiteAccount[]): AccountEntry[] {
  return netsuite.map((n) => ({
    id: n.id,
    name: n.name,
    type: 'netsuite',
    platform: 'netsuite',
    accountId: n.accountId,
    environment: n.environment,
    direction: null,
    netsuite: null,
    shop: null,
    currency: null,
  }));
}

/** A NetSuite account's connection and its edit / remove form. */
export function NetsuiteAccountDetails({ account, onChanged }: { account: NetsuiteAccount; onChanged: () => void }) {
  const entries = useChannel('account:entries', {}, `entries-${account.id}-${account.name}-${account.accountId}`);
  const entry =
    entries.status === 'ok' ? entries.value.find((e) => e.type === 'netsuite' && e.id === account.id) : undefined;
  return (
    <details className="panel">
      <summary>
        {account.name}: connection and details
        {entry?.environment ? ` (${ENVIRONMENT[entry.environment]})` : ''}
      </summary>
      <ConnectionPanel type="netsuite" id={account.id} name={account.name} />
      {entry && entries.status === 'ok' && (
        <EditAccount
          entry={entry}
          netsuite={entries.value.filter((e) => e.type === 'netsuite')}
          onChanged={onChanged}
        />
      )}
    </details>
  );
}

/** A storefront account's connection (live platforms only) and its edit / remove form. */
export function StorefrontConnection({ account, onChanged }: { account: StorefrontAccount; onChanged: () => void }) {
  const entries = useChannel('account:entries', {}, `entries-sf-${account.id}-${account.name}`);
  const entry =
    entries.status === 'ok' ? entries.value.find((e) => e.type === 'storefront' && e.id === account.id) : undefined;
  const live =
    account.platform === 'shopify' || account.platform === 'bigcommerce' || account.platform === 'woocommerce';
  return (
    <>
      {/* Shown once the account's entry is read: the panel is keyed on the shop address, and a
          remount after a late load would wipe what the user has begun typing. */}
      {live && entries.status === 'loading' ? (
        <p className="muted">Loading the connection…</p>
      ) : live ? (
        <ConnectionPanel
          key={`${account.id}-${entry?.shop ?? ''}`}
          type="storefront"
          id={account.id}
          name={account.name}
        />
      ) : (
        <p className="muted">This storefront is read from export files (Snapshots); it has no live connection.</p>
      )}
      {entry && entries.status === 'ok' && (
        <EditAccount
          entry={entry}
          netsuite={entries.value.filter((e) => e.type === 'netsuite')}
          onChanged={() => {
            entries.reload();
            onChanged();
          }}
        />
      )}
    </>
  );
}
