import { describe, expect, it } from 'vitest';
import { bigcommerceErrorDetail } from '../../../../src/main/connectors/bigcommerce/client';
import { RateWindow } from '../../../../src/main/connectors/bigcommerce/rate-window';
import type { Clock } from '../../../../src/main/connectors/clock';
import { woocommerceErrorDetail } from '../../../../src/main/connectors/woocommerce/client';

/** A clock that only moves when someone sleeps. */
function manualClock(): Clock & { t: number; slept: number[] } {
  const c = {
    t: 0,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return c;
}

const headers = (left: number, resetMs: number) => ({
  headers: {
    'x-rate-limit-requests-left': String(left),
    'x-rate-limit-time-reset-ms': String(resetMs),
    'x-rate-limit-requests-quota': '150',
    'x-rate-limit-time-window-ms': '30000',
  },
  status: 200,
  text: '{}',
});

describe('BigCommerce RateWindow', () => {
  it('sends freely while requests are left, then waits X-Rate-Limit-Time-Reset-Ms at 0', async () => {
    const clock = manualClock();
    const w = new RateWindow(clock);
    await w.reserve();
    w.settle(headers(2, 12_000));
    await w.reserve();
    await w.reserve();
    expect(clock.slept).toEqual([]); // 2 left, 2 in flight: the third must wait
    const third = w.reserve();
    await third;
    expect(clock.slept).toEqual([12_000]);
    expect(w.waits).toBe(1);
  });

  it('keeps the lowest left of a window when answers arrive out of order, and resets with the window', async () => {
    const clock = manualClock();
    const w = new RateWindow(clock);
    w.observe(headers(10, 20_000).headers);
    w.observe(headers(3, 19_990).headers);
    w.observe(headers(7, 19_995).headers); // older answer, same window
    expect(w.left).toBe(3);
    clock.t += 25_000;
    await w.reserve(); // a new window: the quota again, no wait
    expect(clock.slept).toEqual([]);
    expect(w.left).toBe(150);
  });

  it('a 429 waits the reset time; a 429 without the headers (platform load) falls back to backoff', () => {
    expect(RateWindow.retryDelay({ status: 429, text: '', headers: headers(0, 4_500).headers })).toBe(4_500);
    expect(RateWindow.retryDelay({ status: 429, text: '', headers: {} })).toBeUndefined();
  });
});

describe('vendor error bodies in words', () => {
  it('BigCommerce: plain, wrapped and 503 shapes', () => {
    expect(
      bigcommerceErrorDetail(
        '{"status":422,"title":"JSON data is missing or invalid","type":"/x","errors":{"items.0.quantity":"must be positive"}}',
      ),
    ).toBe('JSON data is missing or invalid; items.0.quantity: must be positive');
    expect(
      bigcommerceErrorDetail(
        '{"data":[{"status":422,"title":"Unable to provide store credit for a guest customer.","type":"/x"}]}',
      ),
    ).toBe('Unable to provide store credit for a guest customer.');
    expect(
      bigcommerceErrorDetail('{"data":[{"order_id":1,"status":503,"error":"Tax service gone away"}],"meta":{}}'),
    ).toBe('Tax service gone away (order 1)');
    expect(bigcommerceErrorDetail('<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>');
  });

  it('WooCommerce: code, message and params', () => {
    expect(
      woocommerceErrorDetail(
        '{"code":"rest_invalid_param","message":"Invalid parameter(s): per_page","data":{"status":400,"params":{"per_page":"per_page must be between 1 (inclusive) and 100 (inclusive)"}}}',
      ),
    ).toEqual({
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): per_page (per_page: per_page must be between 1 (inclusive) and 100 (inclusive))',
    });
  });
});
