import { getTenderMapping, saveTenderMapping } from '../use-cases/tender-settings';
import type { HandlerMap } from './handler';

/** The tender mapping screen (tenders.md §1.3): the same use-case as `refund-recon settings tenders`. */
export const tenderSettingsHandlers: HandlerMap<'tender-mapping:get' | 'tender-mapping:set'> = {
  'tender-mapping:get': (_input, ctx) => getTenderMapping(ctx),
  'tender-mapping:set': (input, ctx) => saveTenderMapping(ctx, input),
};
