import { UserError } from '../../shared/errors';
import { LOOPBACK_SWITCH } from '../../shared/loopback-switch';
import { assertAccountId, restBaseUrl } from './netsuite/account';

/**
 * Where stored credentials may be sent. ONE decision, used by every client constructor (so the
 * CLI, the `pull` job, the sync factory and the NetSuite fetch thread all go through it) and by
 * `connection:pull` before any secret is read.
 *
 * - NetSuite: `https://<account>.suitetalk.api.netsuite.com` (from the account ID); an override
 *   (Setup > Company > Company URLs) must still be an https host under `.netsuite.com`.
 * - Shopify: `https://<shop>.myshopify.com` only, for the shop asked for.
 * - BigCommerce: `https://api.bigcommerce.com/stores/<hash>/v3` only, for the store asked for.
 * - WooCommerce: the store's own https address (a public DNS name). The store URL is the user's
 *   own, so the binding is done by the secrets: they are looked up per origin
 *   (`woocommerceKeysFromSecrets`), and the unscoped default pair only for the origin it names.
 * - Loopback `http://127.0.0.1:<port>` (the emulators) only when `allowLoopback` is true, which
 *   comes from `loopbackApisAllowed()`: the process switch `REFUND_RECON_ALLOW_LOOPBACK_APIS=1`,
 *   read once from the environment. Nothing the renderer sends can set it.
 *
 * Refused whatever the switch: other schemes (`file:`, `data:`, …), user info (`a@b`), query and
 * fragment, `localhost`, IPv6 literals, other IP literals, non-canonical hosts (numeric IPv4
 * forms, percent-encoding, non-ASCII: type the `xn--` form), trailing dots, backslashes, control
 * characters and whitespace, and dot segments or encoded separators in the path.
 *
 * The function is pure (the switch is an argument); `assertApiDestination` throws its UserError.
 */

export { LOOPBACK_SWITCH };

let loopbackSwitch: boolean | undefined;

/**
 * The process switch for loopback API destinations: true only when the process was started with
 * `REFUND_RECON_ALLOW_LOOPBACK_APIS=1`. Read once (first use, at start-up) and then fixed, so a later
 * change of the environment cannot turn it on. The packaged app honours it the same way: off
 * unless the person starting it sets the variable.
 */
export function loopbackApisAllowed(): boolean {
  loopbackSwitch ??= process.env[LOOPBACK_SWITCH] === '1';
  return loopbackSwitch;
}

/**
 * Sets the switch for this process (tests; a start-up flag). Main-process code only: no IPC
 * channel, contract field or workspace setting reaches it. `undefined` re-reads the environment
 * at the next use.
 */
export function setLoopbackApisAllowed(value: boolean | undefined): void {
  loopbackSwitch = value;
}

export type ApiPlatform = 'netsuite' | 'shopify' | 'bigcommerce' | 'woocommerce';

export type DestinationRequest =
  | { platform: 'netsuite'; accountId: string; url?: string | undefined; allowLoopback: boolean }
  | { platform: 'shopify'; shop?: string | undefined; url?: string | undefined; allowLoopback: boolean }
  | { platform: 'bigcommerce'; storeHash: string; url?: string | undefined; allowLoopback: boolean }
  | { platform: 'woocommerce'; url: string; allowLoopback: boolean };

export interface ApiDestination {
  platform: ApiPlatform;
  /**
   * No trailing slash. NetSuite `https://<host>`; Shopify `https://<shop>.myshopify.com` (or with
   * `/admin/api/<version>` when that was given); BigCommerce `…/stores/<hash>/v3`; WooCommerce the
   * site URL (origin plus a WordPress sub-directory, without `/wp-json/…`).
   */
  baseUrl: string;
  /** `https://host[:port]`. */
  origin: string;
  /** `host[:port]`, lower case (the WooCommerce secret scope). */
  host: string;
  loopback: boolean;
  /** Shopify: the bare shop name (`my-store`), when known. */
  shop?: string;
  /** BigCommerce: the store hash, lower case. */
  storeHash?: string;
}

export type DestinationCheck = { ok: true; destination: ApiDestination } | { ok: false; error: UserError };

