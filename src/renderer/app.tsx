import { useEffect, useRef, useState } from 'react';
import { useApi } from './api/context';
import { Nav } from './components/nav';
import { ROUTES, type RouteId, routeFromHash } from './routes';
import { AccountsScreen } from './screens/accounts-screen';
import { DryRunsScreen } from './screens/dry-runs-screen';
import { ReportsScreen } from './screens/reports-screen';
import { ReviewScreen } from './screens/review-screen';
import { SettingsScreen } from './screens/settings-screen';
import { SnapshotsScreen } from './screens/snapshots-screen';

const SCREENS: Record<RouteId, () => React.JSX.Element> = {
  review: ReviewScreen,
  accounts: AccountsScreen,
  'dry-runs': DryRunsScreen,
  snapshots: SnapshotsScreen,
  reports: ReportsScreen,
  settings: SettingsScreen,
};

function useRoute(): RouteId {
  const [route, setRoute] = useState(() => routeFromHash(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

/** The shell: navigation and the current screen. Screens live one per file under screens/. */
/** Bumps when another workspace is opened, so every screen reads the new one from scratch. */
function useWorkspaceGeneration(): number {
  const api = useApi();
  const [generation, setGeneration] = useState(0);
  useEffect(() => api.events['workspace:changed'](() => setGeneration((g) => g + 1)), [api]);
  return generation;
}

export function App({ transport }: { transport: 'electron' | 'http' }) {
  const route = useRoute();
  const generation = useWorkspaceGeneration();
  const Screen = SCREENS[route];
  const main = useRef<HTMLElement>(null);
  // The window title names the screen (screen readers and the task switcher read it).
  useEffect(() => {
    document.title = `${ROUTES.find((r) => r.id === route)?.label ?? 'Review'} · Refund Reconciler`;
  }, [route]);
  return (
    <div className="shell" key={generation}>
      {/* The hash holds the route, so the skip link moves the focus rather than following an anchor. */}
      <button type="button" className="skip-link" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <Nav current={route} transport={transport} />
      <main className="content" id="main-content" tabIndex={-1} ref={main}>
        <Screen />
      </main>
    </div>
  );
}
