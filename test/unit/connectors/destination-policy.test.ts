import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkApiDestination,
  type DestinationRequest,
  LOOPBACK_SWITCH,
  loopbackApisAllowed,
  setLoopbackApisAllowed,
} from '../../../src/main/connectors/destination-policy';
import { UserError } from '../../../src/shared/errors';

/**
 * The one decision on where stored credentials may be sent (src/main/connectors/destination-policy.ts):
 * a table of hostile and legitimate addresses per platform, with the loopback switch off and on.
 */

type Row = [raw: string, expected: string | null];

const ns = (url: string | undefined, allowLoopback = false): DestinationRequest => ({
  platform: 'netsuite',
  accountId: '1234567_SB1',
  url,
  allowLoopback,
});
const shop = (
  url: string | undefined,
  allowLoopback = false,
  name: string | undefined = 'demo',
): DestinationRequest => ({
  platform: 'shopify',
  shop: name,
  url,
  allowLoopback,
});
const bc = (url: string | undefined, allowLoopback = false): DestinationRequest => ({
  platform: 'bigcommerce',
  storeHash: 'abc123',
  url,
  allowLoopback,
});
const woo = (url: string, allowLoopback = false): DestinationRequest => ({
  platform: 'woocommerce',
  url,
  allowLoopback,
});

function outcome(request: DestinationRequest): string | null {
  const r = checkApiDestination(request);
  if (r.ok) return r.destination.baseUrl;
  expect(r.error).toBeInstanceOf(UserError);
  expect(r.error.message.length).toBeGreaterThan(20);
  return null;
}

// Other hosts: refused for the vendors. (For WooCommerce any public https host is a possible store:
// there the secrets bind the key pair to its origin; see test/unit/connectors/woocommerce-secrets.test.ts.)
const OTHER_HOSTS = [
  'https://evil.example',
  'https://attacker.example/stores/abc123/v3',
  'https://demo.myshopify.com.evil.example',
  'https://myshopify.com.evil.example',
  'https://api.bigcommerce.com.evil.example/stores/abc123/v3',
  'https://suitetalk.api.netsuite.com.evil.example',
];

// Hostile forms refused for every platform, whatever the switch says.
const HOSTILE_EVERYWHERE = [
  'https://evil.myshopify.com@attacker.example',
  'https://demo.myshopify.com@127.0.0.1:9',
  'https://user:pass@demo.myshopify.com',
  'https://@demo.myshopify.com',
  'http://localhost:8080',
  'https://localhost',
  'http://LOCALHOST:8080',
  'http://api.localhost:8080',
  'http://[::1]:8080',
  'http://[0:0:0:0:0:0:0:1]:8080',
  'http://[::ffff:127.0.0.1]:8080',
  'http://[::ffff:7f00:1]:8080',
  'http://2130706433:8080',
  'http://0x7f.0.0.1:8080',
  'http://0x7f000001:8080',
  'http://127.1:8080',
  'http://0177.0.0.1:8080',
  'http://127.000.000.001:8080',
  'http://127.0.0.2:8080',
  'http://0.0.0.0:8080',
  'https://10.0.0.5',
  'https://169.254.169.254',
  'https://192.168.1.1:8443',
  'file:///etc/passwd',
  'file://demo.myshopify.com/etc/passwd',
  'data:text/plain,hello',
  'javascript:alert(1)',
  'ftp://demo.myshopify.com',
  'ws://127.0.0.1:8080',
  'gopher://127.0.0.1:70',
  'https:evil.example',
  'https:/evil.example',
  'https://evil.example\\@demo.myshopify.com',
  'https://evil.example\\.myshopify.com',
  'https://ev\til.example',
  'https://evil.example\n.myshopify.com',
  'https://evil.example%00.myshopify.com',
  'https://demo%2emyshopify.com',
  'https://ex%61mple.com',
  'https://dеmo.myshopify.com', // Cyrillic е
  'https://ｄｅｍｏ.myshopify.com', // full-width
  'https://evil.example/?x=https://demo.myshopify.com',
  'https://evil.example#https://demo.myshopify.com',
  'https://evil.example./',
  'https://',
  '//evil.example',
];

describe('checkApiDestination: hostile addresses', () => {
  for (const allowLoopback of [false, true]) {
    describe(`loopback switch ${allowLoopback ? 'on' : 'off'}`, () => {
      it.each(OTHER_HOSTS)('refuses %j for NetSuite, Shopify and BigCommerce', (raw) => {
        expect(outcome(ns(raw, allowLoopback))).toBeNull();
        expect(outcome(shop(raw, allowLoopback))).toBeNull();
        expect(outcome(bc(raw, allowLoopback))).toBeNull();
      });
      it.each(HOSTILE_EVERYWHERE)('refuses %j for every platform', (raw) => {
        expect(outcome(ns(raw, allowLoopback))).toBeNull();
        expect(outcome(shop(raw, allowLoopback))).toBeNull();
        expect(outcome(bc(raw, allowLoopback))).toBeNull();
        expect(outcome(woo(raw, allowLoopback))).toBeNull();
      });
    });
  }
});