const VENDOR: Record<ApiPlatform, string> = {
  netsuite: 'NetSuite',
  shopify: 'Shopify',
  bigcommerce: 'BigCommerce',
  woocommerce: 'WooCommerce',
};
const FIELD: Record<ApiPlatform, string> = {
  netsuite: 'host',
  shopify: 'baseUrl',
  bigcommerce: 'baseUrl',
  woocommerce: 'url',
};
const EXPECTED: Record<ApiPlatform, string> = {
  netsuite:
    'https://<account>.suitetalk.api.netsuite.com (or another https host under .netsuite.com from Setup > Company > Company URLs)',
  shopify: "https://<shop>.myshopify.com, the shop's own myshopify address",
  bigcommerce: 'https://api.bigcommerce.com/stores/<store hash>/v3',
  woocommerce: "the store's own https:// address, such as https://shop.example.com",
};
const SWITCH_ADVICE = `only when Refund Reconciler was started with ${LOOPBACK_SWITCH}=1 (for the local API emulators)`;

class Refusal {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {}
}

function show(raw: string): string {
  // Quote what was given without echoing control characters or unbounded text.
  return JSON.stringify(raw.length > 100 ? `${raw.slice(0, 100)}…` : raw);
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const IPV4 = /^\d+(?:\.\d+){3}$/;
const SHOP_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;
const STORE_HASH = /^[a-z0-9]{1,40}$/;

interface Parsed {
  url: URL;
  /** Path as typed, without a trailing slash ('' for none). */
  path: string;
}

/** Syntax shared by every platform; returns the parsed URL or the reason it is refused. */
function parseUrl(raw: string, bareHost: boolean): Parsed | Refusal {
  const given = raw.trim();
  if (given === '') return new Refusal('api_destination', 'it is empty');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0020\u007f-\uffff]/.test(given)) {
    return new Refusal(
      'api_destination',
      'it contains whitespace, control or non-ASCII characters (an international domain name must be typed in its xn-- form)',
    );
  }
  if (given.includes('\\')) return new Refusal('api_destination', 'it contains a backslash');
  if (given.includes('@')) {
    return new Refusal(
      'api_destination',
      'it carries a user name or password (user@host); credentials come from the secret store only',
    );
  }
  if (given.includes('?') || given.includes('#')) {
    return new Refusal('api_destination', 'it carries a query (?…) or fragment (#…)');
  }
  let text = given;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(given)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (!bareHost) return new Refusal('api_destination', 'it does not start with https://');
    text = `https://${given}`;
  } else if (scheme !== 'https' && scheme !== 'http') {
    return new Refusal('api_destination', `its scheme is ${scheme}:, not https:`);
  } else if (!given.slice(scheme.length + 1).startsWith('//')) {
    return new Refusal('api_destination', `it must be written ${scheme}://host`);
  }
  const rest = text.slice(text.indexOf('://') + 3);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const rawPath = slash === -1 ? '' : rest.slice(slash);
  if (authority.includes('[') || authority.includes(']')) {
    return new Refusal('api_destination', 'IPv6 address literals are not accepted (the loopback form is 127.0.0.1)');
  }
  const colon = authority.lastIndexOf(':');
  const rawHost = (colon === -1 ? authority : authority.slice(0, colon)).toLowerCase();
  const rawPort = colon === -1 ? undefined : authority.slice(colon + 1);
  if (rawHost === '') return new Refusal('api_destination', 'it has no host');
  if (rawPort !== undefined && !/^\d{1,5}$/.test(rawPort))
    return new Refusal('api_destination', 'its port is not a number');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return new Refusal('api_destination', 'it is not a valid URL');
  }
  // The host as typed must already be canonical: no numeric IPv4 forms (2130706433, 0x7f.1,
  // 127.1), no percent-encoding, nothing the URL parser rewrites into a different host.
  if (url.hostname !== rawHost) {
    return new Refusal('api_destination', `its host is not in canonical form (it means ${url.hostname})`);
  }
  const segments = rawPath.split('/').slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  for (const segment of segments) {
    const s = segment.toLowerCase();
    if (s === '' || s === '.' || s === '..' || /%2e|%2f|%5c|%00/.test(s) || /^(%2e|\.)+$/.test(s)) {
      return new Refusal('api_destination', 'its path has empty, "." or ".." segments or encoded separators');
    }
  }
  return { url, path: segments.length ? `/${segments.join('/')}` : '' };
}

