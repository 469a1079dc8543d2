import fs from 'node:fs';
import type { CustomScheme, Protocol } from 'electron';
import { SECURITY_HEADERS } from '../serve/csp';
import { contentTypeFor, resolveStaticPath } from '../serve/static-files';
import { APP_HOST, APP_SCHEME } from './app-origin';

/** Registered before `ready`: a standard, secure scheme (so 'self' and the CSP apply), nothing more. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: false,
    corsEnabled: false,
    allowServiceWorkers: false,
    bypassCSP: false,
    stream: false,
  },
};

/** `app://renderer/<path>` → a file under the built renderer, or null (other host, traversal…). */
export function resolveAppRequest(requestUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return null;
  return resolveStaticPath(rendererDir, url.pathname);
}

export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = request.method === 'GET' ? resolveAppRequest(request.url, rendererDir) : null;
    if (file) {
      try {
        const data = await fs.promises.readFile(file);
        return new Response(data, {
          status: 200,
          headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file) },
        });
      } catch {
        // fall through to 404
      }
    }
    return new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' } });
  });
}
