import { UserError } from '../../../shared/errors';
import type { NetsuiteClient } from '../../connectors/netsuite/client';
import type { NetsuiteWrite } from '../builders/netsuite-record';
import { PushSendError, type PushTarget, type TargetEntry } from './target';

function isNotFound(error: unknown): boolean {
  if (!(error instanceof UserError)) return false;
  const details = error.details as { status?: number } | undefined;
  return details?.status === 404;
}

/** NetSuite as a push target: find = `GET …/<type>/eid:<externalId>`, send = `PUT …/eid:` upsert. */
export class NetsuiteTarget implements PushTarget {
  readonly name = 'netsuite';
  constructor(private readonly client: NetsuiteClient) {}

  async find(entry: TargetEntry, signal?: AbortSignal): Promise<string | null> {
    const write = entry.payload as NetsuiteWrite;
    try {
      const record = await this.client.getRecord(write.recordType, `eid:${write.externalId}`, signal ? { signal } : {});
      // Found only when NetSuite names the record's internal id: a `{}` proves nothing either way.
      if (typeof record.id === 'string' && record.id !== '') return record.id;
      if (typeof record.id === 'number' && Number.isSafeInteger(record.id)) return String(record.id);
      throw new PushSendError(
        `NetSuite answered the read-back of ${write.recordType} eid:${write.externalId} without the record's internal id; whether it exists is unknown. Retry: it is read back before anything is sent.`,
        true,
      );
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async send(entry: TargetEntry, signal?: AbortSignal): Promise<string | null> {
    const write = entry.payload as NetsuiteWrite;
    try {
      const result = await this.client.upsertByExternalId(
        write.recordType,
        write.externalId,
        write.body,
        signal ? { signal } : {},
      );
      // No Location (no internal id) → null: the push engine reads the record back to confirm it.
      return result.id ? result.id : null;
    } catch (error) {
      if (error instanceof UserError) {
        const status = (error.details as { status?: number } | undefined)?.status ?? 0;
        throw new PushSendError(error.message, status === 429 || status >= 500 || status === 0);
      }
      throw error;
    }
  }
}
