import { migration001 } from './001-initial';
import { migration002 } from './002-runs';
import { migration003 } from './003-sync';
import { migration004 } from './004-ui-indexes';
import { migration005 } from './005-line-summary';
import { migration006 } from './006-results-search';
import { migration007 } from './007-result-side-amounts';
import { migration008 } from './008-journal-destination';
import { migration009 } from './009-presentment-parts';
import { migration012 } from './012-accounts-settings';
import { migration014 } from './014-accountants-desk';
import { migration015 } from './015-tenders';
import { migration016 } from './016-disputes-result-tenders';
import { migration020 } from './020-results-write-indexes';
import { migration021 } from './021-snapshot-order-ids';
import { migration022 } from './022-search-index-on-first-search';
import { migration024 } from './024-result-netsuite-refund-column';
import { migration025 } from './025-result-second-netsuite-refund-column';
import { migration026 } from './026-matched-results';
import type { Migration } from './migration';

/** Append-only: add the next migration at the end, never change a released one. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration012,
  migration014,
  migration015,
  migration016,
  migration020,
  migration021,
  migration022,
  migration024,
  migration025,
  migration026,
];
