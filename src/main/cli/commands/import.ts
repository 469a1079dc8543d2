import type { Command } from 'commander';
import type { ImportFormat } from '../../../shared/contract/snapshot';
import { UserError } from '../../../shared/errors';
import { IMPORT_FORMATS } from '../../../shared/import-formats';
import type { ImportProgress } from '../../importers/import-file';
import { cliNoteAdvice } from '../advice';
import { withCurrencyFlag } from '../currency-advice';
import { stopOnSignal } from '../stop-on-signal';

interface ImportCliOptions {
  side?: string;
  workspace?: string;
  format?: string;
  mapping?: string;
  dateFormat?: string;
  decimalComma?: boolean;
  currency?: string;
  orderProducts?: string;
  label?: string;
  shippingItem?: string[];
  genericItem?: string[];
  taxItem?: string[];
  allowDuplicate?: boolean;
  json?: boolean;
}

function choice<T extends string>(value: string | undefined, options: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if ((options as readonly string[]).includes(value)) return value as T;
  throw new UserError('invalid_option', `${flag} must be one of ${options.join(', ')}; found "${value.slice(0, 40)}".`);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** A one-line progress bar on stderr, redrawn in place (only when stderr is a terminal). */
function progressBar(busyMessage: string): { update(p: ImportProgress): void; clear(): void } {
  const tty = process.stderr.isTTY === true;
  let drawn = false;
  let saidBusy = false;
  return {
    update(p) {
      if (p.phase === 'waiting' && !tty) {
        // Not a terminal: say it once, so a log shows why the import paused.
        if (!saidBusy) process.stderr.write(`refund-recon: ${busyMessage}\n`);
        saidBusy = true;
        return;
      }
      if (!tty) return;
      const width = 30;
      const ratio = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
      const filled = Math.round(ratio * width);
      const label =
        p.phase === 'checking'
          ? 'checking for an earlier import…'
          : p.phase === 'waiting'
            ? busyMessage
            : `${p.rows.toLocaleString('en-US')} rows, ${p.refunds.toLocaleString('en-US')} refunds`;
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${mb(p.bytesRead)}/${mb(p.totalBytes)} ${label}\u001b[K`,
      );
      drawn = true;
    },
    clear() {
      if (tty && drawn) process.stderr.write('\r\u001b[K');
    },
  };
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import an export file into a new snapshot (one transaction: complete or absent)')
    .argument('<file>', 'the export file (CSV or JSON; see docs/importers.md)')
    .option('--side <side>', 'storefront or netsuite (required)')
    .option('--workspace <file>', 'workspace file (default: the workspace in the app-data folder)')
    .option('--format <format>', `skip detection: ${IMPORT_FORMATS.join(', ')}`)
    .option('--mapping <file.json>', 'saved-search header mapping: {"Storefront Order": "Your Header", …}')
    .option('--date-format <order>', 'dates in the file: mdy (M/D/YYYY), dmy (D/M/YYYY) or iso; default: detect')
    .option('--decimal-comma', 'amounts use a comma as decimal separator (1.234,56)')
    .option('--currency <code>', 'currency for exports that do not say it (BigCommerce; saved search without Currency)')
    .option(
      '--order-products <file.json>',
      "BigCommerce: the refunded orders' products (GET /v2/orders/{id}/products answers), to price product refunds",
    )
    .option('--label <text>', 'snapshot label (default: the file name)')
    .option(
      '--shipping-item <name>',
      'NetSuite shipping item name or internal id (repeatable; default Shipping)',
      collect,
    )
    .option('--generic-item <name>', 'NetSuite generic refund item (repeatable; default Refund Adjustment)', collect)
    .option('--tax-item <name>', 'NetSuite tax item (repeatable; default none)', collect)
    .option('--allow-duplicate', 'import even if this exact file was imported before')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: ImportCliOptions) => {
      if (!opts.side) throw new UserError('missing_option', 'import needs --side storefront or --side netsuite.');
      const [{ DateFormat }, { Side }] = await Promise.all([
        import('../../../shared/contract/snapshot'),
        import('../../../shared/model'),
      ]);
      const side = choice(opts.side, Side.options, '--side')!;
      const format: ImportFormat | undefined = choice(opts.format, IMPORT_FORMATS, '--format');
      const dateFormat = choice(opts.dateFormat, DateFormat.options, '--date-format');
      // Loaded on use: `--help` stays fast.
      const [{ BUSY_MESSAGE, describeFormat, importSnapshotFile }, { openWorkspace }, { defaultWorkspacePath }] =
        await Promise.all([
          import('../../use-cases/import-file'),
          import('../../store/open'),
          import('../../workspace-location'),
        ]);
      const workspace = opts.workspace ?? defaultWorkspacePath();
      const db = openWorkspace(workspace);
      const bar = progressBar(BUSY_MESSAGE);
      const controller = new AbortController();
      const stopListening = stopOnSignal(controller, 'The import was interrupted; nothing was saved.');
      try {
        const started = Date.now();
        const result = await importSnapshotFile(
          { db, workspacePath: workspace },
          {
            file,
            side,
            format,
            mapping: opts.mapping,
            dateFormat,
            decimalComma: opts.decimalComma,
            currency: opts.currency,
            orderProducts: opts.orderProducts,
            label: opts.label,
            itemRoles:
              opts.shippingItem || opts.genericItem || opts.taxItem
                ? { shipping: opts.shippingItem, generic: opts.genericItem, tax: opts.taxItem }
                : undefined,
            allowDuplicate: opts.allowDuplicate,
            onProgress: (p) => bar.update(p),
          },
          controller.signal,
        );
        bar.clear();
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ workspace, ...result }, null, 2)}\n`);
          return;
        }
        const out: string[] = [];
        out.push(`Format: ${result.format} — ${describeFormat(result.format)} (${result.formatReason})`);
        const s = result.snapshot;
        if (!result.created) {
          out.push(
            `Already imported: snapshot ${s.id} "${s.label}" (${s.side}, ${s.createdAt}), ${s.refundCount} refunds.`,
          );
          out.push('Nothing was imported. Use --allow-duplicate to import the same file again.');
        } else {
          out.push(`Snapshot ${s.id} "${s.label}" (${s.side}) in ${workspace}`);
          out.push(
            `  ${s.refundCount} refunds, ${s.lineCount} lines, ${s.rowCount} source rows from ${s.fileName} (${mb(s.fileSize ?? 0)}) in ${seconds} s`,
          );
          out.push(`  SHA-256 ${s.fileSha256}; importer ${s.format} ${s.importerVersion}`);
        }
        for (const note of result.notes) out.push(`Note: ${cliNoteAdvice(note)}`);
        process.stdout.write(`${out.join('\n')}\n`);
      } catch (error) {
        throw withCurrencyFlag(error, '--currency');
      } finally {
        bar.clear();
        stopListening();
        db.close();
      }
    });
}
