import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { openWorkspace } from '../../../src/main/store/open';
import { runCli } from '../../support/run-cli-in-process';

/** Issue 13, items 1 and 2: the account commands, and bad input refused with nothing written. */

let dir: string;
let ws: string;
const home = process.env.REFUND_RECON_HOME;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-accounts-cli-'));
  process.env.REFUND_RECON_HOME = path.join(dir, 'home');
  setSecretStore(new MemorySecretStore());
  ws = path.join(dir, 'books.sqlite');
  expect((await runCli(['workspace', 'create', ws])).status).toBe(0);
});
afterAll(() => {
  if (home === undefined) delete process.env.REFUND_RECON_HOME;
  else process.env.REFUND_RECON_HOME = home;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every row of every table that holds accounts, settings or audit: a refused command changes none. */
function footprint(): string {
  const db = openWorkspace(ws);
  try {
    const tables = [
      'storefront_accounts',
      'netsuite_accounts',
      'refund_sync_settings',
      'audit_log',
      'readiness_confirmations',
    ];
    return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()));
  } finally {
    db.close();
  }
}

async function refused(args: string[], message: RegExp): Promise<void> {
  const before = footprint();
  const run = await runCli(args);
  expect(run.status, run.stderr).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(footprint()).toBe(before);
}

