import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkApiDestination } from '../../../../src/main/connectors/destination-policy';
import { hostLabelOf, realmOf, restBaseUrl } from '../../../../src/main/connectors/netsuite/account';
import {
  parseOAuthHeader,
  percentEncode,
  signatureBaseString,
  signTba,
} from '../../../../src/main/connectors/netsuite/tba';

// Oracle's published inputs (apis.md §1.2, help topics section_1534941088 / section_1534941295).
const V = {
  consumerKey: 'ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4',
  consumerSecret: 'd26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5',
  token: '2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc',
  tokenSecret: 'c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295',
  nonce: 'fjaLirsIcCGVZWzBX0pg',
  timestamp: '1508242306',
  realm: '123456',
};
const URL_A = 'https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40';
const BASE_A =
  'GET&https%3A%2F%2F123456.suitetalk.api.netsuite.com%2Fservices%2Frest%2Frecord%2Fv1%2Femployee%2F40&oauth_consumer_key%3Def40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4%26oauth_nonce%3DfjaLirsIcCGVZWzBX0pg%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1508242306%26oauth_token%3D2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc%26oauth_version%3D1.0';
const HEADER_A = `OAuth realm="123456", oauth_token="${V.token}", oauth_consumer_key="${V.consumerKey}", oauth_nonce="fjaLirsIcCGVZWzBX0pg", oauth_timestamp="1508242306", oauth_signature_method="HMAC-SHA256", oauth_version="1.0", oauth_signature="B5OIWznZ2YP0OB7VrJrGkYsTh%2B8H%2B5T9Hag%2Bo92q0zY%3D"`;

describe('TBA signer', () => {
  it('reproduces Oracle vector A exactly: base string, signature and header', () => {
    const signed = signTba({ ...V, method: 'GET', url: URL_A });
    expect(signed.baseString).toBe(BASE_A);
    expect(signed.signature).toBe('B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY=');
    expect(signed.header).toBe(HEADER_A);
  });

  it('lower-cases scheme and host, drops the default port, keeps the path', () => {
    const a = signTba({
      ...V,
      method: 'get',
      url: 'HTTPS://123456.SuiteTalk.api.netsuite.com:443/services/rest/record/v1/employee/40',
    });
    expect(a.signature).toBe('B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY=');
  });

  it('signs a RESTlet URL with its query parameters sorted into the base string, not the realm', () => {
    const url = 'https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=6&deploy=1&q=a b+c%2Fd';
    const base = signatureBaseString('POST', url, {
      oauth_consumer_key: V.consumerKey,
      oauth_nonce: V.nonce,
      oauth_signature_method: 'HMAC-SHA256',
      oauth_timestamp: V.timestamp,
      oauth_token: V.token,
      oauth_version: '1.0',
    });
    // Base URL without the query; deploy < oauth_* < q < script in byte order; values RFC 3986 encoded
    // (space and '+' both decode to a space per form encoding, '/' is %2F), then encoded again.
    const params = [
      'deploy=1',
      `oauth_consumer_key=${V.consumerKey}`,
      `oauth_nonce=${V.nonce}`,
      'oauth_signature_method=HMAC-SHA256',
      `oauth_timestamp=${V.timestamp}`,
      `oauth_token=${V.token}`,
      'oauth_version=1.0',
      'q=a%20b%20c%2Fd',
      'script=6',
    ].join('&');
    expect(base).toBe(
      `POST&${percentEncode('https://123456.restlets.api.netsuite.com/app/site/hosting/restlet.nl')}&${percentEncode(params)}`,
    );
    expect(base).not.toContain('realm');
    const signed = signTba({ ...V, method: 'POST', url });
    expect(signed.baseString).toBe(base);
    expect(parseOAuthHeader(signed.header)?.realm).toBe('123456');
  });

  it('sorts by encoded key then value and encodes reserved characters', () => {
    expect(percentEncode("a b!*'()~._-")).toBe('a%20b%21%2A%27%28%29~._-');
    const base = signatureBaseString('GET', 'https://h.example/p?b=2&a=2&a=1', {});
    expect(base).toBe(`GET&${percentEncode('https://h.example/p')}&${percentEncode('a=1&a=2&b=2')}`);
  });

  it('derives host label and realm from the account ID', () => {
    expect(hostLabelOf('1234567_SB1')).toBe('1234567-sb1');
    expect(realmOf('1234567_SB1')).toBe('1234567_SB1');
    expect(realmOf('1234567-sb1')).toBe('1234567_SB1');
    expect(realmOf('tstdrv9')).toBe('TSTDRV9');
    expect(restBaseUrl('1234567_SB1')).toBe('https://1234567-sb1.suitetalk.api.netsuite.com');
    // Overrides go through the destination policy (test/unit/connectors/destination-policy.test.ts).
    expect(
      checkApiDestination({
        platform: 'netsuite',
        accountId: '1234567',
        url: 'http://127.0.0.1:9000/',
        allowLoopback: true,
      }),
    ).toMatchObject({ ok: true, destination: { baseUrl: 'http://127.0.0.1:9000' } });
    for (const bad of ['', '12 34', '../x', '1234567_SB1.evil.com', 'a@b']) {
      expect(() => realmOf(bad)).toThrow(/not a NetSuite account ID/);
    }
  });
});

describe('refund-recon netsuite sign', () => {
  it('prints the Authorization header of vector A', () => {
    const bin = path.resolve(__dirname, '../../../../bin/refund-recon.js');
    const out = execFileSync(
      process.execPath,
      [
        bin,
        'netsuite',
        'sign',
        '--method',
        'GET',
        '--url',
        URL_A,
        '--account',
        '123456',
        '--consumer-key',
        V.consumerKey,
        '--consumer-secret',
        V.consumerSecret,
        '--token',
        V.token,
        '--token-secret',
        V.tokenSecret,
        '--nonce',
        V.nonce,
        '--timestamp',
        V.timestamp,
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe(HEADER_A);
  });
});
