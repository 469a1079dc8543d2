import { useEffect, useState } from 'react';
import { useApi } from './api/context';
import { Nav } from './components/nav';
import { type RouteId, routeFromHash } from './routes';
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
  return (
    <div className="shell" key={generation}>
      <Nav current={route} transport={transport} />
      <main className="content" aria-live="polite">
        <Screen />
      </main>
    </div>
  );
}