describe('refund-recon workspace / account', () => {
  it('creates a workspace, adds accounts and lists them in the documented JSON shape', async () => {
    expect((await runCli(['workspace', 'create', ws])).status).toBe(2); // never overwrites
    for (const [name, id] of [
      ['NS sandbox', '1234567_SB1'],
      ['NS production', '1234567'],
      ['NS preview', '1234567_RP'],
    ] as const) {
      const run = await runCli(['account', 'add', 'netsuite', '--workspace', ws, '--name', name, '--account-id', id]);
      expect(run.status, run.stderr).toBe(0);
    }
    const shop = await runCli([
      'account',
      'add',
      'storefront',
      '--workspace',
      ws,
      '--name',
      'Outfitters',
      '--platform',
      'shopify',
      '--netsuite',
      'NS sandbox',
      '--shop',
      'outfitters.myshopify.com',
      '--currency',
      'usd',
    ]);
    expect(shop.status, shop.stderr).toBe(0);
    const list = await runCli(['account', 'list', '--workspace', ws, '--json']);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      {
        name: 'NS preview',
        type: 'netsuite',
        platform: 'netsuite',
        accountId: '1234567_RP',
        environment: 'release_preview',
        direction: null,
        netsuite: null,
      },
      {
        name: 'NS production',
        type: 'netsuite',
        platform: 'netsuite',
        accountId: '1234567',
        environment: 'production',
        direction: null,
        netsuite: null,
      },
      {
        name: 'NS sandbox',
        type: 'netsuite',
        platform: 'netsuite',
        accountId: '1234567_SB1',
        environment: 'sandbox',
        direction: null,
        netsuite: null,
      },
      {
        name: 'Outfitters',
        type: 'storefront',
        platform: 'shopify',
        accountId: null,
        environment: 'sandbox',
        direction: 'off',
        netsuite: 'NS sandbox',
      },
    ]);
  });

  it('refuses bad input with a message that says what to do, and writes nothing', async () => {
    const add = ['account', 'add', 'storefront', '--workspace', ws];
    await refused(
      [...add, '--name', 'outfitters ', '--platform', 'shopify', '--netsuite', 'NS sandbox'],
      /already exists.*choose another name/,
    );
    await refused(
      ['account', 'add', 'netsuite', '--workspace', ws, '--name', 'NS sandbox', '--account-id', '7654321'],
      /already exists/,
    );
    await refused(
      [...add, '--name', 'Other', '--platform', 'shopfy', '--netsuite', 'NS sandbox'],
      /not a storefront platform.*shopify, bigcommerce/,
    );
    await refused(
      [...add, '--name', 'Other', '--platform', 'shopify', '--netsuite', 'Missing NS'],
      /no NetSuite account named "Missing NS".*NS sandbox/,
    );
    await refused(
      [...add, '--name', 'Other', '--platform', 'shopify', '--netsuite', 'NS sandbox', '--currency', 'XXY'],
      /ISO 4217/,
    );
    await refused(
      ['account', 'add', 'netsuite', '--workspace', ws, '--name', 'Bad', '--account-id', '12 34'],
      /not a NetSuite account ID/,
    );
    await refused(
      ['account', 'add', 'netsuite', '--workspace', ws, '--name', 'Dup', '--account-id', '1234567_sb1'],
      /already in this workspace/,
    );
    // Credentials for a host of another vendor: a NetSuite account pointed at a Shopify host.
    await refused(
      ['connection', 'set', 'NS sandbox', '--workspace', ws, '--host', 'https://outfitters.myshopify.com'],
      /netsuite\.com/,
    );
    await refused(
      [
        'connection',
        'set',
        'Outfitters',
        '--workspace',
        ws,
        '--host',
        'https://1234567-sb1.suitetalk.api.netsuite.com',
      ],
      /myshopify\.com/,
    );
    await refused(['account', 'direction', 'Outfitters', 'both', '--workspace', ws], /one way only/);
    await refused(['account', 'direction', 'NS sandbox', 'off', '--workspace', ws], /NetSuite account/);
    await refused(
      ['account', 'list', '--workspace', path.join(dir, 'nope.sqlite')],
      /does not exist: create it with "refund-recon workspace create/,
    );
  });

  it('edits an account; the NetSuite environment follows the ID and is never set by hand', async () => {
    const run = await runCli([
      'account',
      'edit',
      'NS production',
      '--workspace',
      ws,
      '--account-id',
      '1234567_SB2',
      '--name',
      'NS sandbox 2',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const list = JSON.parse((await runCli(['account', 'list', '--workspace', ws, '--json'])).stdout) as {
      name: string;
      environment: string;
    }[];
    expect(list.find((a) => a.name === 'NS sandbox 2')?.environment).toBe('sandbox');
    expect(
      (
        await runCli([
          'account',
          'add',
          'netsuite',
          '--workspace',
          ws,
          '--name',
          'X',
          '--account-id',
          '99',
          '--environment',
          'sandbox',
        ])
      ).status,
    ).toBe(2);
  });

  it('direction: against the recommendation needs --yes; readiness confirm and cutoff', async () => {
    const against = await runCli(['account', 'direction', 'Outfitters', 'storefront-to-netsuite', '--workspace', ws]);
    expect(against.status).toBe(2);
    expect(against.stderr).toMatch(/against the recommendation.*--yes/);
    const ok = await runCli(['account', 'direction', 'Outfitters', 'netsuite-to-storefront', '--workspace', ws]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(
      (
        await runCli([
          'readiness',
          'confirm',
          'Outfitters',
          'activation_steps',
          '--by',
          'Ann',
          '--workspace',
          ws,
          '--note',
          'installed',
        ])
      ).status,
    ).toBe(0);
    expect(
      (await runCli(['readiness', 'confirm', 'Outfitters', 'one_direction', '--by', 'Ann', '--workspace', ws])).status,
    ).toBe(2);
    expect(
      (await runCli(['readiness', 'confirm', 'Outfitters', 'nonsense', '--by', 'Ann', '--workspace', ws])).stderr,
    ).toMatch(/not a readiness item/);
    expect((await runCli(['readiness', 'cutoff', 'Outfitters', '2026-02-30', '--workspace', ws])).status).toBe(2);
    expect((await runCli(['readiness', 'cutoff', 'Outfitters', '2026-01-01', '--workspace', ws])).status).toBe(0);
    const show = JSON.parse(
      (await runCli(['readiness', 'show', 'Outfitters', '--workspace', ws, '--json'])).stdout,
    ) as {
      ready: boolean;
      items: { id: string; done: boolean; by: string | null; at: string | null; nextStep: string }[];
    };
    expect(show.ready).toBe(false);
    expect(show.items.map((i) => i.id)).toEqual([
      'activation_steps',
      'deployment_reviewed',
      'order_sync_tested',
      'refund_sync_validated',
      'one_direction',
    ]);
    expect(show.items[0]).toMatchObject({ done: true, by: 'Ann' });
    expect(show.items[2]!.nextStep).toMatch(/test order/);
    const db = openWorkspace(ws);
    const audit = db.prepare("SELECT action, actor FROM audit_log WHERE action LIKE 'readiness.%' ORDER BY id").all();
    db.close();
    expect(audit).toEqual([
      { action: 'readiness.confirm', actor: 'Ann' },
      { action: 'readiness.cutoff', actor: expect.any(String) },
    ]);
  });

  it('refuses to remove an account with pushed refunds in the journal, with the reason', async () => {
    const db = openWorkspace(ws);
    const id = (db.prepare("SELECT id FROM storefront_accounts WHERE name = 'Outfitters'").get() as { id: number }).id;
    db.prepare(
      `INSERT INTO push_journal (storefront_account_id, direction, refund_key, idempotency_key, target, payload, state, created_at, updated_at)
       VALUES (?, 'netsuite_to_storefront', 'k1', 'idem-1', 'shopify', '{}', 'confirmed', 'now', 'now')`,
    ).run(id);
    db.close();
    await refused(['account', 'remove', 'Outfitters', '--workspace', ws], /push journal holds 1 refund/);
    await refused(
      ['account', 'remove', 'NS sandbox', '--workspace', ws],
      /through the storefront account "Outfitters"/,
    );
    const removed = await runCli(['account', 'remove', 'NS preview', '--workspace', ws]);
    expect(removed.status, removed.stderr).toBe(0);
  });
});
