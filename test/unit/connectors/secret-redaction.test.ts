import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpPolicy, HttpStatusError } from '../../../src/main/connectors/http-policy';
import { UserError } from '../../../src/shared/errors';
import {
  forgetSecretsForTests,
  redactSecrets,
  registerSecrets,
  secretForms,
} from '../../../src/shared/secret-redaction';

/** Issue 17 S1: one redaction mechanism, every form of every known secret. */

afterEach(() => forgetSecretsForTests());

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('secret redaction', () => {
  it('removes a secret and its base64, base64url, URL- and OAuth-encoded forms from any text', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 40 }).filter((s) => s.trim().length >= 6 && !s.includes('*')),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (secret, before, after) => {
          for (const form of [
            secret,
            b64(secret),
            b64(secret).replace(/=+$/, ''),
            Buffer.from(secret).toString('base64url'),
            encodeURIComponent(secret),
          ]) {
            const text = `${before}${form}${after}`;
            expect(redactSecrets(text, [secret])).not.toContain(form);
          }
        },
      ),
    );
  });

  it('a UserError built after a secret is known never carries it, in its message or details', () => {
    registerSecrets(['ck_PLANTED_abcdef123456']);
    const e = new UserError('x', `echo ck_PLANTED_abcdef123456 and ${b64('ck_PLANTED_abcdef123456')}`, undefined, {
      body: { detail: `Basic ${b64('ck_PLANTED_abcdef123456')}` },
    });
    expect(JSON.stringify(e.toShape())).not.toMatch(/PLANTED|Y2tfUExBTlRFRF9hYmNkZWYxMjM0NTY/);
    expect(e.message).toContain('***');
  });

  it('short values are not treated as secrets (no redaction of ordinary words or account ids)', () => {
    expect(secretForms('abc')).toEqual([]);
    registerSecrets(['abc', '1234567']);
    expect(redactSecrets('abc abc account 1234567')).toBe('abc abc account 1234567');
  });

  it('the HTTP policy keeps error bodies without any form of its secrets', async () => {
    const secret = 'PLANTED-token-0f9e8d7c6b5a';
    const server = http.createServer((req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echoed: req.headers.authorization, raw: secret, url: encodeURIComponent(secret) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      const policy = new HttpPolicy({ account: 'test', secrets: [secret], maxAttempts: 1 });
      const error = await policy
        .send({
          method: 'GET',
          url: `http://127.0.0.1:${port}/x`,
          headers: { authorization: `Basic ${b64(`key:${secret}`)}` },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpStatusError);
      const text = (error as HttpStatusError).text;
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
      expect(text).toContain('***');
    } finally {
      server.close();
    }
  });
});
