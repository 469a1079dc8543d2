// Structural types (not the DOM's) so the unit tests type-check under the Node tsconfig too.
export interface TokenLocation {
  hash: string;
  pathname: string;
  search: string;
}
export interface TokenHistory {
  replaceState(data: null, unused: string, url: string): void;
}
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'refund-recon-token';

/**
 * Browser mode's access token arrives in the URL fragment (never sent to any server, not in
 * logs or Referer), is kept in sessionStorage (this tab only, gone when it closes) and is then
 * removed from the address bar so it is not bookmarked or shared by accident.
 */
export function takeToken(location: TokenLocation, history: TokenHistory, storage: TokenStorage): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{16,128})(?:&|$)/.exec(location.hash);
  if (match?.[1]) {
    storage.setItem(STORAGE_KEY, match[1]);
    history.replaceState(null, '', `${location.pathname}${location.search}#/review`);
    return match[1];
  }
  return storage.getItem(STORAGE_KEY);
}
