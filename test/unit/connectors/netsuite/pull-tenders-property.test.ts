import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SuiteqlRow } from '../../../../src/main/connectors/netsuite/client';
import { groupMemoLinks, mapRefundRows } from '../../../../src/main/connectors/netsuite/map-refunds';
import { CanonicalRefund } from '../../../../src/shared/model';

/**
 * tenders.md §1.1 for the NetSuite pull: whatever a Credit Memo's status and transaction links
 * (Customer Refunds paying it out, Invoices it is applied to, links to other documents, voided
 * documents, amounts over the memo's total), its parts sum to its total, each positive.
 */

const dec = (c: number) =>
  `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;

async function map(rows: SuiteqlRow[], links: SuiteqlRow[]) {
  const out = [];
  async function* source() {
    yield* rows;
  }
  for await (const r of mapRefundRows(source(), undefined, { links: groupMemoLinks(links) }))
    out.push(CanonicalRefund.parse(r));
  return out;
}

const link = fc.record({
  othertype: fc.constantFrom('CustRfnd', 'CustInvc', 'RtnAuth', 'CashSale'),
  amount: fc.integer({ min: 0, max: 120_000 }),
  voided: fc.boolean(),
  method: fc.constantFrom('', 'VISA', 'Store Credit', 'Check', 'Gift Certificate'),
});

describe('NetSuite pull: memo parts sum to the total', () => {
  it('property', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom('CustCred:A', 'CustCred:B', 'CustCred:V', 'A', 'B', ''),
        fc.array(link, { maxLength: 4 }),
        async (total, status, links) => {
          const head: SuiteqlRow = {
            id: '10',
            tranid: 'CM10',
            type: 'CustCred',
            trandate: '2026-03-17',
            currency: 'USD',
            foreigntotal: dec(-total),
            status,
            mainline: 'T',
          };
          const line: SuiteqlRow = {
            id: '10',
            type: 'CustCred',
            currency: 'USD',
            mainline: 'F',
            item: 'TEE',
            foreignamount: dec(-total),
            quantity: '-1',
          };
          const linkRows = links.map((l, i) => ({
            memo: '10',
            otherid: String(100 + i),
            othertype: l.othertype,
            othertranid: `D${i}`,
            otherdate: '2026-03-18',
            othertotal: dec(-l.amount),
            othervoided: l.voided ? 'T' : 'F',
            foreignamount: i % 2 === 0 ? dec(l.amount) : undefined,
            ...(l.method ? { otherpaymentmethod: l.method } : {}),
          }));
          const [memo] = await map([head, line], linkRows);
          expect(memo!.total).toBe(total);
          let sum = 0;
          for (const t of memo!.tenders) {
            expect(t.amount).toBeGreaterThan(0);
            sum += t.amount;
          }
          expect(sum).toBe(total);
          expect(memo!.amountRemaining).not.toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
