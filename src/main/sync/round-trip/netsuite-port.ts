import { UserError } from '../../../shared/errors';
import { NETSUITE_ENVIRONMENT_LABELS, netsuiteEnvironmentOf } from '../../../shared/netsuite-environment';
import type { NetsuiteClient } from '../../connectors/netsuite/client';
import type { NetsuiteWrite } from '../builders/netsuite-record';
import type { JournalEntry } from '../journal';
import { NetsuiteTarget } from '../targets/netsuite-target';
import { apiMinor, moneyWords, sumOrNull } from './money-words';
import type { FieldValues, RoundTripPort, SandboxVerdict } from './port';

interface ItemLine {
  item?: { id?: unknown };
  quantity?: unknown;
  amount?: unknown;
  description?: unknown;
}

/** Descriptions the record builder gives the lines that carry tax and shipping (netsuite-record.ts). */
const TAX_LINE = 'Tax refund';
const SHIPPING_LINE = 'Shipping refund';

function itemsOf(record: Record<string, unknown>): ItemLine[] {
  const list = (record.item as { items?: unknown } | undefined)?.items;
  return Array.isArray(list) ? (list as ItemLine[]) : [];
}

/**
 * NetSuite as a round-trip target (storefront → NetSuite): a sandbox by its account ID only
 * (src/shared/netsuite-environment.ts); send = the push's upsert by External ID; read back =
 * `GET …/<type>/eid:<externalId>?expandSubResources=true`.
 */
export class NetsuiteRoundTripPort implements RoundTripPort {
  readonly direction = 'storefront_to_netsuite' as const;
  readonly where: string;
  readonly #target: NetsuiteTarget;

  constructor(
    private readonly client: NetsuiteClient,
    private readonly accountId: string,
    /** ISO code → NetSuite currency internal id (the account's sync options). */
    private readonly currencyIds: Readonly<Record<string, string>>,
  ) {
    this.where = `NetSuite account ${accountId}`;
    this.#target = new NetsuiteTarget(client);
  }

  async check(): Promise<SandboxVerdict> {
    const environment = netsuiteEnvironmentOf(this.accountId);
    if (environment === 'sandbox') return { sandbox: true, name: `NetSuite sandbox ${this.accountId}` };
    return {
      sandbox: false,
      reason: `NetSuite account ${this.accountId} is a ${NETSUITE_ENVIRONMENT_LABELS[environment]} account (its account ID has no _SB sandbox suffix): the round trip writes only to a sandbox.`,
    };
  }

  send(entry: JournalEntry, signal?: AbortSignal): Promise<string | null> {
    return this.#target.send(entry, signal);
  }

  #currencyWords(id: string | null, iso: string, refName?: string): string {
    if (!id) return `${iso} (no NetSuite currency id configured for it)`;
    const named = Object.entries(this.currencyIds).find(([, v]) => v === id)?.[0];
    return named ? `${named} (id ${id})` : `id ${id}${refName ? ` (${refName})` : ''}`;
  }

  #fields(
    record: Record<string, unknown>,
    recordType: string,
    currency: string,
    currencyId: string | null,
    refName?: string,
  ): FieldValues {
    const items = itemsOf(record);
    const amounts = items.map((l) => apiMinor(l.amount, currency));
    const total = recordType === 'customerRefund' ? apiMinor(record.total, currency) : sumOrNull(amounts);
    const part = (description: string) => {
      const hits = items
        .map((l, i) => (l.description === description ? amounts[i]! : undefined))
        .filter((a) => a !== undefined);
      return hits.length ? moneyWords(sumOrNull(hits), currency) : '';
    };
    return {
      total: moneyWords(total, currency),
      lines: items.map(
        (l, i) =>
          `item ${String(l.item?.id ?? '?')} × ${String(l.quantity ?? '?')} = ${moneyWords(amounts[i]!, currency)}`,
      ),
      tax: part(TAX_LINE),
      shipping: part(SHIPPING_LINE),
      externalId: typeof record.externalId === 'string' ? record.externalId : '',
      date: typeof record.tranDate === 'string' ? record.tranDate.slice(0, 10) : '',
      currency: this.#currencyWords(currencyId, currency, refName),
    };
  }

  expected(entry: JournalEntry): FieldValues {
    const write = entry.payload as NetsuiteWrite;
    const body = write.body as Record<string, unknown>;
    const sentId = (body.currency as { id?: unknown } | undefined)?.id;
    const currencyId = typeof sentId === 'string' ? sentId : (this.currencyIds[entry.currency ?? ''] ?? null);
    return this.#fields(body, write.recordType, entry.currency ?? '', currencyId);
  }

  async readBack(entry: JournalEntry, _remoteId: string | null, signal?: AbortSignal): Promise<FieldValues | null> {
    const write = entry.payload as NetsuiteWrite;
    let record: Record<string, unknown>;
    try {
      record = await this.client.getRecord(write.recordType, `eid:${write.externalId}`, {
        expandSubResources: true,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (error instanceof UserError && (error.details as { status?: number } | undefined)?.status === 404) return null;
      throw error;
    }
    const cur = record.currency as { id?: unknown; refName?: unknown } | undefined;
    return this.#fields(
      record,
      write.recordType,
      entry.currency ?? '',
      cur?.id === undefined ? null : String(cur.id),
      typeof cur?.refName === 'string' ? cur.refName : undefined,
    );
  }
}
