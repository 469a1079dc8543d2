import type { Command } from 'commander';
import type { PullRequest } from '../../../shared/contract/connection';
import { UserError } from '../../../shared/errors';
import { LOOPBACK_SWITCH } from '../../../shared/loopback-switch';
import type { PullProgress } from '../../pull/common';

interface Common {
  workspace?: string;
  secretsFile?: string;
  requestLog?: string;
  json?: boolean;
  label?: string;
  mapping?: string;
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1) {
    throw new UserError(
      'invalid_option',
      `${flag}: expected a whole number from 1 to 999, found "${value.slice(0, 20)}".`,
    );
  }
  return Number(value);
}

/**
 * Resolves the credentials (where they would go is checked before any secret is read), opens the
 * workspace, runs the pullSnapshot use-case with Ctrl+C as cancel (no snapshot left), prints the
 * outcome, closes the workspace.
 */
async function runPull(options: Common, request: PullRequest) {
  // Loaded on use: `--help` stays fast.
  const [
    { pullCredentials, pullSnapshot },
    { cliSecretStore },
    { FileRequestLog },
    { openWorkspace },
    { defaultWorkspacePath },
    { readTenderMappingFile },
  ] = await Promise.all([
    import('../../use-cases/pull'),
    import('../../secrets/file-secret-store'),
    import('../../connectors/request-log'),
    import('../../store/open'),
    import('../../workspace-location'),
    import('../../use-cases/tender-settings'),
  ]);
  // A mapping file's tender mapping (tenders.md §1.3), as `import --mapping` reads it.
  const tenders = options.mapping ? readTenderMappingFile(options.mapping) : undefined;
  const withCredentials = await pullCredentials(request, cliSecretStore(options.secretsFile));
  const workspacePath = options.workspace ?? defaultWorkspacePath();
  const db = openWorkspace(workspacePath);
  const controller = new AbortController();
  const onSigint = () => controller.abort(new UserError('cancelled', 'The pull was cancelled; nothing was saved.'));
  process.once('SIGINT', onSigint);
  const log = options.requestLog ? new FileRequestLog(options.requestLog) : undefined;
  try {
    const result = await pullSnapshot(
      { db, workspacePath },
      {
        ...withCredentials,
        ...(log ? { log } : {}),
        ...(tenders ? { tenders } : {}),
        onProgress: progress(options.json),
      },
      controller.signal,
    );
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(
        `Snapshot ${result.snapshotId}: ${result.refunds} refunds pulled with ${result.requests} requests (${result.retries} retries, ${result.throttled} throttled).\n`,
      );
    }
  } finally {
    process.off('SIGINT', onSigint);
    log?.close();
    db.close();
  }
}

function progress(json: boolean | undefined): (p: PullProgress) => void {
  if (json || !process.stderr.isTTY) return () => {};
  return (p) => process.stderr.write(`\r${p.phase}: ${p.done}${p.total ? `/${p.total}` : ''} ${p.unit}\u001b[K`);
}

