import type { UserError } from '../../shared/errors';

/**
 * The command line's own words for a core error (issue 16): core messages name no CLI flag (the
 * app shows its controls instead), so the CLI adds the flag that does what the message advises.
 */
export function cliAdvice(error: UserError): string | null {
  switch (error.code) {
    case 'wrong_side': {
      const side =
        (error.details as { side?: string } | undefined)?.side ??
        /as the (storefront|NetSuite|netsuite) side/.exec(error.message)?.[1]?.toLowerCase();
      return side ? `Use --side ${side}.` : 'Use --side storefront or --side netsuite.';
    }
    case 'unknown_format':
    case 'unexpected_json':
      return 'Choose the format with --format, or map your columns with --mapping.';
    case 'missing_column':
      return 'Map your header names with --mapping (a JSON file).';
    case 'bad_amount':
      return /decimal comma/.test(error.message) ? 'For amounts written as 1.234,56, add --decimal-comma.' : null;
    case 'ambiguous_date':
    case 'bad_date':
      return dateOrderAdvice((error.details as { dateOrder?: string } | undefined)?.dateOrder);
    case 'shopify_refund_too_large':
      return 'Pull with --bulk.';
    default:
      return null;
  }
}

/** The importers' date order (`dateOrder` in the error's details) is `--date-format` on the command line. */
function dateOrderAdvice(dateOrder: string | undefined): string | null {
  switch (dateOrder) {
    case 'dmy':
      return 'Use --date-format dmy.';
    case 'choose':
      return 'Use --date-format dmy or --date-format mdy.';
    case 'check':
      return 'Check --date-format (mdy, dmy or iso).';
    default:
      return null;
  }
}

/**
 * An import note worded for the command line: a note that advises setting the date order gets the
 * flag that sets it.
 */
export function cliNoteAdvice(note: string): string {
  return /date order set to D\/M\/YYYY/.test(note) ? `${note} Use --date-format dmy.` : note;
}
