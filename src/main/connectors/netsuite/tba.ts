import { createHmac, randomBytes } from 'node:crypto';

/**
 * NetSuite Token-Based Authentication: OAuth 1.0a with HMAC-SHA256 (apis.md §1.2). The realm goes in
 * the header but not in the base string; every query-string parameter is signed; JSON bodies are not.
 */

export interface TbaCredentials {
  /** Account ID as the realm wants it (`1234567_SB1`); see realmOf(). */
  realm: string;
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export interface TbaSignInput extends TbaCredentials {
  method: string;
  url: string;
  nonce?: string;
  timestamp?: string | number;
}

export interface TbaSignature {
  header: string;
  baseString: string;
  signature: string;
  nonce: string;
  timestamp: string;
}

/** RFC 3986 percent-encoding: only A-Z a-z 0-9 - . _ ~ stay as they are. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Scheme and host lower-cased, default port dropped, no query or fragment. */
export function baseUrlOf(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const host = url.hostname.toLowerCase();
  const defaultPort = (scheme === 'https:' && url.port === '443') || (scheme === 'http:' && url.port === '80');
  const port = url.port && !defaultPort ? `:${url.port}` : '';
  return `${scheme}//${host}${port}${url.pathname}`;
}

/** Alphanumeric nonce (Oracle's examples use 20 characters). */
export function makeNonce(length = 20): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export function signatureBaseString(method: string, url: string, oauthParams: Record<string, string>): string {
  const parsed = new URL(url);
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(oauthParams)) pairs.push([percentEncode(key), percentEncode(value)]);
  // URLSearchParams decodes as application/x-www-form-urlencoded (`+` is a space), as RFC 5849 §3.4.1.3.1 says.
  for (const [key, value] of parsed.searchParams) pairs.push([percentEncode(key), percentEncode(value)]);
  pairs.sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0));
  const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return [method.toUpperCase(), percentEncode(baseUrlOf(parsed)), percentEncode(normalized)].join('&');
}

export function signTba(input: TbaSignInput): TbaSignature {
  const nonce = input.nonce ?? makeNonce();
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const oauth: Record<string, string> = {
    oauth_consumer_key: input.consumerKey,
    oauth_nonce: nonce,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: timestamp,
    oauth_token: input.token,
    oauth_version: '1.0',
  };
  const baseString = signatureBaseString(input.method, input.url, oauth);
  const key = `${percentEncode(input.consumerSecret)}&${percentEncode(input.tokenSecret)}`;
  const signature = createHmac('sha256', key).update(baseString).digest('base64');
  const fields: [string, string][] = [
    ['realm', input.realm],
    ['oauth_token', input.token],
    ['oauth_consumer_key', input.consumerKey],
    ['oauth_nonce', nonce],
    ['oauth_timestamp', timestamp],
    ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_version', '1.0'],
    ['oauth_signature', signature],
  ];
  const header = `OAuth ${fields.map(([k, v]) => `${k}="${percentEncode(v)}"`).join(', ')}`;
  return { header, baseString, signature, nonce, timestamp };
}

/** Parses an `Authorization: OAuth k="v", …` header (used by the emulator and by tests). */
export function parseOAuthHeader(header: string): Record<string, string> | undefined {
  const match = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (!match) return undefined;
  const out: Record<string, string> = {};
  const re = /([A-Za-z0-9_]+)="([^"]*)"/g;
  for (const part of match[1]!.matchAll(re)) {
    out[part[1]!] = decodeURIComponent(part[2]!);
  }
  return out;
}
