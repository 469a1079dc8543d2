import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const TOKEN_HEADER = 'x-refund-recon-token';

export interface Refusal {
  status: 403 | 405 | 415;
  code: 'forbidden' | 'method_not_allowed' | 'unsupported_media_type';
  message: string;
}

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The only Host values a loopback page can send: anything else is DNS rebinding or a proxy. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return typeof host === 'string' && allowedHosts(port).includes(host.toLowerCase());
}

export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true; // non-browser clients; the token still guards them
  return allowedHosts(port).some((host) => origin.toLowerCase() === `http://${host}`);
}

export function tokenMatches(given: string | string[] | undefined, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Host check for every request, static files included (a rebinding page must not even get the UI). */
export function checkHost(headers: IncomingHttpHeaders, port: number): Refusal | null {
  if (!isAllowedHost(headers.host, port)) {
    return {
      status: 403,
      code: 'forbidden',
      message: `Browser mode answers only to http://127.0.0.1:${port} or http://localhost:${port}.`,
    };
  }
  return null;
}

/** Token, Origin and fetch-metadata checks for every `/api/` request. */
export function checkApiRequest(headers: IncomingHttpHeaders, port: number, token: string): Refusal | null {
  const host = checkHost(headers, port);
  if (host) return host;
  const origin = headers.origin;
  if (!isAllowedOrigin(typeof origin === 'string' ? origin : undefined, port)) {
    return { status: 403, code: 'forbidden', message: 'Requests from other web pages are refused.' };
  }
  if (headers['sec-fetch-site'] === 'cross-site') {
    return { status: 403, code: 'forbidden', message: 'Cross-site requests are refused.' };
  }
  if (!tokenMatches(headers[TOKEN_HEADER], token)) {
    return {
      status: 403,
      code: 'forbidden',
      message: 'Missing or wrong browser-mode token: open the URL that `refund-recon serve` printed.',
    };
  }
  return null;
}

export function checkJsonContentType(headers: IncomingHttpHeaders): Refusal | null {
  const type = (headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (type === 'application/json') return null;
  return { status: 415, code: 'unsupported_media_type', message: 'Send the request body as application/json.' };
}
