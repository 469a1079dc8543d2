import { realmOf } from '../connectors/netsuite/account';
import { signTba, type TbaSignature } from '../connectors/netsuite/tba';

/**
 * Signs one request with NetSuite TBA (OAuth 1.0, HMAC-SHA256), to debug a TBA setup
 * (`refund-recon netsuite sign`). A tool without a workspace: no context argument.
 */
export interface SignNetsuiteInput {
  method: string;
  url: string;
  /** NetSuite account ID (1234567 or 1234567_SB1): gives the realm. */
  account: string;
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  nonce?: string;
  timestamp?: string;
}

export function signNetsuiteRequest(input: SignNetsuiteInput): TbaSignature {
  return signTba({
    method: input.method,
    url: input.url,
    realm: realmOf(input.account),
    consumerKey: input.consumerKey,
    consumerSecret: input.consumerSecret,
    token: input.token,
    tokenSecret: input.tokenSecret,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    ...(input.timestamp !== undefined ? { timestamp: input.timestamp } : {}),
  });
}
