/**
 * Sort values for "by difference" that compare within a currency and never minor units across
 * currencies: the currency code, then the minor units as fixed-width digits (a signed difference
 * offset by 2^62 so it is never negative; |difference| needs no offset). Text order is then
 * currency order, then amount order. The expressions match migration 014's indexes exactly.
 */
export const CURRENCY_DIFFERENCE_SQL = "r.currency || printf('%019d', r.difference + 4611686018427387904)";
export const CURRENCY_ABS_DIFFERENCE_SQL = "r.currency || printf('%016d', abs(r.difference))";
