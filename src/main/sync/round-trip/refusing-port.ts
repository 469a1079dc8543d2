import type { Platform } from '../../../shared/model';
import { PushSendError } from '../targets/target';
import type { FieldValues, RoundTripPort, SandboxVerdict } from './port';

/**
 * The round-trip target of a storefront whose API cannot say whether a store is a test store
 * (BigCommerce, WooCommerce, and the platforms without a push). Rule (docs/sync.md "Round trip"):
 * refused, always, before anything is sent. BigCommerce's store information (`GET /v2/store`) and
 * WooCommerce's system status carry no sandbox flag, a test store is reached through the same
 * hosts as a live one, and a label set by the user is exactly what issue 17 Y2 says cannot be
 * trusted. Test these directions with the dry run (which sends nothing) and a push to a store you
 * set up for testing, one refund at a time.
 */
export class RefusingStorefrontPort implements RoundTripPort {
  readonly direction = 'netsuite_to_storefront' as const;
  readonly where: string;

  constructor(
    private readonly platform: Platform,
    name: string,
  ) {
    this.where = `the ${platform} store of ${name}`;
  }

  async check(): Promise<SandboxVerdict> {
    return {
      sandbox: false,
      reason: `A round trip writes real refunds, and the ${this.platform} API cannot say whether ${this.where} is a test store: round trips to ${this.platform} are refused. The dry run checks the refunds without sending them.`,
    };
  }

  async send(): Promise<string | null> {
    throw new PushSendError('Round trips to this storefront are refused.', false);
  }

  async readBack(): Promise<FieldValues | null> {
    return null;
  }

  expected(): FieldValues {
    return { total: '', lines: [], tax: '', shipping: '', externalId: '', date: '', currency: '' };
  }
}
