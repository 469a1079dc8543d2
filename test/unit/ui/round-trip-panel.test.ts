import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Api } from '../../../src/preload/api-shape';
import { ApiContext } from '../../../src/renderer/api/context';
import { RoundTripPanel } from '../../../src/renderer/screens/round-trip-panel';

/** The round-trip control on a dry run: offered on a passing run; a run with a round trip shows what went where. */
type Run = Parameters<typeof RoundTripPanel>[0]['run'];

const base: Run = {
  id: 3,
  accountId: 1,
  direction: 'storefront_to_netsuite',
  selection: { mode: 'refs', orderRefs: ['#1001'] },
  sourceSnapshotId: 1,
  status: 'pass',
  passed: 1,
  failed: 0,
  coverage: { required: [], available: [], covered: [], missing: [] },
  roundTrip: null,
  actor: 't',
  createdAt: '2026-12-06T20:00:00Z',
  orders: [],
};

function html(run: Run): string {
  return renderToStaticMarkup(
    createElement(ApiContext.Provider, { value: {} as Api }, createElement(RoundTripPanel, { run, onDone: () => {} })),
  );
}

describe('RoundTripPanel', () => {
  it('offers the round trip on a passing dry run only', () => {
    expect(html(base)).toContain('Round trip in the sandbox…');
    expect(html({ ...base, status: 'fail' })).not.toContain('Round trip in the sandbox');
  });

  it('shows where a round trip wrote and each problem in words, no amounts in minor units', () => {
    const out = html({
      ...base,
      status: 'fail',
      roundTrip: {
        target: 'NetSuite sandbox 1234567_SB1',
        sent: 1,
        readBack: 1,
        problems: ['#1001 cashRefund eid:shopify-refund-900001: tax: sent USD 4.96, read back none.'],
      },
    });
    expect(out).toContain('Round trip to NetSuite sandbox 1234567_SB1');
    expect(out).toContain('1 record sent, 1 read back');
    expect(out).toContain('tax: sent USD 4.96, read back none.');
  });
});