describe('checkApiDestination: NetSuite', () => {
  const rows: Row[] = [
    ['https://1234567-sb1.suitetalk.api.netsuite.com', 'https://1234567-sb1.suitetalk.api.netsuite.com'],
    ['https://1234567-sb1.suitetalk.api.netsuite.com/', 'https://1234567-sb1.suitetalk.api.netsuite.com'],
    ['1234567-sb1.suitetalk.api.netsuite.com', 'https://1234567-sb1.suitetalk.api.netsuite.com'],
    ['HTTPS://1234567-SB1.SuiteTalk.API.NetSuite.com', 'https://1234567-sb1.suitetalk.api.netsuite.com'],
    ['https://1234567-sb1.suitetalk.api.netsuite.com:443', 'https://1234567-sb1.suitetalk.api.netsuite.com'],
    ['https://1234567.restlets.api.netsuite.com', 'https://1234567.restlets.api.netsuite.com'],
    ['http://1234567-sb1.suitetalk.api.netsuite.com', null],
    ['https://1234567-sb1.suitetalk.api.netsuite.com:8443', null],
    ['https://1234567-sb1.suitetalk.api.netsuite.com.', null],
    ['https://1234567-sb1.suitetalk.api.netsuite.com.evil.example', null],
    ['https://netsuite.com', null],
    ['https://evilnetsuite.com', null],
    ['https://evil-netsuite.com', null],
    ['https://netsuite.com.evil.example', null],
    ['https://1234567.suitetalk.api.netsuite.com/services/rest', null],
    ['https://1234567.suitetalk.api.netsuite.com/../x', null],
    ['https://xn--80ak6aa92e.com', null],
    ['https://1234567.suitetalk.api.netsuite.co', null],
    ['http://127.0.0.1:9000', null],
    ['127.0.0.1:9000', null],
  ];
  it.each(rows)('%j → %j', (raw, expected) => expect(outcome(ns(raw))).toBe(expected));

  it('derives the host from the account ID when no override is given', () => {
    expect(outcome(ns(undefined))).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
    // An empty override is no override (the contract's optional field sent as "").
    expect(outcome(ns(''))).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
    expect(outcome(ns('   '))).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
    expect(outcome({ platform: 'netsuite', accountId: '1234567_SB1.evil.example', allowLoopback: true })).toBeNull();
    expect(outcome({ platform: 'netsuite', accountId: '../x', allowLoopback: true })).toBeNull();
  });
});

describe('checkApiDestination: Shopify', () => {
  const rows: Row[] = [
    ['https://demo.myshopify.com', 'https://demo.myshopify.com'],
    ['https://demo.myshopify.com/', 'https://demo.myshopify.com'],
    ['HTTPS://DEMO.MYSHOPIFY.COM', 'https://demo.myshopify.com'],
    ['https://demo.myshopify.com/admin/api/2025-07', 'https://demo.myshopify.com/admin/api/2025-07'],
    ['http://demo.myshopify.com', null],
    ['https://demo.myshopify.com:8443', null],
    ['https://demo.myshopify.com.', null],
    ['https://other.myshopify.com', null],
    ['https://myshopify.com', null],
    ['https://demo.evil.myshopify.com', null],
    ['https://demo-myshopify.com', null],
    ['https://demo.myshopify.com/admin/api/2025-07/../../x', null],
    ['https://demo.myshopify.com/%2e%2e/x', null],
    ['https://demo.myshopify.com/x', null],
    ['https://demo.myshopify.com//admin/api/2025-07', null],
    ['https://demo.shopify.com', null],
    ['demo.myshopify.com', null],
    ['http://127.0.0.1:9000', null],
  ];
  it.each(rows)('%j → %j', (raw, expected) => expect(outcome(shop(raw))).toBe(expected));

  it('binds the address to the shop asked for; the default comes from the shop name', () => {
    expect(outcome(shop(undefined))).toBe('https://demo.myshopify.com');
    expect(outcome(shop(undefined, false, 'My-Store.myshopify.com'))).toBe('https://my-store.myshopify.com');
    expect(outcome({ platform: 'shopify', url: 'https://demo.myshopify.com', allowLoopback: false })).toBe(
      'https://demo.myshopify.com',
    );
    for (const bad of [
      'evil.example',
      'demo.myshopify.com.evil',
      'a@b',
      '../x',
      '-demo',
      'demo-',
      'xn--80ak6aa92e',
      '',
    ]) {
      expect(outcome(shop(undefined, true, bad)), bad).toBeNull();
    }
    expect(outcome({ platform: 'shopify', allowLoopback: true })).toBeNull();
    const r = checkApiDestination(shop(undefined, false, 'Demo'));
    expect(r.ok && r.destination.shop).toBe('demo');
  });
});

