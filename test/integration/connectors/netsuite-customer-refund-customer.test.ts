import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { NetsuiteClient } from '../../../src/main/connectors/netsuite/client';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';

/**
 * Emulator rule: a Customer Refund names its customer in `customer` (apis.md, NetSuite record
 * bodies: "customerRefund: `customer`, `total`, `apply.items[]`"); Cash Refunds and Credit Memos
 * in `entity`. A record without its customer is refused as NetSuite does ("Please enter value(s)
 * for: Customer").
 */
let emu: NetsuiteEmulator;
let client: NetsuiteClient;
beforeAll(async () => {
  setLoopbackApisAllowed(true);
  emu = await startNetsuiteEmulator({ data: generateNetsuiteData({ refunds: 3, seed: 5 }) });
  client = new NetsuiteClient({
    accountId: emu.accountId,
    baseUrl: emu.url,
    auth: { kind: 'tba', ...DEFAULT_TBA },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  await emu?.close();
  setLoopbackApisAllowed(undefined);
});

describe('NetSuite emulator: the customer field of a Customer Refund', () => {
  it('accepts `customer` on a Customer Refund', async () => {
    const out = await client.upsertByExternalId('customerRefund', 'cr-ok-1', {
      customer: { id: '9001' },
      total: 10,
      tranDate: '2026-02-01',
    });
    expect(out.id).toMatch(/^\d+$/);
  });
  it('refuses a Customer Refund without its customer, naming the field', async () => {
    await expect(
      client.upsertByExternalId('customerRefund', 'cr-bad-1', { entity: { id: '9001' }, total: 10 }),
    ).rejects.toThrow(/Please enter value\(s\) for: Customer.*customer/);
  });
});
