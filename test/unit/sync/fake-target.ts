import type { JournalEntry } from '../../../src/main/sync/journal';
import { PushSendError, type PushTarget } from '../../../src/main/sync/targets/target';

/** An in-memory target: records every request, holds what was written, can fail on demand. */
export class FakeTarget implements PushTarget {
  readonly name = 'fake';
  readonly store = new Map<string, string>();
  readonly log: { op: 'find' | 'send'; key: string }[] = [];
  failKeys = new Set<string>();
  next = 1;
  keyOf(entry: JournalEntry): string {
    const p = entry.payload as { externalId?: string; recordType?: string; key?: string };
    return p.externalId ? `${p.recordType}:${p.externalId}` : (p.key ?? entry.idempotencyKey);
  }
  async find(entry: JournalEntry): Promise<string | null> {
    const key = this.keyOf(entry);
    this.log.push({ op: 'find', key });
    return this.store.get(key) ?? null;
  }
  async send(entry: JournalEntry): Promise<string | null> {
    const key = this.keyOf(entry);
    this.log.push({ op: 'send', key });
    if (this.failKeys.has(key)) throw new PushSendError(`HTTP 503 for ${key}`, true);
    const id = this.store.get(key) ?? String(this.next++);
    this.store.set(key, id);
    return id;
  }
  sends(): number {
    return this.log.filter((l) => l.op === 'send').length;
  }
}
