import { FIELD_LABELS, type FieldValues, type RoundTripField } from './port';

/**
 * Field-by-field comparison of a record as sent and as read back (issue 13 item 6): total, lines,
 * tax, shipping, external ID, date, currency. Each differing field is one sentence naming it.
 */
export function compareFields(sent: FieldValues, back: FieldValues): string[] {
  const out: string[] = [];
  for (const field of Object.keys(FIELD_LABELS) as RoundTripField[]) {
    if (field === 'lines') {
      const missing = multisetMinus(sent.lines, back.lines);
      const extra = multisetMinus(back.lines, sent.lines);
      if (missing.length || extra.length) {
        const parts = [
          ...(missing.length ? [`sent ${missing.join('; ')} but it is not on the record read back`] : []),
          ...(extra.length ? [`the record read back has ${extra.join('; ')}, which was not sent`] : []),
        ];
        out.push(`lines: ${parts.join('; ')}.`);
      }
      continue;
    }
    const a = sent[field];
    const b = back[field];
    if (a !== b) out.push(`${FIELD_LABELS[field]}: sent ${a || 'none'}, read back ${b || 'none'}.`);
  }
  return out;
}

function multisetMinus(a: readonly string[], b: readonly string[]): string[] {
  const left = [...b];
  const out: string[] = [];
  for (const x of a) {
    const i = left.indexOf(x);
    if (i >= 0) left.splice(i, 1);
    else out.push(x);
  }
  return out;
}
