import { useChannel } from '../api/use-channel';

export function WorkspaceBadge({ transport }: { transport: 'electron' | 'http' }) {
  const info = useChannel('workspace:info', {});
  return (
    <div className="workspace-badge">
      {info.status === 'ok' && (
        <>
          <div className="workspace-name" title={info.value.path}>
            {info.value.isDemo ? 'Demo workspace' : info.value.path.split(/[\\/]/).pop()}
          </div>
          <div className="muted">
            v{info.value.appVersion} · {transport === 'http' ? 'browser mode' : 'desktop'}
          </div>
        </>
      )}
    </div>
  );
}