export function registerPull(program: Command): void {
  const pull = program
    .command('pull')
    .description(
      `Pull refunds from a live API into a new snapshot (credentials from REFUND_RECON_* variables or the secrets file). Credentials go only to the vendor's own https address; http://127.0.0.1 (the emulators) only with ${LOOPBACK_SWITCH}=1 set.`,
    );
  const common = (cmd: Command) =>
    cmd
      .option('--workspace <file>', 'workspace file (default: the app-data workspace)')
      .option('--secrets-file <file>', 'owner-only JSON secrets file (default: ~/.config/refund-recon/secrets.json)')
      .option('--request-log <file>', 'append a request log (JSON lines, no secrets) to this file')
      .option('--label <text>', 'snapshot label')
      .option(
        '--mapping <file>',
        'mapping file whose "tenders" and "itemRoles.tender" map gateways, payment methods and items to tender kinds (default: the workspace setting)',
      )
      .option('--json', 'print the result as JSON');

  common(
    pull
      .command('netsuite')
      .description('Cash Refunds, Credit Memos and Customer Refunds through SuiteQL')
      .requiredOption('--account <id>', 'NetSuite account ID, e.g. 1234567 or 1234567_SB1')
      .option(
        '--host <url>',
        'REST host from Company URLs, an https host under .netsuite.com (default: derived from the account ID)',
      )
      .option('--auth <method>', 'tba or oauth2', 'tba')
      .option('--from <date>', 'transaction date from, YYYY-MM-DD')
      .option('--to <date>', 'transaction date to, YYYY-MM-DD')
      .option('--modified-since <date>', 'only records modified since, YYYY-MM-DD')
      .option('--order-ref-field <field>', 'header field with the storefront order number (default otherrefnum)')
      .option('--concurrency <n>', "the account's concurrency limit for this integration", '5'),
  ).action(
    async (
      options: Common & {
        account: string;
        host?: string;
        auth: string;
        from?: string;
        to?: string;
        modifiedSince?: string;
        orderRefField?: string;
        concurrency?: string;
      },
    ) => {
      if (options.auth !== 'tba' && options.auth !== 'oauth2') {
        throw new UserError('invalid_option', `--auth must be tba or oauth2; found "${options.auth.slice(0, 20)}".`);
      }
      await runPull(options, {
        platform: 'netsuite',
        accountId: options.account,
        ...(options.host ? { host: options.host } : {}),
        auth: options.auth,
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
        ...(options.modifiedSince ? { modifiedSince: options.modifiedSince } : {}),
        ...(options.orderRefField ? { orderRefField: options.orderRefField } : {}),
        concurrency: positiveInt(options.concurrency, '--concurrency', 5),
        ...(options.label ? { label: options.label } : {}),
      });
    },
  );

  common(
    pull
      .command('shopify')
      .description('Refunds of orders updated since a date, through the Admin GraphQL API')
      .requiredOption('--shop <name>', 'my-store or my-store.myshopify.com')
      .option('--base-url <url>', `https://<shop>.myshopify.com, or the local emulator (needs ${LOOPBACK_SWITCH}=1)`)
      .option('--since <date>', 'orders updated on or after, YYYY-MM-DD')
      .option('--bulk', 'use a bulk operation (large stores)'),
  ).action(async (options: Common & { shop: string; baseUrl?: string; since?: string; bulk?: boolean }) => {
    await runPull(options, {
      platform: 'shopify',
      shop: options.shop,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.since ? { updatedSince: options.since } : {}),
      bulk: options.bulk === true,
      ...(options.label ? { label: options.label } : {}),
    });
  });

  common(
    pull
      .command('bigcommerce')
      .description('Refunds through the v3 payment-actions API (store-wide refunds list)')
      .requiredOption('--store <hash>', 'store hash, as in https://api.bigcommerce.com/stores/<hash>/v3')
      .requiredOption('--currency <code>', "the store's currency, e.g. USD (BigCommerce refunds do not carry it)")
      .option(
        '--base-url <url>',
        `API base override: the local emulator …/stores/<hash>/v3 (needs ${LOOPBACK_SWITCH}=1); default https://api.bigcommerce.com/stores/<hash>/v3`,
      )
      .option('--from <date>', 'refunds created from, YYYY-MM-DD (UTC)')
      .option('--to <date>', 'refunds created to, YYYY-MM-DD (UTC)')
      .option('--concurrency <n>', 'requests in flight at once', '3'),
  ).action(
    async (
      options: Common & {
        store: string;
        currency: string;
        baseUrl?: string;
        from?: string;
        to?: string;
        concurrency?: string;
      },
    ) => {
      if (!/^[A-Za-z]{3}$/.test(options.currency)) {
        throw new UserError(
          'invalid_option',
          `--currency: expected an ISO 4217 code such as USD, found "${options.currency.slice(0, 20)}".`,
        );
      }
      await runPull(options, {
        platform: 'bigcommerce',
        storeHash: options.store,
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        currency: options.currency,
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
        concurrency: positiveInt(options.concurrency, '--concurrency', 3),
        ...(options.label ? { label: options.label } : {}),
      });
    },
  );

  common(
    pull
      .command('woocommerce')
      .description('Order refunds through the REST API v3 (HTTP Basic over HTTPS)')
      .requiredOption(
        '--url <url>',
        `the store's address, https://shop.example.com (http://127.0.0.1 only with ${LOOPBACK_SWITCH}=1)`,
      )
      .option('--from <date>', 'orders created from, YYYY-MM-DD (site time)')
      .option('--to <date>', 'orders created to, YYYY-MM-DD (site time)')
      .option('--modified-since <date>', 'orders modified since, YYYY-MM-DD (WooCommerce ≥ 5.8)')
      .option('--concurrency <n>', 'requests in flight at once', '4'),
  ).action(
    async (
      options: Common & { url: string; from?: string; to?: string; modifiedSince?: string; concurrency?: string },
    ) => {
      await runPull(options, {
        platform: 'woocommerce',
        url: options.url,
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
        ...(options.modifiedSince ? { modifiedSince: options.modifiedSince } : {}),
        concurrency: positiveInt(options.concurrency, '--concurrency', 4),
        ...(options.label ? { label: options.label } : {}),
      });
    },
  );
}
