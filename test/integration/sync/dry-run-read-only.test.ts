import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { NetsuiteClient } from '../../../src/main/connectors/netsuite/client';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { runDryRun } from '../../../src/main/sync/dry-run';
import { NetsuiteRoundTripPort } from '../../../src/main/sync/round-trip/netsuite-port';
import { NetsuiteTarget } from '../../../src/main/sync/targets/netsuite-target';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import * as F from '../../fixtures/sync/refunds';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';

/** The dry run sends nothing that writes: the emulator's request log holds reads only. */
describe('dry run is read-only (emulator request log)', () => {
  let emu: NetsuiteEmulator;
  beforeAll(async () => {
    // The emulator is on 127.0.0.1: allowed as with REFUND_RECON_ALLOW_LOOPBACK_APIS=1.
    setLoopbackApisAllowed(true);
    emu = await startNetsuiteEmulator();
  });
  afterAll(async () => {
    setLoopbackApisAllowed(undefined);
    await emu?.close();
  });

  it('checks every fixture order against the live NetSuite emulator with GETs only; the round trip is the only writer', async () => {
    const w = await makeSyncWorkspace({ netsuiteBaseUrl: emu.url });
    setDirection(w.db, {
      accountId: w.accountId,
      direction: 'storefront_to_netsuite',
      confirmAgainstRecommendation: true,
      actor: 't',
    });
    const client = new NetsuiteClient({
      accountId: '1234567_SB1',
      baseUrl: emu.url,
      auth: { kind: 'tba', ...DEFAULT_TBA },
    });
    const target = new NetsuiteTarget(client);
    const roundTrip = new NetsuiteRoundTripPort(client, '1234567_SB1', F.OPTIONS.currencyIds);
    const before = emu.requests.length;
    const run = await runDryRun(
      w.db,
      { accountId: w.accountId, selection: { mode: 'sample', size: 50 }, actor: 't' },
      { target },
    );
    const log = emu.requests.slice(before);
    expect(run.orders.length).toBe(10);
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(Object.fromEntries(run.orders.map((o) => [o.orderRef, o.status]))).toMatchObject({
      '#1001': 'pass',
      '#1008': 'fail',
      '#1009': 'fail',
    });

    // Sandbox round trip (opt-in): sends, then reads back each record.
    const trip = await runDryRun(
      w.db,
      {
        accountId: w.accountId,
        selection: { mode: 'refs', orderRefs: ['#1001', '#1003'] },
        sandboxRoundTrip: true,
        actor: 't',
      },
      { target, roundTrip },
    );
    expect(trip.status).toBe('pass');
    expect(trip.roundTrip).toMatchObject({
      target: 'NetSuite sandbox 1234567_SB1',
      sent: 2,
      readBack: 2,
      problems: [],
    });
    const written = emu.db
      .prepare(
        'SELECT externalid FROM "transaction" WHERE externalid LIKE \'shopify-refund-90000%\' ORDER BY externalid',
      )
      .all();
    expect(written).toEqual([{ externalid: 'shopify-refund-900001' }, { externalid: 'shopify-refund-900003' }]);
  });
});
