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
    default:
      return null;
  }
}
