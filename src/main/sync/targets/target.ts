import { redactSecrets } from '../../../shared/secret-redaction';
import type { JournalEntry } from '../journal';

/** What a target reads of a journal row (a dry-run lookup builds one that was never journaled). */
export type TargetEntry = Omit<JournalEntry, 'destination'>;

/**
 * Where a push writes. `find` reads the target by the write's key (NetSuite: External ID;
 * storefronts: the key in the refund note) so that a write already present is never sent again.
 */
export interface PushTarget {
  readonly name: string;
  find(entry: TargetEntry, signal?: AbortSignal): Promise<string | null>;
  send(entry: TargetEntry, signal?: AbortSignal): Promise<string | null>;
  /**
   * Shopify: `RefundInput`'s input fields by introspection (`__type(name: "RefundInput")`, a read),
   * so a dry run knows whether an API version before 2025-10 takes `refundMethods` (tenders §5.3).
   */
  refundInputFields?(signal?: AbortSignal): Promise<string[] | null>;
}

/** A failure the target reports; `retryable` ones stay in the exception list for push:retry. */
export class PushSendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(redactSecrets(message));
    this.name = 'PushSendError';
  }
}
