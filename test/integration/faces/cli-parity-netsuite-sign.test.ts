import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signNetsuiteRequest } from '../../../src/main/use-cases/netsuite-sign';

/**
 * Issue 12: `refund-recon netsuite sign` has no app counterpart (a tool to debug a TBA setup), so
 * its pair is the use-case itself: the built CLI, spawned, prints exactly the header (and with
 * `--base-string`, the base string on stderr) that `signNetsuiteRequest` returns for the same
 * input, nonce and timestamp fixed.
 */

const root = path.resolve(__dirname, '../../..');

function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    const child = spawn(process.execPath, [path.join(root, 'bin', 'refund-recon.js'), ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const INPUT = {
  consumerKey: 'ck-4f1c9a',
  consumerSecret: 'cs-77e0b2',
  token: 'tk-1a2b3c',
  tokenSecret: 'ts-9z8y7x',
  nonce: 'fixedNonce20chars000',
  timestamp: '1767225600',
};

const flags = (i: typeof INPUT & { method: string; url: string; account: string }) => [
  'netsuite',
  'sign',
  '--method',
  i.method,
  '--url',
  i.url,
  '--account',
  i.account,
  '--consumer-key',
  i.consumerKey,
  '--consumer-secret',
  i.consumerSecret,
  '--token',
  i.token,
  '--token-secret',
  i.tokenSecret,
  '--nonce',
  i.nonce,
  '--timestamp',
  i.timestamp,
];

describe('netsuite sign prints what signNetsuiteRequest returns', { timeout: 60_000 }, () => {
  it.each([
    {
      method: 'GET',
      url: 'https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/creditMemo/eid:shopify-refund-9?expandSubResources=true',
      account: '1234567',
    },
    {
      method: 'POST',
      url: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=1000&offset=0',
      account: '1234567_SB1',
    },
  ])('$method on $account: same header, same base string', async (request) => {
    const input = { ...INPUT, ...request };
    const run = await cli(...flags(input), '--base-string');
    expect(run.status, run.stderr).toBe(0);
    const signed = signNetsuiteRequest(input);
    expect(run.stdout).toBe(`${signed.header}\n`);
    expect(run.stderr).toBe(`${signed.baseString}\n`);
  });

  it('the CLI takes the method in any case and signs it upper-cased, as the use-case is given it', async () => {
    const input = { ...INPUT, method: 'put', url: 'https://1234567.suitetalk.api.netsuite.com/x', account: '1234567' };
    const run = await cli(...flags(input));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${signNetsuiteRequest({ ...input, method: 'PUT' }).header}\n`);
  });
});
