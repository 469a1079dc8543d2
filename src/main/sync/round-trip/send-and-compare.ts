import { UserError } from '../../../shared/errors';
import type { CanonicalRefund } from '../../../shared/model';
import type { JournalEntry, NewJournalEntry } from '../journal';
import { journalRowsFor, type SyncBuild } from '../plan';
import { compareFields } from './compare';
import type { RoundTripPort, RoundTripReport, RoundTripWrite } from './port';

/**
 * The gate of every round trip (issue 17 Y2): the TARGET of the direction tested must itself be a
 * sandbox — a NetSuite account by its ID, a Shopify store by its plan. Refused before anything is
 * sent; the port's check makes at most one read-only call.
 */
export async function requireSandboxTarget(port: RoundTripPort, signal?: AbortSignal): Promise<string> {
  const verdict = await port.check(signal);
  if (!verdict.sandbox) {
    throw new UserError('round_trip_refused', `Round trip refused; nothing was sent. ${verdict.reason}`, {
      field: 'sandboxRoundTrip',
    });
  }
  return verdict.name;
}

function entryOf(accountId: number, port: RoundTripPort, row: NewJournalEntry): JournalEntry {
  return {
    ...row,
    id: 0,
    accountId,
    direction: port.direction,
    // Never journaled: a round trip writes to the sandbox it names, not through the push journal.
    destination: `round-trip:${port.where}`,
    batchId: null,
    state: 'pending',
    attempts: 0,
    lastError: null,
    remoteId: null,
    createdAt: '',
    updatedAt: '',
  };
}

function recordWords(row: NewJournalEntry): string {
  const payload = row.payload as { recordType?: string; externalId?: string; kind?: string; path?: string };
  if (payload.recordType && payload.externalId) return `${payload.recordType} eid:${payload.externalId}`;
  return `${row.target.replace(/^[a-z]+:/, '')} on order ${row.orderRef}`;
}

function errorWords(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends each would-be record to the sandbox, reads it back and compares it field by field with
 * what was sent. Any refusal (4xx), server error (5xx), missing record or differing field is a
 * problem in words; a refund's later steps are not sent after a failed step.
 */
export async function sendAndCompare(
  accountId: number,
  port: RoundTripPort,
  sandbox: string,
  builds: readonly { refund: CanonicalRefund; build: SyncBuild }[],
  signal?: AbortSignal,
): Promise<RoundTripReport> {
  const report: RoundTripReport = { target: sandbox, sent: 0, readBack: 0, problems: [], writes: [] };
  for (const { refund, build } of builds) {
    let failedStep = false;
    for (const row of journalRowsFor(accountId, build)) {
      const write: RoundTripWrite = {
        orderRef: refund.orderRef,
        refundId: refund.id,
        record: recordWords(row),
        status: 'fail',
        remoteId: null,
        problems: [],
      };
      report.writes.push(write);
      if (failedStep) {
        write.problems.push('not sent: the step before it failed.');
        continue;
      }
      const entry = entryOf(accountId, port, row);
      const expected = port.expected(entry);
      try {
        write.remoteId = await port.send(entry, signal);
        report.sent += 1;
      } catch (error) {
        write.problems.push(`${sandbox} refused it: ${errorWords(error)}`);
        failedStep = true;
        continue;
      }
      try {
        const back = await port.readBack(entry, write.remoteId, signal);
        if (!back) write.problems.push('sent, but not found when read back.');
        else {
          report.readBack += 1;
          write.problems.push(...compareFields(expected, back));
        }
      } catch (error) {
        write.problems.push(`sent, but reading it back failed: ${errorWords(error)}`);
      }
      if (write.problems.length === 0) write.status = 'pass';
      else failedStep = true;
    }
  }
  for (const w of report.writes) for (const p of w.problems) report.problems.push(`${w.orderRef} ${w.record}: ${p}`);
  return report;
}
