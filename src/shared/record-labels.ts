/** NetSuite record types as accountants read them (NetSuite's own display names). */
export const RECORD_TYPE_LABELS: Readonly<Record<string, string>> = {
  cashRefund: 'Cash Refund',
  creditMemo: 'Credit Memo',
  customerRefund: 'Customer Refund',
  returnAuthorization: 'Return Authorization',
  refund: 'refund',
};

export function recordTypeLabel(type: string): string {
  return RECORD_TYPE_LABELS[type] ?? type;
}
