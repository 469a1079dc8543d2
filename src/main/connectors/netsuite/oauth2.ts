import { constants, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { UserError } from '../../../shared/errors';
import { isObject, parseAnswer } from '../answer-shape';
import { type HttpPolicy, HttpStatusError, jsonInspection } from '../http-policy';

/**
 * OAuth 2.0 client credentials (machine to machine, apis.md §1.3): a JWT assertion signed with the
 * private key of the certificate mapped in NetSuite, exchanged for a 60-minute bearer token. No
 * refresh token in this flow, so the token is cached and requested again shortly before expiry.
 */

export type JwtAlgorithm = 'PS256' | 'RS256' | 'ES256';

export interface OAuth2Credentials {
  clientId: string;
  /** Certificate ID from the M2M setup mapping. */
  certificateId: string;
  /** PEM private key. */
  privateKey: string;
  algorithm?: JwtAlgorithm;
  scopes?: readonly string[];
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function buildClientAssertion(
  credentials: OAuth2Credentials,
  tokenUrl: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const algorithm = credentials.algorithm ?? 'PS256';
  const header = { typ: 'JWT', alg: algorithm, kid: credentials.certificateId };
  const payload = {
    iss: credentials.clientId,
    scope: [...(credentials.scopes ?? ['rest_webservices'])],
    aud: tokenUrl,
    iat: nowSeconds,
    exp: nowSeconds + 3600,
    jti: randomUUID(),
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(credentials.privateKey);
  } catch {
    throw new UserError(
      'netsuite_oauth2_key',
      'The OAuth 2.0 private key could not be read: expected a PEM private key (-----BEGIN PRIVATE KEY-----) matching the certificate uploaded to NetSuite.',
      { field: 'privateKey' },
    );
  }
  const data = Buffer.from(signingInput);
  let signature: Buffer;
  if (algorithm === 'ES256') {
    signature = sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
  } else if (algorithm === 'PS256') {
    signature = sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  } else {
    signature = sign('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING });
  }
  return `${signingInput}.${base64url(signature)}`;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

export class OAuth2TokenSource {
  #cached: CachedToken | undefined;
  #pending: Promise<string> | undefined;
  /** Token requests made (for provenance and tests). */
  tokenRequests = 0;

  constructor(
    private readonly credentials: OAuth2Credentials,
    private readonly tokenUrl: string,
    private readonly http: HttpPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async token(signal?: AbortSignal): Promise<string> {
    if (this.#cached && this.#cached.expiresAt - 60_000 > this.now()) return this.#cached.value;
    this.#pending ??= this.#fetch(signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forget the token (after a 401 the server no longer accepts it). */
  invalidate(): void {
    this.#cached = undefined;
  }

  async #fetch(signal?: AbortSignal): Promise<string> {
    const assertion = buildClientAssertion(this.credentials, this.tokenUrl, Math.floor(this.now() / 1000));
    this.http.addSecret(assertion);
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }).toString();
    this.tokenRequests += 1;
    let text: string;
    try {
      const response = await this.http.send({
        method: 'POST',
        url: this.tokenUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        idempotent: true,
        inspect: jsonInspection,
        label: 'oauth2 token',
        ...(signal ? { signal } : {}),
      });
      text = response.text;
    } catch (error) {
      if (error instanceof HttpStatusError && (error.status === 400 || error.status === 401)) {
        throw new UserError(
          'netsuite_oauth2_rejected',
          `NetSuite refused the OAuth 2.0 client credentials (HTTP ${error.status}). Check the client ID, the certificate ID and that the certificate's key is the one configured, and that the integration record has the "Client Credentials (Machine to Machine) grant" enabled.`,
        );
      }
      throw error;
    }
    const answer = parseAnswer('netsuite', 'NetSuite', 'the OAuth 2.0 token request', 'a token object', text);
    const parsed = (isObject(answer) ? answer : {}) as { access_token?: unknown; expires_in?: unknown };
    if (typeof parsed.access_token !== 'string') {
      throw new UserError('netsuite_oauth2_response', 'NetSuite answered the token request without an access_token.');
    }
    // expires_in is a string in Oracle's example and a number elsewhere: accept both.
    const seconds = Number(parsed.expires_in ?? 3600);
    this.#cached = {
      value: parsed.access_token,
      expiresAt: this.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000,
    };
    this.http.addSecret(parsed.access_token);
    return parsed.access_token;
  }
}