describe('checkApiDestination: BigCommerce', () => {
  const rows: Row[] = [
    ['https://api.bigcommerce.com/stores/abc123/v3', 'https://api.bigcommerce.com/stores/abc123/v3'],
    ['https://api.bigcommerce.com/stores/abc123/v3/', 'https://api.bigcommerce.com/stores/abc123/v3'],
    ['https://API.BIGCOMMERCE.COM/stores/ABC123/v3', 'https://api.bigcommerce.com/stores/abc123/v3'],
    ['https://api.bigcommerce.com/stores/other/v3', null],
    ['https://api.bigcommerce.com/stores/abc123/v3/../../other/v3', null],
    ['https://api.bigcommerce.com/stores/abc123/v2', null],
    ['https://api.bigcommerce.com', null],
    ['http://api.bigcommerce.com/stores/abc123/v3', null],
    ['https://api.bigcommerce.com:8443/stores/abc123/v3', null],
    ['https://api.bigcommerce.com./stores/abc123/v3', null],
    ['https://api.bigcommerce.com.evil.example/stores/abc123/v3', null],
    ['https://store-abc123.mybigcommerce.com/stores/abc123/v3', null],
    ['http://127.0.0.1:9000/stores/abc123/v3', null],
  ];
  it.each(rows)('%j → %j', (raw, expected) => expect(outcome(bc(raw))).toBe(expected));

  it('the default is the vendor base for the store hash; a bad hash is refused', () => {
    expect(outcome(bc(undefined))).toBe('https://api.bigcommerce.com/stores/abc123/v3');
    for (const bad of ['', 'abc/../x', 'abc.evil', 'a b']) {
      expect(outcome({ platform: 'bigcommerce', storeHash: bad, allowLoopback: true })).toBeNull();
    }
  });
});

describe('checkApiDestination: WooCommerce', () => {
  const rows: Row[] = [
    ['https://shop.example.com', 'https://shop.example.com'],
    ['https://shop.example.com/', 'https://shop.example.com'],
    ['https://Shop.Example.com/store/', 'https://shop.example.com/store'],
    ['https://shop.example.com:8443', 'https://shop.example.com:8443'],
    ['https://xn--bcher-kva.example', 'https://xn--bcher-kva.example'],
    ['http://shop.example.com', null],
    ['https://bücher.example', null],
    ['https://shop', null],
    ['https://shop.example.com./', null],
    ['https://shop.example.com/store/../../x', null],
    ['https://shop.example.com/%2e%2e/x', null],
    ['https://shop.example.com/a%2fb', null],
    ['http://127.0.0.1:9000', null],
  ];
  it.each(rows)('%j → %j', (raw, expected) => expect(outcome(woo(raw))).toBe(expected));

  it('an empty store address is refused (there is no default store)', () => {
    expect(outcome(woo(''))).toBeNull();
    expect(outcome(woo('   ', true))).toBeNull();
  });

  it('plain HTTP is refused in words (woocommerce_insecure)', () => {
    const r = checkApiDestination(woo('http://shop.example.com'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('woocommerce_insecure');
      expect(r.error.message).toMatch(/over plain HTTP: Basic authentication would expose them/);
    }
  });

  it('the destination carries the origin and host the secrets are scoped by', () => {
    const r = checkApiDestination(woo('https://Shop.Example.com:8443/store'));
    expect(r).toMatchObject({
      ok: true,
      destination: { origin: 'https://shop.example.com:8443', host: 'shop.example.com:8443', loopback: false },
    });
  });
});

describe('loopback (the emulators) only behind the switch', () => {
  const loopback: Array<[DestinationRequest, string]> = [
    [ns('http://127.0.0.1:9000', true), 'http://127.0.0.1:9000'],
    [ns('http://127.0.0.1:9000/', true), 'http://127.0.0.1:9000'],
    [ns('127.0.0.1:9000', true), 'https://127.0.0.1:9000'],
    [shop('http://127.0.0.1:9000', true), 'http://127.0.0.1:9000'],
    [{ platform: 'shopify', url: 'http://127.0.0.1:9000', allowLoopback: true }, 'http://127.0.0.1:9000'],
    [bc('http://127.0.0.1:9000/stores/abc123/v3', true), 'http://127.0.0.1:9000/stores/abc123/v3'],
    [woo('http://127.0.0.1:9000', true), 'http://127.0.0.1:9000'],
  ];
  it.each(loopback)('%j → %s with the switch, refused without', (request, expected) => {
    expect(outcome(request)).toBe(expected);
    expect(outcome({ ...request, allowLoopback: false })).toBeNull();
    const off = checkApiDestination({ ...request, allowLoopback: false });
    expect(off.ok === false && off.error.code).toBe('api_destination_loopback');
    expect(off.ok === false && off.error.message).toContain(LOOPBACK_SWITCH);
  });

  it('even with the switch: only 127.0.0.1 as typed, no other loopback spelling, no path tricks', () => {
    for (const raw of [
      'http://localhost:9000',
      'http://127.1:9000',
      'http://[::1]:9000',
      'http://127.0.0.1.:9000',
      'http://127.0.0.1:9000/../x',
      'http://127.0.0.1:9000/a/%2e%2e/x',
      'http://user@127.0.0.1:9000',
      'http://127.0.0.1:port',
      'http://127.0.0.1:9000?x=1',
    ]) {
      expect(outcome(ns(raw, true)), raw).toBeNull();
      expect(outcome(shop(raw, true)), raw).toBeNull();
      expect(outcome(woo(raw, true)), raw).toBeNull();
    }
  });

  it('messages quote the address without echoing control characters, and name the field', () => {
    const r = checkApiDestination(shop('https://evil.example\n\u0007', false));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).not.toContain('\n');
      expect(r.error.message).not.toContain('\u0007');
      expect(r.error.location).toEqual({ field: 'baseUrl' });
    }
  });
});

