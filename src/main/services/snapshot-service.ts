import { FORMAT_SIDES, ImportFormat } from '../../shared/contract/snapshot';
import { detectFormat, FORMAT_DESCRIPTIONS } from '../importers/detect';
import { runJob } from '../jobs/run-job';
import { deleteSnapshot } from '../store/snapshot-delete';
import type { HandlerMap } from './handler';
import { importCurrency } from './import-currency';

type SnapshotChannels = 'snapshot:import' | 'snapshot:detect-format' | 'snapshot:delete' | 'snapshot:formats';

export const snapshotHandlers: HandlerMap<SnapshotChannels> = {
  // The import runs in a worker with its own connection: progress arrives as job:progress events,
  // and the transport's abort signal cancels it (the transaction rolls back, no snapshot is left).
  // In the desktop app (ctx.pathGrants), only a file the user chose in a dialog is read, by its
  // realpath; a mapping given as a path must be granted too. Browser mode and the CLI: as typed.
  'snapshot:import': async (input, ctx, signal) => {
    const grants = ctx.pathGrants;
    const file = grants ? grants.assertGranted(input.path, 'read-file') : input.path;
    let options = input.options;
    if (grants && typeof options?.mapping === 'string') {
      options = { ...options, mapping: grants.assertGranted(options.mapping, 'read-file') };
    }
    if (grants && options?.orderProducts !== undefined) {
      options = { ...options, orderProducts: grants.assertGranted(options.orderProducts, 'read-file') };
    }
    // A format without a currency in its files: the linked account's currency when none is given.
    if (input.format && !options?.currency) {
      const currency = importCurrency(ctx.db, input.format, options?.storefrontAccountId).default;
      if (currency) options = { ...options, currency };
    }
    const outcome = await runJob(
      ctx,
      'import',
      { path: file, side: input.side, format: input.format, options },
      { signal },
    );
    // Once in the workspace, reading the file again needs a new choice.
    grants?.consume(file, 'read-file');
    return outcome;
  },
  'snapshot:detect-format': async (input, ctx) => {
    const detected = await detectFormat(
      ctx.pathGrants ? ctx.pathGrants.assertGranted(input.path, 'read-file') : input.path,
      input.side,
    );
    const currency = importCurrency(ctx.db, detected.format, input.storefrontAccountId);
    return currency.needed ? { ...detected, currency } : detected;
  },
  'snapshot:delete': (input, ctx) => ({ deleted: deleteSnapshot(ctx.db, input.id) }),
  'snapshot:formats': () =>
    ImportFormat.options.map((format) => ({
      format,
      sides: [...FORMAT_SIDES[format]],
      description: FORMAT_DESCRIPTIONS[format],
    })),
};
