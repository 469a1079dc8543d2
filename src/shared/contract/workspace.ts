import { z } from 'zod';
import { Platform, Side } from '../model';
import { channel, NoInput } from './define';

export const Direction = z.enum(['off', 'storefront_to_netsuite', 'netsuite_to_storefront']);
export type Direction = z.infer<typeof Direction>;

export const StorefrontAccount = z.object({
  id: z.number().int(),
  platform: Platform,
  name: z.string(),
  lineItemRefunds: z.enum(['yes', 'no', 'unknown']),
  directions: z.array(Direction.exclude(['off'])),
  storeCredit: z.boolean(),
  splitTender: z.boolean(),
  direction: Direction,
  netsuiteAccountId: z.number().int().nullable(),
});
export type StorefrontAccount = z.infer<typeof StorefrontAccount>;

export const NetsuiteAccount = z.object({
  id: z.number().int(),
  name: z.string(),
  accountId: z.string(),
  environment: z.enum(['sandbox', 'production']),
  restHost: z.string(),
  authMethod: z.enum(['tba', 'oauth2']),
});
export type NetsuiteAccount = z.infer<typeof NetsuiteAccount>;

export const SnapshotSummary = z.object({
  id: z.number().int(),
  side: Side,
  label: z.string(),
  source: z.enum(['file', 'api', 'demo']),
  format: z.string(),
  importerVersion: z.string(),
  fileName: z.string().nullable(),
  fileSize: z.number().int().nullable(),
  fileSha256: z.string().nullable(),
  refundCount: z.number().int(),
  lineCount: z.number().int(),
  rowCount: z.number().int(),
  storefrontAccountId: z.number().int().nullable(),
  netsuiteAccountId: z.number().int().nullable(),
  createdAt: z.string(),
});
export type SnapshotSummary = z.infer<typeof SnapshotSummary>;

export const WorkspaceInfo = z.object({
  path: z.string(),
  schemaVersion: z.number().int(),
  isDemo: z.boolean(),
  appVersion: z.string(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfo>;

export const workspaceChannels = {
  'workspace:info': channel(NoInput, WorkspaceInfo, 'Which workspace is open'),
  'account:list': channel(
    NoInput,
    z.object({ storefront: z.array(StorefrontAccount), netsuite: z.array(NetsuiteAccount) }),
    'Storefront and NetSuite accounts with their sync direction',
  ),
  'snapshot:list': channel(
    z.object({ side: Side.optional() }).strict(),
    z.array(SnapshotSummary),
    'Snapshots with provenance, newest first',
  ),
};