/** A public DNS name: LDH labels, at least two, no trailing dot, not localhost, not an IP literal. */
function dnsNameRefusal(hostname: string): Refusal | undefined {
  if (hostname.endsWith('.')) return new Refusal('api_destination', 'its host ends with a dot');
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    return new Refusal(
      'api_destination',
      `localhost is not accepted (the emulators are reached as 127.0.0.1, ${SWITCH_ADVICE})`,
    );
  }
  if (IPV4.test(hostname)) return new Refusal('api_destination', 'IP address literals are not accepted');
  const labels = hostname.split('.');
  if (labels.length < 2 || hostname.length > 253 || !labels.every((l) => LABEL.test(l))) {
    return new Refusal('api_destination', `its host ${hostname} is not a valid domain name`);
  }
  return undefined;
}

function refuse(platform: ApiPlatform, raw: string, r: Refusal): DestinationCheck {
  const field = FIELD[platform];
  const advice = platform === 'woocommerce' ? '' : `; leave ${field} out to use the vendor's own address`;
  return {
    ok: false,
    error: new UserError(
      r.code,
      `Refusing to send the ${VENDOR[platform]} credentials to ${show(raw)} (${field}): ${r.reason}. Expected ${EXPECTED[platform]}${advice}.`,
      { field },
    ),
  };
}

function ok(platform: ApiPlatform, url: URL, path: string, extra: Partial<ApiDestination> = {}): DestinationCheck {
  const origin = `${url.protocol}//${url.host}`;
  return {
    ok: true,
    destination: {
      platform,
      baseUrl: `${origin}${path}`,
      origin,
      host: url.host,
      loopback: url.hostname === '127.0.0.1',
      ...extra,
    },
  };
}

function shopOf(shop: string | undefined): string | Refusal | undefined {
  if (shop === undefined) return undefined;
  const s = shop
    .trim()
    .toLowerCase()
    .replace(/\.myshopify\.com$/, '');
  if (!SHOP_LABEL.test(s) || s.startsWith('xn--')) {
    return new Refusal(
      'shopify_shop',
      `${show(shop.slice(0, 60))} is not a Shopify shop: expected the shop's myshopify name, such as my-store or my-store.myshopify.com`,
    );
  }
  return s;
}

