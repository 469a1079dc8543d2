import type { Migration } from './migration';

/**
 * Each journal row records where it was meant to go (issue 17 Y1): `destination` is the account
 * the write targets — `netsuite:<netsuite account id>:<environment>` for storefront → NetSuite,
 * `<platform>:<storefront account id>` for NetSuite → storefront. A push sends a row only while the
 * account still syncs that way to that place; a row written before a direction change or a
 * re-link is never sent somewhere else. Rows already journaled get the destination their
 * direction had at upgrade time (the link as it is now); a storefront → NetSuite row of an account
 * without a NetSuite link keeps '' and is never sent until the user decides.
 */
export const migration008: Migration = {
  version: 8,
  name: 'push journal rows record their destination',
  up: `
ALTER TABLE push_journal ADD COLUMN destination TEXT NOT NULL DEFAULT '';
UPDATE push_journal SET destination = COALESCE((
  SELECT CASE
    WHEN push_journal.direction = 'netsuite_to_storefront' THEN a.platform || ':' || a.id
    WHEN n.id IS NOT NULL THEN 'netsuite:' || n.id || ':' || n.environment
    ELSE ''
  END
  FROM storefront_accounts a
  LEFT JOIN refund_sync_settings s ON s.storefront_account_id = a.id
  LEFT JOIN netsuite_accounts n ON n.id = s.netsuite_account_id
  WHERE a.id = push_journal.storefront_account_id
), '');
CREATE INDEX push_journal_by_destination ON push_journal(storefront_account_id, direction, destination, state);
`,
};
