import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

/** Loaded on use: `--help` stays fast. */
const load = () => Promise.all([import('../cli-context'), import('../../use-cases/settings')]);

const collect = (value: string, previous: string[] = []) => [...previous, value];
const loadTenders = () => Promise.all([import('../cli-context'), import('../../use-cases/tender-settings')]);

export function registerSettings(program: Command): void {
  const settings = program
    .command('settings')
    .description("The workspace's comparison settings: tolerances and date window");
  settings
    .command('show')
    .option('--workspace <file>', 'the workspace file')
    .option('--json', 'print JSON')
    .action(async (opts: { workspace?: string; json?: boolean }) => {
      const [{ printJson, printLines, withCliContext }, { getSettings }] = await load();
      await withCliContext(opts.workspace, (ctx) => {
        const s = getSettings(ctx);
        if (opts.json) printJson(s);
        else
          printLines([
            `Default tolerance: ${s.defaultTolerance ?? 'one minor unit of each currency'}`,
            ...Object.entries(s.tolerances).map(([c, v]) => `  ${c}: ${v}`),
            `Date window: ${s.dateWindowDays} days`,
            `Credit payout days: ${s.creditPayoutDays}`,
          ]);
      });
    });
  settings
    .command('set')
    .option('--workspace <file>', 'the workspace file')
    .option('--tolerance <amount>', 'default tolerance in currency units, such as 0.01 ("" for one minor unit)')
    .option(
      '--currency-tolerance <CUR=amount>',
      'a tolerance for one currency, such as EUR=0.05 (repeatable; replaces the list)',
      collect,
    )
    .option('--date-window <days>', 'days apart two equal refunds of one order may be')
    .option('--credit-payout-days <days>', 'days an open Credit Memo may wait for its Customer Refund')
    .option('--by <person>', 'who makes the change (audit log)')
    .action(
      async (opts: {
        workspace?: string;
        tolerance?: string;
        currencyTolerance?: string[];
        dateWindow?: string;
        creditPayoutDays?: string;
        by?: string;
      }) => {
        let tolerances: Record<string, string> | undefined;
        if (opts.currencyTolerance) {
          tolerances = {};
          for (const pair of opts.currencyTolerance) {
            const [currency, amount] = pair.split('=', 2);
            if (!currency || amount === undefined) {
              throw new UserError(
                'invalid_option',
                `--currency-tolerance: expected CUR=amount, such as EUR=0.05; found "${pair.slice(0, 30)}".`,
              );
            }
            tolerances[currency] = amount;
          }
        }
        if (opts.dateWindow !== undefined && !/^\d{1,4}$/.test(opts.dateWindow)) {
          throw new UserError(
            'invalid_option',
            `--date-window: expected a whole number of days; found "${opts.dateWindow.slice(0, 20)}".`,
          );
        }
        if (opts.creditPayoutDays !== undefined && !/^\d{1,4}$/.test(opts.creditPayoutDays)) {
          throw new UserError(
            'invalid_option',
            `--credit-payout-days: expected a whole number of days; found "${opts.creditPayoutDays.slice(0, 20)}".`,
          );
        }
        const [{ printLines, withCliContext }, { setSettings }] = await load();
        await withCliContext(opts.workspace, (ctx) => {
          const s = setSettings(ctx, {
            ...(opts.tolerance !== undefined ? { defaultTolerance: opts.tolerance } : {}),
            ...(tolerances ? { tolerances } : {}),
            ...(opts.dateWindow !== undefined ? { dateWindowDays: Number(opts.dateWindow) } : {}),
            ...(opts.creditPayoutDays !== undefined ? { creditPayoutDays: Number(opts.creditPayoutDays) } : {}),
            actor: opts.by ?? process.env.USER ?? 'cli',
          });
          printLines([
            `Saved: default tolerance ${s.defaultTolerance ?? 'one minor unit'}, ${Object.keys(s.tolerances).length} currency tolerance(s), date window ${s.dateWindowDays} days, credit payout ${s.creditPayoutDays} days.`,
          ]);
        });
      },
    );
  settings
    .command('tenders')
    .description(
      "The tender mapping (storefront gateways, NetSuite payment methods and tender items to tender kinds): shows it, or replaces it with a mapping file's",
    )
    .option('--workspace <file>', 'the workspace file')
    .option('--mapping <file>', 'a mapping file: its "tenders" and "itemRoles.tender" replace the workspace mapping')
    .option('--json', 'print JSON')
    .option('--by <person>', 'who makes the change (audit log)')
    .action(async (opts: { workspace?: string; mapping?: string; json?: boolean; by?: string }) => {
      const [{ printJson, printLines, withCliContext }, tenders] = await loadTenders();
      await withCliContext(opts.workspace, (ctx) => {
        let view = tenders.getTenderMapping(ctx);
        if (opts.mapping) {
          const file = tenders.readTenderMappingFile(opts.mapping);
          const netsuite = file.mapping?.netsuite ?? [];
          view = tenders.saveTenderMapping(ctx, {
            storefront: file.mapping?.storefront ?? [],
            paymentMethods: netsuite.flatMap((r) => ('paymentMethod' in r ? [r] : [])),
            tenderItems: [
              ...netsuite.flatMap((r) => ('item' in r ? [{ item: r.item, kind: r.kind }] : [])),
              ...(file.tenderItems ?? []),
            ],
            actor: opts.by ?? process.env.USER ?? 'cli',
          });
        }
        if (opts.json) printJson(view);
        else
          printLines([
            `${opts.mapping ? 'Saved. ' : ''}Storefront gateways: ${view.storefront.length === 0 ? 'none (the defaults of each importer)' : ''}`,
            ...view.storefront.map((r) => `  ${r.platform} ${r.gateway} -> ${r.kind}`),
            `NetSuite payment methods: ${view.paymentMethods.length === 0 ? 'none (by name: store credit, gift, cash/cheque/check, else card)' : ''}`,
            ...view.paymentMethods.map((r) => `  ${r.paymentMethod} -> ${r.kind}`),
            `NetSuite tender items: ${view.tenderItems.length === 0 ? 'none' : ''}`,
            ...view.tenderItems.map((r) => `  ${r.item} -> ${r.kind}`),
            `Credit payout days: ${view.creditPayoutDays}`,
          ]);
      });
    });
}