describe('the process switch', () => {
  afterEach(() => setLoopbackApisAllowed(undefined));

  it(`is on only for ${LOOPBACK_SWITCH}=1, read once`, () => {
    const before = process.env[LOOPBACK_SWITCH];
    try {
      for (const [value, expected] of [
        ['1', true],
        ['0', false],
        ['true', false],
        ['', false],
        [undefined, false],
      ] as const) {
        setLoopbackApisAllowed(undefined);
        if (value === undefined) delete process.env[LOOPBACK_SWITCH];
        else process.env[LOOPBACK_SWITCH] = value;
        expect(loopbackApisAllowed(), String(value)).toBe(expected);
      }
      // Read once: a later change of the environment does not turn it on.
      setLoopbackApisAllowed(undefined);
      process.env[LOOPBACK_SWITCH] = '0';
      expect(loopbackApisAllowed()).toBe(false);
      process.env[LOOPBACK_SWITCH] = '1';
      expect(loopbackApisAllowed()).toBe(false);
    } finally {
      if (before === undefined) delete process.env[LOOPBACK_SWITCH];
      else process.env[LOOPBACK_SWITCH] = before;
    }
  });
});

describe('property: whatever the string, an approved address is a vendor host or 127.0.0.1 with the switch', () => {
  const pieces = fc.constantFrom(
    'https://',
    'http://',
    'demo.myshopify.com',
    'api.bigcommerce.com',
    '1234567.suitetalk.api.netsuite.com',
    'evil.example',
    '127.0.0.1',
    '@',
    ':',
    '8080',
    '/',
    '..',
    '.',
    '%2e',
    '\\',
    '[::1]',
    'stores/abc123/v3',
    '#',
    '?',
    'localhost',
    'xn--',
  );
  it('never approves another host', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 8 }), fc.boolean(), (parts, allowLoopback) => {
        const raw = parts.join('');
        for (const request of [ns(raw, allowLoopback), shop(raw, allowLoopback), bc(raw, allowLoopback)]) {
          const r = checkApiDestination(request);
          if (!r.ok) continue;
          const url = new URL(r.destination.baseUrl);
          const host = url.hostname;
          if (host === '127.0.0.1') {
            expect(allowLoopback).toBe(true);
            continue;
          }
          expect(url.protocol).toBe('https:');
          expect(url.port).toBe('');
          expect(url.username + url.password).toBe('');
          if (request.platform === 'netsuite') expect(host.endsWith('.netsuite.com')).toBe(true);
          if (request.platform === 'shopify') expect(host).toBe('demo.myshopify.com');
          if (request.platform === 'bigcommerce')
            expect(r.destination.baseUrl).toBe('https://api.bigcommerce.com/stores/abc123/v3');
        }
      }),
      { numRuns: 3000 },
    );
  });
});
