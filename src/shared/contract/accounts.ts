import { z } from 'zod';
import { Platform } from '../model';
import { PullOutcome } from './connection';
import { channel } from './define';

/**
 * Accounts, connections, capabilities and readiness of issue 13: what the Accounts screen and the
 * `refund-recon account …` / `readiness …` commands do. Secrets go in and never come back: a
 * connection says which secrets are set, by name, never their values.
 */

const Actor = z.string().trim().min(1).max(120).default('local user');
const Id = z.number().int().positive();
const Name = z.string().trim().min(1).max(120);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const AccountType = z.enum(['netsuite', 'storefront']);
export const NetsuiteEnvironmentKind = z.enum(['sandbox', 'release_preview', 'production']);

/** One row of `account list` (CLI JSON) and of the Accounts screen. */
export const AccountEntry = z.object({
  id: z.number().int(),
  name: z.string(),
  type: AccountType,
  /** `netsuite` for NetSuite accounts. */
  platform: z.string(),
  /** NetSuite: its account ID; storefront: null. */
  accountId: z.string().nullable(),
  /** NetSuite: from its account ID; storefront: the environment of the linked NetSuite account. */
  environment: NetsuiteEnvironmentKind.nullable(),
  /** Storefront: the refund sync direction; NetSuite: null. */
  direction: z.string().nullable(),
  /** Storefront: the name of the linked NetSuite account. */
  netsuite: z.string().nullable(),
  shop: z.string().nullable(),
  currency: z.string().nullable(),
});
export type AccountEntry = z.infer<typeof AccountEntry>;

export const AddAccountInput = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('netsuite'), name: Name, accountId: z.string().trim().min(1).max(40), actor: Actor })
    .strict(),
  z
    .object({
      type: z.literal('storefront'),
      name: Name,
      /** Checked by the use-case, so an unknown platform gets the list of known ones. */
      platform: z.string().trim().min(1).max(40),
      netsuite: Name,
      shop: z.string().trim().max(200).optional(),
      currency: z.string().trim().max(3).optional(),
      actor: Actor,
    })
    .strict(),
]);
export type AddAccountInput = z.input<typeof AddAccountInput>;

export const EditAccountInput = z
  .object({
    type: AccountType,
    id: Id,
    name: Name.optional(),
    accountId: z.string().trim().min(1).max(40).optional(),
    netsuite: Name.optional(),
    shop: z.string().trim().max(200).optional(),
    currency: z.string().trim().max(3).optional(),
    actor: Actor,
  })
  .strict();
export type EditAccountInput = z.input<typeof EditAccountInput>;

export const AuthMethod = z.enum(['tba', 'oauth2', 'access_token', 'api_token', 'key_secret']);
export type AuthMethod = z.infer<typeof AuthMethod>;

