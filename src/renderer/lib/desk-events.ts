import { useSyncExternalStore } from 'react';

/**
 * A counter bumped whenever annotations or sign-offs change, so every part of the review that
 * shows them (action list, totals, period summary, undo) reads them again.
 */
let version = 0;
const listeners = new Set<() => void>();

export function annotationsChanged(): void {
  version++;
  for (const l of listeners) l();
}

export function useAnnotationsVersion(): number {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => version,
  );
}
