import type { Command } from 'commander';
import type { ReadinessView } from '../../../shared/contract/accounts';
import { requireStorefrontByName } from '../../use-cases/account-lookup';
import { confirmReadiness, setReadinessCutoff, showReadiness } from '../../use-cases/readiness';
import { printJson, printLines, withCliContext } from '../cli-context';

function printView(view: ReadinessView): void {
  const lines = [`Readiness of "${view.account}": ${view.ready ? 'READY' : 'NOT READY'}`];
  for (const item of view.items) {
    lines.push(`  [${item.done ? 'x' : ' '}] ${item.title}  (${item.id})`);
    if (item.done && item.by)
      lines.push(`        ${item.by}, ${item.at?.slice(0, 10) ?? ''}${item.note ? `: ${item.note}` : ''}`);
    if (!item.done && item.nextStep) lines.push(`        Next: ${item.nextStep}`);
  }
  printLines(lines);
}

export function registerReadiness(program: Command): void {
  const readiness = program
    .command('readiness')
    .description('The readiness checklist of a storefront account (before production sync)');
  readiness
    .command('show')
    .description('Show the checklist')
    .argument('<name>', 'the storefront account')
    .option('--workspace <file>', 'the workspace file')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { workspace?: string; json?: boolean }) => {
      await withCliContext(opts.workspace, (ctx) => {
        const view = showReadiness(ctx, { accountId: requireStorefrontByName(ctx.db, name).id });
        if (opts.json) {
          printJson({
            ready: view.ready,
            items: view.items.map((i) => ({
              id: i.id,
              title: i.title,
              done: i.done,
              by: i.by,
              at: i.at,
              nextStep: i.nextStep,
            })),
          });
        } else printView(view);
      });
    });
  readiness
    .command('confirm')
    .description('Confirm a manual item: activation_steps, deployment_reviewed or order_sync_tested')
    .argument('<name>', 'the storefront account')
    .argument('<item>', 'activation_steps, deployment_reviewed or order_sync_tested')
    .requiredOption('--by <person>', 'who confirms it')
    .option('--workspace <file>', 'the workspace file')
    .option('--note <text>', 'a note kept with the confirmation')
    .action(async (name: string, item: string, opts: { workspace?: string; by: string; note?: string }) => {
      await withCliContext(opts.workspace, (ctx) => {
        const view = confirmReadiness(ctx, {
          accountId: requireStorefrontByName(ctx.db, name).id,
          item: item.trim().replace(/-/g, '_'),
          actor: opts.by,
          note: opts.note,
        });
        printView(view);
      });
    });
  readiness
    .command('cutoff')
    .description('Set the "Import Orders Created After" cutoff date')
    .argument('<name>', 'the storefront account')
    .argument('<date>', 'YYYY-MM-DD')
    .option('--workspace <file>', 'the workspace file')
    .option('--by <person>', 'who sets it (audit log)')
    .action(async (name: string, date: string, opts: { workspace?: string; by?: string }) => {
      await withCliContext(opts.workspace, (ctx) => {
        printView(
          setReadinessCutoff(ctx, {
            accountId: requireStorefrontByName(ctx.db, name).id,
            date,
            actor: opts.by ?? process.env.USER ?? 'cli',
          }),
        );
      });
    });
}
