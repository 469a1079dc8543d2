/**
 * The one gate in front of `shell.openExternal`. Opening a URL hands it to the operating system,
 * which may start any registered handler (`file:`, `smb:`, `ms-msdt:`, custom schemes…), so only
 * plain `https:` links to hosts the app itself links to are allowed; everything else is refused.
 * Pure: table-tested with hostile inputs in test/unit/security/external-url.test.ts.
 */

/** Hosts the app may open in the user's browser (vendor documentation and admin pages). */
export const EXTERNAL_URL_HOSTS: readonly string[] = [
  'docs.oracle.com',
  'system.netsuite.com',
  'help.shopify.com',
  'shopify.dev',
  'admin.shopify.com',
  'support.bigcommerce.com',
  'woocommerce.com',
];

/** Longest URL handed to the OS; anything longer is refused rather than truncated. */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

export function isAllowedExternalUrl(raw: unknown, hosts: readonly string[] = EXTERNAL_URL_HOSTS): boolean {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_EXTERNAL_URL_LENGTH) return false;
  // Control characters, spaces and backslashes are never part of a link we produce; refusing them
  // avoids parser differentials between WHATWG URL and the OS handler.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters
  if (/[\u0000-\u0020\u007f-\u009f\\]/.test(raw)) return false;
  if (!raw.startsWith('https://')) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  if (url.port !== '') return false;
  const host = url.hostname.toLowerCase();
  // The parsed host must be exactly the one written (no IDN/percent/IP normalisation tricks).
  if (!raw.toLowerCase().startsWith(`https://${host}/`) && raw.toLowerCase() !== `https://${host}`) return false;
  return hosts.includes(host);
}
