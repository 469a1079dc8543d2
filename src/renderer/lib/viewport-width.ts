import { useSyncExternalStore } from 'react';

/** The window's inner width in CSS pixels, re-read when the window is resized. */
export function useViewportWidth(): number {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener('resize', listener);
      return () => window.removeEventListener('resize', listener);
    },
    () => window.innerWidth,
  );
}
