import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';
import { formatAmount } from '../../../shared/money';

interface PushOptions {
  account: string;
  snapshot?: string;
  confirm?: string;
  resume?: boolean;
  retryFailed?: boolean;
  exceptions?: boolean;
  format: string;
  workspace?: string;
  actor: string;
}

export function registerPush(program: Command): void {
  program
    .command('push')
    .description('Push refunds in the enabled sync direction: journaled before each send, idempotent, resumable')
    .requiredOption('--account <id>', 'storefront account id')
    .option('--snapshot <id>', 'source snapshot (default: the newest of the source side)')
    .option('--confirm <code>', 'the confirmation code the preview printed (count and totals seen)')
    .option('--resume', 'finish writes journaled earlier (after a crash or cancel); adds nothing new')
    .option('--retry-failed', 'retry the writes on the exception list')
    .option('--exceptions', 'print the exception list')
    .option('--format <f>', 'table or json', 'table')
    .option('--workspace <file>', 'workspace file (default: the workspace in the app-data folder)')
    .option('--actor <name>', 'who confirms (audit log)', process.env.USER ?? 'cli')
    .action(async (opts: PushOptions) => {
      if (!/^\d+$/.test(opts.account))
        throw new UserError('invalid_option', `--account: expected an account id; found "${opts.account}".`);
      const accountId = Number(opts.account);
      // Loaded on use: `--help` stays fast.
      const [{ openWorkspace }, push, { defaultWorkspacePath }] = await Promise.all([
        import('../../store/open'),
        import('../../use-cases/push'),
        import('../../workspace-location'),
      ]);
      const snapshotId = opts.snapshot && /^\d+$/.test(opts.snapshot) ? Number(opts.snapshot) : undefined;
      const workspacePath = opts.workspace ?? defaultWorkspacePath();
      const db = openWorkspace(workspacePath);
      const ctx = { db, workspacePath };
      const json = opts.format === 'json';
      const print = (value: unknown, text: string) =>
        process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      try {
        if (opts.exceptions) {
          const ex = push.pushExceptionList(ctx, { accountId });
          const lines = [
            `Exception list: ${ex.failed.length} failed write(s), ${ex.notPushable.length} refund(s) that cannot be built`,
          ];
          for (const f of ex.failed)
            lines.push(`  #${f.id} ${f.orderRef} ${f.target} (${f.attempts} attempt(s)): ${f.lastError ?? ''}`);
          for (const n of ex.notPushable) lines.push(`  ${n.orderRef} refund ${n.refundId}: ${n.reasons.join(' ')}`);
          print(ex, lines.join('\n'));
          process.exitCode = ex.failed.length > 0 ? 1 : 0;
          return;
        }
        const signal = controller.signal;
        const run = opts.resume
          ? () => push.pushResume(ctx, { accountId }, signal)
          : opts.retryFailed
            ? () => push.pushRetry(ctx, { accountId, actor: opts.actor }, signal)
            : opts.confirm
              ? () =>
                  push.pushStart(
                    ctx,
                    {
                      accountId,
                      ...(snapshotId ? { snapshotId } : {}),
                      confirmationCode: opts.confirm!,
                      actor: opts.actor,
                    },
                    signal,
                  )
              : null;
        if (!run) {
          const p = push.pushPreview(ctx, { accountId, ...(snapshotId ? { snapshotId } : {}) });
          const lines = [
            `Push preview for account ${accountId} (${p.direction}, ${p.environment}): ${p.summary}`,
            ...Object.entries(p.totals).map(([c, v]) => `  ${c} ${formatAmount(v, c)}`),
            `Already journaled: ${p.alreadyJournaled}; already on the target: ${p.alreadyOnTarget.length}; before the cutoff: ${p.beforeCutoff}; unfinished from earlier: ${p.unfinished}; cannot be built: ${p.notPushable.length}`,
            p.outsideScope > 0
              ? `Not sent by this push: ${p.outsideScope} write(s) of another direction or NetSuite account (switch back to send them).`
              : '',
            p.environment === 'production' && !p.readinessMet
              ? 'Production push is refused until the readiness checklist is met.'
              : '',
            `To send exactly this, run again with --confirm ${p.confirmationCode}`,
          ].filter(Boolean);
          print(p, lines.join('\n'));
          return;
        }
        const outcome = await run().catch((error: unknown) => {
          // The CLI words its own advice: where its credentials come from.
          if (error instanceof UserError && error.code === 'no_connection') {
            throw new UserError(
              'no_connection',
              'No live connection is configured for the sync target: set the API host in the account settings and the credentials in the environment (see docs/sync.md).',
            );
          }
          throw error;
        });
        print(
          outcome,
          `${outcome.summary}: ${outcome.sent} sent, ${outcome.confirmedAfterCrash} confirmed after a restart, ${outcome.alreadySynced} already synced, ${outcome.failed} failed, ${outcome.remaining} unfinished. Exception list: ${outcome.exceptionList}.${outcome.outsideScope > 0 ? ` Not sent: ${outcome.outsideScope} write(s) of another direction or NetSuite account.` : ''}`,
        );
        process.exitCode = outcome.failed > 0 || outcome.remaining > 0 ? 1 : 0;
      } finally {
        process.removeListener('SIGINT', onSignal);
        db.close();
      }
    });
}
