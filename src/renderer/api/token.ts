const STORAGE_KEY = 'refund-recon-token';

/**
 * Browser mode's access token arrives in the URL fragment (never sent to any server, not in
 * logs or Referer), is kept in sessionStorage (this tab only, gone when it closes) and is then
 * removed from the address bar so it is not bookmarked or shared by accident.
 */
export function takeToken(location: Location, history: History, storage: Storage): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{16,128})(?:&|$)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(STORAGE_KEY, match[1]);
    history.replaceState(null, '', `${location.pathname}${location.search}#/review`);
    return match[1];
  }
  return storage.getItem(STORAGE_KEY);
}
