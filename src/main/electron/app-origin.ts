/** App content is served from `app://renderer/` (a privileged custom scheme), never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The origin of a URL, or null when it does not parse. `app://renderer/x` → `app://renderer`. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) return null;
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/**
 * Origins the window may show and IPC may come from: the app protocol, plus the electron-vite
 * dev server only when one is given (unpackaged dev runs) and it is a loopback http URL.
 */
export function trustedOrigins(devServerUrl?: string): string[] {
  const origins = [APP_ORIGIN];
  if (devServerUrl) {
    const origin = originOf(devServerUrl);
    if (origin && /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/.test(origin)) origins.push(origin);
  }
  return origins;
}

/** Navigation (will-navigate / will-redirect) stays on the app; everything else is refused. */
export function isAllowedNavigation(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && origins.includes(origin);
}
