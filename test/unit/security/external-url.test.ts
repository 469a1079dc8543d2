import { describe, expect, it } from 'vitest';
import { EXTERNAL_URL_HOSTS, isAllowedExternalUrl } from '../../../src/main/security/external-url';

describe('isAllowedExternalUrl (the gate in front of shell.openExternal)', () => {
  it.each([
    'https://help.shopify.com/en/manual/orders/refunds',
    'https://docs.oracle.com/en/cloud/saas/netsuite/',
    'https://shopify.dev/docs/api/admin-graphql?x=1#refunds',
    'https://HELP.SHOPIFY.COM/en',
    'https://woocommerce.com',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['plain http', 'http://help.shopify.com/en'],
    ['a host not on the list', 'https://evil.example/'],
    ['a look-alike suffix', 'https://help.shopify.com.evil.example/'],
    ['a look-alike prefix', 'https://evilhelp.shopify.com/'],
    ['a subdomain of an allowed host', 'https://x.shopify.dev/'],
    ['credentials (user@host confusion)', 'https://help.shopify.com@evil.example/'],
    ['user and password', 'https://a:b@help.shopify.com/'],
    ['an explicit port', 'https://help.shopify.com:8443/'],
    ['the default port written out', 'https://help.shopify.com:443/'],
    ['a trailing-dot host', 'https://help.shopify.com./'],
    ['file:', 'file:///C:/Windows/System32/calc.exe'],
    ['UNC via file:', 'file://attacker/share/payload.exe'],
    ['smb:', 'smb://attacker/share'],
    ['ms-msdt (Follina)', 'ms-msdt:/id PCWDiagnostic /skip force'],
    ['search-ms', 'search-ms:query=x&crumb=location:\\\\attacker\\share'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['the app scheme', 'app://renderer/index.html'],
    ['a custom handler', 'slack://open'],
    ['leading space', ' https://help.shopify.com/'],
    ['trailing newline', 'https://help.shopify.com/\n'],
    ['embedded tab', 'https://help.shop\tify.com/'],
    ['backslash host confusion', 'https://evil.example\\@help.shopify.com/'],
    ['backslash path', 'https:\\\\help.shopify.com/'],
    ['NUL', 'https://help.shopify.com/\u0000'],
    ['C1 control', 'https://help.shopify.com/\u0085'],
    ['percent-encoded host', 'https://help%2eshopify.com/'],
    ['IDN homograph (Cyrillic о)', 'https://help.shоpify.com/'],
    ['scheme in upper case', 'HTTPS://help.shopify.com/'],
    ['no slashes', 'https:help.shopify.com'],
    ['IPv4 literal', 'https://93.184.216.34/'],
    ['IPv6 literal', 'https://[::1]/'],
    ['empty', ''],
    ['too long', `https://help.shopify.com/${'a'.repeat(3000)}`],
  ])('refuses %s', (_what, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it.each([null, undefined, 42, {}, ['https://help.shopify.com/'], { toString: () => 'https://help.shopify.com/' }])(
    'refuses non-strings (%s)',
    (value) => {
      expect(isAllowedExternalUrl(value)).toBe(false);
    },
  );

  it('every allow-listed host is a plain lower-case DNS name', () => {
    for (const host of EXTERNAL_URL_HOSTS) expect(host).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });

  it('honours a caller-supplied host list and nothing else', () => {
    expect(isAllowedExternalUrl('https://example.org/', ['example.org'])).toBe(true);
    expect(isAllowedExternalUrl('https://help.shopify.com/', ['example.org'])).toBe(false);
  });
});
