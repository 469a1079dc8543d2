import type { Command } from 'commander';
import { UserError } from '../../../shared/errors';

interface SignOptions {
  method: string;
  url: string;
  account: string;
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  nonce?: string;
  timestamp?: string;
  baseString?: boolean;
}

/** `refund-recon netsuite sign`: prints the TBA Authorization header value (spec §7). */
export function registerNetsuite(program: Command): void {
  const netsuite = program.command('netsuite').description('NetSuite helpers');
  netsuite
    .command('sign')
    .description('Print the TBA (OAuth 1.0, HMAC-SHA256) Authorization header for a request, to debug a TBA setup')
    .requiredOption('--method <method>', 'HTTP method, e.g. GET')
    .requiredOption('--url <url>', 'full request URL including any query string')
    .requiredOption('--account <id>', 'NetSuite account ID, e.g. 1234567 or 1234567_SB1 (gives the realm)')
    .requiredOption('--consumer-key <key>', 'integration consumer key')
    .requiredOption('--consumer-secret <secret>', 'integration consumer secret')
    .requiredOption('--token <token>', 'token ID')
    .requiredOption('--token-secret <secret>', 'token secret')
    .option('--nonce <nonce>', 'nonce (default: random, 20 characters)')
    .option('--timestamp <seconds>', 'Unix timestamp in seconds (default: now)')
    .option('--base-string', 'also print the signature base string on stderr')
    .action(async (options: SignOptions) => {
      if (!/^[A-Za-z]+$/.test(options.method)) {
        throw new UserError(
          'usage',
          `--method: expected an HTTP method such as GET or POST, found "${options.method}".`,
        );
      }
      try {
        new URL(options.url);
      } catch {
        throw new UserError(
          'usage',
          `--url: expected an absolute URL such as https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/employee/40, found "${options.url}".`,
        );
      }
      if (options.timestamp !== undefined && !/^\d{1,12}$/.test(options.timestamp)) {
        throw new UserError('usage', `--timestamp: expected Unix seconds, found "${options.timestamp}".`);
      }
      if (options.nonce !== undefined && !/^[A-Za-z0-9]{1,64}$/.test(options.nonce)) {
        throw new UserError('usage', '--nonce: expected 1 to 64 letters and digits.');
      }
      // Loaded on use: `--help` stays fast.
      const { signNetsuiteRequest } = await import('../../use-cases/netsuite-sign');
      const signed = signNetsuiteRequest({
        method: options.method.toUpperCase(),
        url: options.url,
        account: options.account,
        consumerKey: options.consumerKey,
        consumerSecret: options.consumerSecret,
        token: options.token,
        tokenSecret: options.tokenSecret,
        ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
        ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
      });
      if (options.baseString) process.stderr.write(`${signed.baseString}\n`);
      process.stdout.write(`${signed.header}\n`);
    });
}
