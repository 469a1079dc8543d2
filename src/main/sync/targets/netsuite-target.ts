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
      return typeof record.id === 'string' ? record.id : String(record.id ?? write.externalId);
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
      return result.id;
    } catch (error) {
      if (error instanceof UserError) {
        const status = (error.details as { status?: number } | undefined)?.status ?? 0;
        throw new PushSendError(error.message, status === 429 || status >= 500 || status === 0);
      }
      throw error;
    }
  }
}