/** The decision. Pure: same input, same answer; no I/O. */
export function checkApiDestination(request: DestinationRequest): DestinationCheck {
  const { platform } = request;
  const raw = request.url;
  let shop: string | undefined;
  let storeHash: string | undefined;
  // Account identifiers first: they name the only vendor host the credentials may go to.
  if (platform === 'netsuite') {
    try {
      assertAccountId(request.accountId);
    } catch (error) {
      return { ok: false, error: error as UserError };
    }
  } else if (platform === 'shopify') {
    const s = shopOf(request.shop);
    if (s instanceof Refusal) return { ok: false, error: new UserError(s.code, `${s.reason}.`, { field: 'shop' }) };
    shop = s;
  } else if (platform === 'bigcommerce') {
    storeHash = request.storeHash.trim().toLowerCase();
    if (!STORE_HASH.test(storeHash)) {
      return {
        ok: false,
        error: new UserError(
          'bigcommerce_store',
          `${show(request.storeHash.slice(0, 60))} is not a BigCommerce store hash: expected the letters and digits after /stores/ in the API path (Settings > API accounts), such as abc123.`,
          { field: 'store' },
        ),
      };
    }
  }

  if (raw === undefined || (platform !== 'woocommerce' && raw.trim() === '')) {
    switch (platform) {
      case 'netsuite':
        return ok(platform, new URL(restBaseUrl(request.accountId)), '');
      case 'shopify':
        if (shop === undefined) {
          return {
            ok: false,
            error: new UserError(
              'shopify_shop',
              'No Shopify shop was given: expected its myshopify name, such as my-store.',
              {
                field: 'shop',
              },
            ),
          };
        }
        return ok(platform, new URL(`https://${shop}.myshopify.com`), '', { shop });
      case 'bigcommerce':
        return ok(platform, new URL('https://api.bigcommerce.com'), `/stores/${storeHash}/v3`, {
          storeHash: storeHash!,
        });
      case 'woocommerce':
        return refuse(platform, '', new Refusal('woocommerce_url', 'no store address was given'));
    }
  }

  const parsed = parseUrl(raw, platform === 'netsuite');
  if (parsed instanceof Refusal) {
    return refuse(platform, raw, platform === 'woocommerce' ? new Refusal('woocommerce_url', parsed.reason) : parsed);
  }
  const { url, path } = parsed;
  const hostname = url.hostname;

  if (hostname === '127.0.0.1') {
    if (!request.allowLoopback) {
      return refuse(
        platform,
        raw,
        new Refusal(
          'api_destination_loopback',
          `127.0.0.1 is this computer; credentials are sent there ${SWITCH_ADVICE}`,
        ),
      );
    }
    return ok(platform, url, path, {
      ...(shop !== undefined ? { shop } : {}),
      ...(storeHash !== undefined ? { storeHash } : {}),
    });
  }

  const dns = dnsNameRefusal(hostname);
  if (dns) return refuse(platform, raw, dns);
  if (url.protocol !== 'https:') {
    if (platform === 'woocommerce') {
      return {
        ok: false,
        error: new UserError(
          'woocommerce_insecure',
          `Refusing to send the WooCommerce consumer key and secret to ${url.host} over plain HTTP: Basic authentication would expose them to anyone on the network path. Use the store's https:// address. (Plain HTTP is accepted only for 127.0.0.1, the local emulator, ${SWITCH_ADVICE}.)`,
          { field: 'url' },
        ),
      };
    }
    return refuse(platform, raw, new Refusal('api_destination', 'it is plain http:, not https:'));
  }
  if (platform !== 'woocommerce' && url.port !== '') {
    return refuse(platform, raw, new Refusal('api_destination', `it names port ${url.port}`));
  }

  switch (platform) {
    case 'netsuite': {
      if (!hostname.endsWith('.netsuite.com')) {
        return refuse(platform, raw, new Refusal('api_destination', `${hostname} is not a host under .netsuite.com`));
      }
      if (path !== '')
        return refuse(platform, raw, new Refusal('api_destination', 'it has a path; give the host only'));
      return ok(platform, url, '');
    }
    case 'shopify': {
      const m = /^([^.]+)\.myshopify\.com$/.exec(hostname);
      const hostShop = m ? shopOf(m[1]) : undefined;
      if (typeof hostShop !== 'string') {
        return refuse(platform, raw, new Refusal('api_destination', `${hostname} is not a myshopify.com shop address`));
      }
      if (shop !== undefined && hostShop !== shop) {
        return refuse(
          platform,
          raw,
          new Refusal('api_destination', `it is the address of the shop ${hostShop}, not of ${shop}`),
        );
      }
      if (path !== '' && !/^\/admin\/api\/(\d{4}-\d{2}|unstable)$/.test(path)) {
        return refuse(platform, raw, new Refusal('api_destination', 'it has a path other than /admin/api/<version>'));
      }
      return ok(platform, url, path, { shop: hostShop });
    }
    case 'bigcommerce': {
      if (hostname !== 'api.bigcommerce.com') {
        return refuse(platform, raw, new Refusal('api_destination', `${hostname} is not api.bigcommerce.com`));
      }
      const expected = `/stores/${storeHash}/v3`;
      if (path.toLowerCase() !== expected) {
        return refuse(
          platform,
          raw,
          new Refusal('api_destination', `its path is not ${expected} (the store asked for)`),
        );
      }
      return ok(platform, url, expected, { storeHash: storeHash! });
    }
    case 'woocommerce':
      return ok(platform, url, path);
  }
}

/** `checkApiDestination`, throwing its UserError. */
export function assertApiDestination(request: DestinationRequest): ApiDestination {
  const result = checkApiDestination(request);
  if (!result.ok) throw result.error;
  return result.destination;
}
