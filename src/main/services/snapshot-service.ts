import { FORMAT_SIDES, ImportFormat } from '../../shared/contract/snapshot';
import { detectFormat, FORMAT_DESCRIPTIONS } from '../importers/detect';
import { runJob } from '../jobs/run-job';
import { deleteSnapshot } from '../store/snapshot-writer';
import type { HandlerMap } from './handler';

type SnapshotChannels = 'snapshot:import' | 'snapshot:detect-format' | 'snapshot:delete' | 'snapshot:formats';

export const snapshotHandlers: HandlerMap<SnapshotChannels> = {
  // The import runs in a worker with its own connection: progress arrives as job:progress events,
  // and the transport's abort signal cancels it (the transaction rolls back, no snapshot is left).
  'snapshot:import': (input, ctx, signal) =>
    runJob(
      ctx,
      'import',
      { path: input.path, side: input.side, format: input.format, options: input.options },
      { signal },
    ),
  'snapshot:detect-format': (input) => detectFormat(input.path, input.side),
  'snapshot:delete': (input, ctx) => ({ deleted: deleteSnapshot(ctx.db, input.id) }),
  'snapshot:formats': () =>
    ImportFormat.options.map((format) => ({
      format,
      sides: [...FORMAT_SIDES[format]],
      description: FORMAT_DESCRIPTIONS[format],
    })),
};
