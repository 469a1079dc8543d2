import fs from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { formatAmount } from '../../../shared/money';
import type { Db } from '../../store/open';
import type { DryRunSelection } from '../../sync/dry-run';

interface DryRunOptions {
  account: string;
  direction?: string;
  orders?: string;
  testOrders?: boolean;
  sample?: string;
  snapshot?: string;
  ordersContext?: string;
  roundTrip?: boolean;
  offline?: boolean;
  format: string;
  workspace?: string;
  actor: string;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UserError('invalid_option', `${flag}: expected a positive whole number; found "${value}".`, {
      field: flag,
    });
  }
  return Number(value);
}

/** Loads an order-context file (how NetSuite billed each order, line ids…) into the workspace. */
export async function loadContextFile(file: string, db: Db, accountId: number): Promise<number> {
  const [{ saveOrderContexts }, { OrderContextFile }] = await Promise.all([
    import('../../sync/sources'),
    import('../../sync/types'),
  ]);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(
      'file_unreadable',
      `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      { file },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError('invalid_json', `${file}: not valid JSON (${(error as Error).message}).`, { file });
  }
  const parsed = OrderContextFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError('invalid_order_context', `${file}, field ${issue.path.join('.')}: ${issue.message}.`, {
      file,
      field: issue.path.join('.'),
    });
  }
  return saveOrderContexts(db, accountId, parsed.data);
}

export function registerDryRun(program: Command): void {
  program
    .command('dry-run')
    .description(
      'Test-order dry run: build the records a sync would send, check them against the source; sends nothing that writes',
    )
    .requiredOption('--account <id>', 'storefront account id')
    .option('--direction <d>', 'storefront_to_netsuite or netsuite_to_storefront (default: the account’s direction)')
    .option('--orders <refs>', 'comma-separated order references, e.g. "#1001,#1002"')
    .option('--test-orders', 'the orders flagged as test orders')
    .option('--sample <n>', 'a sample of the n most recently refunded orders')
    .option('--snapshot <id>', 'source snapshot (default: the newest of the source side for the account)')
    .option('--orders-context <file.json>', 'order context file: how NetSuite billed each order, storefront line ids')
    .option('--round-trip', 'sandbox only: send the records and read them back')
    .option('--offline', 'no live lookups: "already synced?" is answered from the workspace only')
    .option('--format <f>', 'table or json', 'table')
    .option('--workspace <file>', 'workspace file (default: the workspace in the app-data folder)')
    .option('--actor <name>', 'who runs it (audit log)', process.env.USER ?? 'cli')
    .action(async (opts: DryRunOptions) => {
      const accountId = positiveInt(opts.account, '--account')!;
      const modes = [opts.orders !== undefined, !!opts.testOrders, opts.sample !== undefined].filter(Boolean).length;
      if (modes > 1)
        throw new UserError('invalid_option', 'Choose orders one way: --orders, --test-orders or --sample.');
      const selection: DryRunSelection = opts.orders
        ? {
            mode: 'refs',
            orderRefs: opts.orders
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : opts.testOrders
          ? { mode: 'test' }
          : { mode: 'sample', size: positiveInt(opts.sample, '--sample') ?? 5 };
      if (opts.format !== 'table' && opts.format !== 'json') {
        throw new UserError('invalid_option', `--format: expected table or json; found "${opts.format}".`);
      }
      // Loaded on use: `--help` stays fast.
      const [{ openWorkspace }, { targetFor }, { runDryRun }, { defaultWorkspacePath }] = await Promise.all([
        import('../../store/open'),
        import('../../sync/connections'),
        import('../../sync/dry-run'),
        import('../../workspace-location'),
      ]);
      const db = openWorkspace(opts.workspace ?? defaultWorkspacePath());
      try {
        if (opts.ordersContext) await loadContextFile(opts.ordersContext, db, accountId);
        const target = opts.offline ? null : targetFor(db, accountId);
        const snapshotId = positiveInt(opts.snapshot, '--snapshot');
        const run = await runDryRun(
          db,
          {
            accountId,
            ...(opts.direction ? { direction: opts.direction } : {}),
            selection,
            ...(snapshotId ? { snapshotId } : {}),
            sandboxRoundTrip: !!opts.roundTrip,
            actor: opts.actor,
          },
          target ? { target } : {},
        );
        if (opts.format === 'json') {
          process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
        } else {
          const out: string[] = [
            `Dry run ${run.id}: ${run.direction}, ${run.status.toUpperCase()} — ${run.passed} passed, ${run.failed} failed`,
          ];
          for (const o of run.orders) {
            out.push(
              `  ${o.status === 'pass' ? 'PASS' : 'FAIL'}  ${o.orderRef}  refund ${o.refundId}  ${o.scope}  ${formatAmount(o.total, o.currency)} ${o.currency}`,
            );
            for (const r of o.reasons) out.push(`        - ${r}`);
          }
          out.push(
            `Coverage: ${run.coverage.covered.join(', ') || 'none'}${run.coverage.missing.length ? `; missing ${run.coverage.missing.join(', ')}` : ''}`,
          );
          if (run.roundTrip) out.push(`Round trip: ${run.roundTrip.sent} sent, ${run.roundTrip.readBack} read back`);
          out.push('Nothing was sent that writes. Full payloads: --format json.');
          process.stdout.write(`${out.join('\n')}\n`);
        }
        process.exitCode = run.status === 'fail' ? 1 : 0;
      } finally {
        db.close();
      }
    });
}
