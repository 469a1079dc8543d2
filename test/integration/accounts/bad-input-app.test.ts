import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { openWorkspace } from '../../../src/main/store/open';

/**
 * Issue 13 "Done when", bad input, through the contract as the Accounts screen calls it (the CLI's
 * side is test/integration/accounts/accounts-cli.test.ts): duplicate account names, an unknown
 * platform, a storefront linked to a missing NetSuite account, credentials for a host of another
 * vendor — each a clear error that says what to do, and nothing written (rows, audit, secrets).
 */

let dir: string;
let ctx: AppContext;
const secrets = new MemorySecretStore();

beforeAll(async () => {
  setSecretStore(secrets);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-bad-input-app-'));
  const workspacePath = path.join(dir, 'books.sqlite');
  ctx = { db: openWorkspace(workspacePath), workspacePath, isDemo: false, appVersion: 'test', emit: () => {} };
  for (const input of [
    { type: 'netsuite', name: 'NS sandbox', accountId: '1234567_SB1' },
    {
      type: 'storefront',
      name: 'Outfitters',
      platform: 'shopify',
      netsuite: 'NS sandbox',
      shop: 'outfitters.myshopify.com',
    },
  ]) {
    const added = await dispatch('account:add', input, ctx);
    expect(added.ok, JSON.stringify(added)).toBe(true);
  }
});
afterAll(() => {
  ctx.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Everything an account change could write: accounts, their settings and connections, the audit log, secrets. */
async function footprint(): Promise<string> {
  const q = (sql: string) => ctx.db.prepare(sql).all();
  return JSON.stringify({
    storefront: q('SELECT * FROM storefront_accounts ORDER BY id'),
    netsuite: q('SELECT * FROM netsuite_accounts ORDER BY id'),
    sync: q('SELECT * FROM refund_sync_settings ORDER BY storefront_account_id'),
    audit: q('SELECT COUNT(*) AS n FROM audit_log'),
    secrets: await secrets.list(),
  });
}

async function refused(channel: string, input: unknown, message: RegExp): Promise<void> {
  const before = await footprint();
  const result = await dispatch(channel, input, ctx);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error.message).toMatch(message);
    expect(result.error.message).not.toMatch(/\n\s+at /); // no stack trace
  }
  expect(await footprint()).toBe(before);
}

describe('the Accounts screen’s bad input: a clear error, nothing written', () => {
  it('a duplicate account name (any case, spaces around) is refused with what to do', async () => {
    await refused(
      'account:add',
      { type: 'storefront', name: ' outfitters ', platform: 'shopify', netsuite: 'NS sandbox' },
      /already exists.*choose another name/,
    );
    await refused('account:add', { type: 'netsuite', name: 'NS sandbox', accountId: '7654321' }, /already exists/);
    await refused(
      'account:add',
      { type: 'netsuite', name: 'Second', accountId: '1234567_sb1' },
      /already in this workspace/,
    );
  });

  it('an unknown platform is refused with the list of known ones', async () => {
    await refused(
      'account:add',
      { type: 'storefront', name: 'Other', platform: 'shopfy', netsuite: 'NS sandbox' },
      /not a storefront platform.*shopify, bigcommerce/,
    );
  });

  it('a storefront linked to a missing NetSuite account is refused, naming the ones there are', async () => {
    await refused(
      'account:add',
      { type: 'storefront', name: 'Other', platform: 'shopify', netsuite: 'Missing NS' },
      /no NetSuite account named "Missing NS".*NS sandbox/,
    );
  });

  it('credentials for a host of another vendor are refused, and no secret is stored', async () => {
    const accounts = (await dispatch('account:list', {}, ctx)) as {
      ok: true;
      value: { storefront: { id: number }[]; netsuite: { id: number }[] };
    };
    await refused(
      'connection:set',
      {
        type: 'netsuite',
        id: accounts.value.netsuite[0]!.id,
        host: 'https://outfitters.myshopify.com',
        authMethod: 'tba',
        secrets: { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'ts' },
      },
      /netsuite\.com/,
    );
    await refused(
      'connection:set',
      {
        type: 'storefront',
        id: accounts.value.storefront[0]!.id,
        host: 'https://1234567-sb1.suitetalk.api.netsuite.com',
        secrets: { accessToken: 'shpat_planted' },
      },
      /myshopify\.com/,
    );
  });
});
