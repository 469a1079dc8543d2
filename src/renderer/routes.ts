export const ROUTES = [
  { id: 'review', label: 'Review' },
  { id: 'accounts', label: 'Accounts & directions' },
  { id: 'dry-runs', label: 'Dry runs' },
  { id: 'snapshots', label: 'Snapshots' },
  { id: 'reports', label: 'Reports' },
  { id: 'settings', label: 'Settings' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

/** `#/snapshots` → 'snapshots'; anything unknown (including a token fragment) → 'review'. */
export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '');
  return ROUTES.find((route) => route.id === id)?.id ?? 'review';
}
