import { useChannel } from '../api/use-channel';
import { ErrorBanner } from '../components/error-banner';
import { DIRECTION_LABELS } from './direction';

export function AccountsScreen() {
  const accounts = useChannel('account:list', {});
  return (
    <section className="screen">
      <h1>Accounts &amp; directions</h1>
      <p className="muted">
        Each storefront account syncs refunds in one direction at most. Changing directions comes with the accounts
        screen; this list shows what the workspace holds.
      </p>
      {accounts.status === 'loading' && <p className="muted">Loading…</p>}
      {accounts.status === 'error' && <ErrorBanner error={accounts.error} onRetry={accounts.reload} />}
      {accounts.status === 'ok' && (
        <>
          <h2>Storefront accounts</h2>
          {accounts.value.storefront.length === 0 ? (
            <p className="muted">No storefront accounts yet.</p>
          ) : (
            <table className="data" aria-label="Storefront accounts">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Platform</th>
                  <th>Line-item refunds</th>
                  <th>Refund sync</th>
                  <th>NetSuite account</th>
                </tr>
              </thead>
              <tbody>
                {accounts.value.storefront.map((a) => (
                  <tr key={a.id}>
                    <td>{a.name}</td>
                    <td>{a.platform}</td>
                    <td>{a.lineItemRefunds}</td>
                    <td>{DIRECTION_LABELS[a.direction]}</td>
                    <td>{accounts.value.netsuite.find((n) => n.id === a.netsuiteAccountId)?.name ?? '—'}</td>
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
        </>
      )}
    </section>
  );
}
