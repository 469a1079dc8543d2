import { useChannel } from '../api/use-channel';
import { ErrorBanner } from '../components/error-banner';

const SIDE_LABELS = { storefront: 'Storefront', netsuite: 'NetSuite' } as const;

export function SnapshotsScreen() {
  const snapshots = useChannel('snapshot:list', {});
  return (
    <section className="screen">
      <h1>Snapshots</h1>
      <p className="muted">
        Frozen copies of each side, imported from export files or pulled from the APIs, newest first.
      </p>
      {snapshots.status === 'loading' && <p className="muted">Loading…</p>}
      {snapshots.status === 'error' && <ErrorBanner error={snapshots.error} onRetry={snapshots.reload} />}
      {snapshots.status === 'ok' &&
        (snapshots.value.length === 0 ? (
          <p className="muted">No snapshots yet.</p>
        ) : (
          <table className="data" aria-label="Snapshots">
            <thead>
              <tr>
                <th className="num">#</th>
                <th>Label</th>
                <th>Side</th>
                <th>Source</th>
                <th>File</th>
                <th className="num">Refunds</th>
                <th className="num">Lines</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {snapshots.value.map((s) => (
                <tr key={s.id}>
                  <td className="num">{s.id}</td>
                  <td>{s.label}</td>
                  <td>{SIDE_LABELS[s.side]}</td>
                  <td>{s.source}</td>
                  <td title={s.fileSha256 ?? undefined}>{s.fileName ?? '—'}</td>
                  <td className="num">{s.refundCount}</td>
                  <td className="num">{s.lineCount}</td>
                  <td>{s.createdAt.replace('T', ' ').slice(0, 16)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
