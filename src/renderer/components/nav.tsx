import { ROUTES, type RouteId } from '../routes';
import { WorkspaceBadge } from './workspace-badge';

export function Nav({ current, transport }: { current: RouteId; transport: 'electron' | 'http' }) {
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">Refund Reconciler</div>
      <ul>
        {ROUTES.map((route) => (
          <li key={route.id}>
            <a href={`#/${route.id}`} aria-current={route.id === current ? 'page' : undefined}>
              {route.label}
            </a>
          </li>
        ))}
      </ul>
      <WorkspaceBadge transport={transport} />
    </nav>
  );
}