export const ConnectionInfo = z.object({
  type: AccountType,
  id: z.number().int(),
  platform: z.string(),
  /** The API address used (the override, or the default from the account). */
  host: z.string(),
  hostIsDefault: z.boolean(),
  authMethod: AuthMethod.nullable(),
  /** Auth methods this platform offers. */
  authMethods: z.array(AuthMethod),
  /** Each secret the method needs, and whether it is set (never its value). */
  secrets: z.array(z.object({ field: z.string(), label: z.string(), set: z.boolean() })),
  /** BigCommerce only: the store hash of the API path. */
  storeHash: z.string().nullable(),
  /** Where secrets are kept, in words. */
  store: z.string(),
  /** What the account still needs before it can connect (the shop address, the store hash), or null. */
  needs: z.string().nullable(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

export const SetConnectionInput = z
  .object({
    type: AccountType,
    id: Id,
    host: z.string().trim().max(300).optional(),
    authMethod: AuthMethod.optional(),
    storeHash: z.string().trim().max(40).optional(),
    /** Field name → value (consumerKey, consumerSecret, tokenId, tokenSecret, clientId, certificateId, privateKey, accessToken). */
    secrets: z.record(z.string().max(40), z.string().max(20_000)).default({}),
    actor: Actor,
  })
  .strict();
export type SetConnectionInput = z.input<typeof SetConnectionInput>;

export const ConnectionTestOutput = z.object({
  ok: z.boolean(),
  /** The answer in words. */
  message: z.string(),
  host: z.string(),
});

export const CapabilitiesEvidence = z.object({
  snapshotId: z.number().int(),
  refundId: z.string(),
  orderRef: z.string(),
  findings: z.array(z.object({ capability: z.string(), value: z.string(), evidence: z.string() })),
});

/** One refund the learn form offers: order, refund number, date and amount (minor units of its currency). */
export const LearnableRefund = z.object({
  /** What `capabilities:learn` takes as refundId: the storefront's refund id. */
  refundId: z.string(),
  /** The refund number the storefront shows, when it differs from its id. */
  documentNumber: z.string(),
  orderRef: z.string(),
  date: z.string(),
  currency: z.string(),
  total: z.number().int(),
  /** A refund of an order flagged as a test order (what `dry run --test-orders` picks). */
  isTest: z.boolean(),
});
export type LearnableRefund = z.infer<typeof LearnableRefund>;

/** The refunds of the account's newest storefront snapshot, test orders' first (issue 13 item 4). */
export const LearnableRefunds = z.object({
  /** Null when the workspace holds no storefront snapshot for the account. */
  snapshot: z.object({ id: z.number().int(), label: z.string(), createdAt: z.string() }).nullable(),
  refunds: z.array(LearnableRefund),
  /** Refunds in the snapshot, and how many of them are test orders' (the list may stop before). */
  refundCount: z.number().int(),
  testCount: z.number().int(),
});
export type LearnableRefunds = z.infer<typeof LearnableRefunds>;

export const ReadinessItemView = z.object({
  id: z.string(),
  title: z.string(),
  done: z.boolean(),
  by: z.string().nullable(),
  at: z.string().nullable(),
  note: z.string().nullable(),
  detail: z.string(),
  nextStep: z.string(),
  confirmable: z.boolean(),
});
export const ReadinessView = z.object({
  account: z.string(),
  ready: z.boolean(),
  environment: NetsuiteEnvironmentKind.nullable(),
  direction: z.string(),
  cutoff: z.string().nullable(),
  items: z.array(ReadinessItemView),
});
export type ReadinessView = z.infer<typeof ReadinessView>;

export const ReconcileSettings = z.object({
  /** Decimal text in currency units; null = one minor unit of each currency. */
  defaultTolerance: z.string().nullable(),
  /** Currency code → decimal text in that currency's units. */
  tolerances: z.record(z.string(), z.string()),
  dateWindowDays: z.number().int().min(0).max(3660),
  /** tenders.md §2 rule 3: days an open Credit Memo counts as a card refund pending payout. */
  creditPayoutDays: z.number().int().min(0).max(3660).default(7),
});
export type ReconcileSettings = z.infer<typeof ReconcileSettings>;

export const accountChannels = {
  'account:entries': channel(
    z.object({}).strict(),
    z.array(AccountEntry),
    'Accounts of the open workspace, both kinds',
  ),
  'account:add': channel(AddAccountInput, AccountEntry, 'Add a NetSuite or a storefront account'),
  'account:edit': channel(EditAccountInput, AccountEntry, 'Rename an account or change its details'),
  'account:remove': channel(
    z.object({ type: AccountType, id: Id, actor: Actor }).strict(),
    z.object({ removed: z.string() }),
    'Remove an account (refused while refunds pushed through it are in the journal)',
  ),
  'connection:get': channel(
    z.object({ type: AccountType, id: Id }).strict(),
    ConnectionInfo,
    'Host, auth method and which secrets are set (never their values)',
  ),
  'connection:set': channel(SetConnectionInput, ConnectionInfo, 'Set the host, auth method and secrets of an account'),
  'connection:test': channel(
    z.object({ type: AccountType, id: Id }).strict(),
    ConnectionTestOutput,
    'One read-only call against the vendor; the answer in words',
  ),
  'connection:pull-account': channel(
    z.object({ type: AccountType, id: Id, since: IsoDate.optional() }).strict(),
    PullOutcome,
    "Pull an account's refunds through its stored connection into a new snapshot (job: progress events, cancellable)",
  ),
  'capabilities:refunds': channel(
    z.object({ accountId: Id }).strict(),
    LearnableRefunds,
    "Refunds of the account's newest storefront snapshot to learn capabilities from, test orders' first",
  ),
  'capabilities:learn': channel(
    z.object({ accountId: Id, snapshotId: Id, refundId: z.string().min(1).max(200), actor: Actor }).strict(),
    CapabilitiesEvidence,
    'Record line-item refunds, store credit and split tender from what one test refund shows',
  ),
  'readiness:view': channel(
    z.object({ accountId: Id }).strict(),
    ReadinessView,
    'Readiness items with who confirmed them and when',
  ),
  'readiness:confirm': channel(
    z
      .object({ accountId: Id, item: z.string().min(1).max(60), actor: Name, note: z.string().max(2000).optional() })
      .strict(),
    ReadinessView,
    'Confirm a manual readiness item (who, when, note; audited)',
  ),
  'readiness:cutoff': channel(
    z.object({ accountId: Id, date: IsoDate, actor: Actor }).strict(),
    ReadinessView,
    'Set the "Import Orders Created After" cutoff date',
  ),
  'settings:get': channel(z.object({}).strict(), ReconcileSettings, 'Tolerances and date window of the workspace'),
  'settings:set': channel(
    z
      .object({
        defaultTolerance: z.string().nullable().optional(),
        tolerances: z.record(z.string(), z.string()).optional(),
        dateWindowDays: z.number().int().optional(),
        creditPayoutDays: z.number().int().optional(),
        actor: Actor,
      })
      .strict(),
    ReconcileSettings,
    'Change the tolerances and the date window of the workspace',
  ),
};

export const PlatformName = Platform;
