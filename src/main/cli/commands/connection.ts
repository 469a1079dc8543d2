import fs from 'node:fs';
import type { Command } from 'commander';
import type { AuthMethod } from '../../../shared/contract/accounts';
import { UserError } from '../../../shared/errors';

/** Loaded on use: `--help` stays fast. */
const load = () =>
  Promise.all([
    import('../cli-context'),
    import('../../use-cases/account-lookup'),
    import('../../use-cases/connections'),
  ]);

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `FIELD=VARIABLE`: the secret is read from that environment variable, never typed on the command line. */
function secretsFromEnv(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const [field, variable] = pair.split('=', 2);
    if (!field || !variable) {
      throw new UserError(
        'invalid_option',
        `--secret-env: expected FIELD=VARIABLE, such as tokenSecret=NS_TOKEN_SECRET; found "${pair.slice(0, 40)}".`,
      );
    }
    const value = process.env[variable];
    if (value === undefined || value === '') {
      throw new UserError(
        'missing_variable',
        `--secret-env ${field}: the environment variable ${variable} is not set.`,
        { field },
      );
    }
    out[field] = value;
  }
  return out;
}

const AUTH: Record<string, AuthMethod> = {
  tba: 'tba',
  oauth2: 'oauth2',
  'access-token': 'access_token',
  'api-token': 'api_token',
  'key-secret': 'key_secret',
};

export function registerConnection(program: Command): void {
  const connection = program
    .command('connection')
    .description("An account's API connection: host, auth method, secrets, test");
  connection
    .command('show')
    .description('Host, auth method and which secrets are set (never their values)')
    .argument('<name>', 'the account')
    .option('--workspace <file>', 'the workspace file')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { workspace?: string; json?: boolean }) => {
      const [{ printJson, printLines, withCliContext }, { requireAccountByName }, { getConnection }] = await load();
      await withCliContext(opts.workspace, async (ctx) => {
        const found = requireAccountByName(ctx.db, name);
        const info = await getConnection(ctx, { type: found.type, id: found.account.id });
        if (opts.json) printJson(info);
        else
          printLines([
            `${found.account.name}: ${info.host}${info.hostIsDefault ? ' (default)' : ''}, ${info.authMethod ?? 'no auth'}`,
            ...info.secrets.map((s) => `  ${s.label}: ${s.set ? 'set' : 'not set'}`),
            `Secrets are read from ${info.store}.`,
          ]);
      });
    });
  connection
    .command('set')
    .description(
      'Set the API host, the auth method and secrets (secrets from environment variables or stdin, never the command line)',
    )
    .argument('<name>', 'the account')
    .option('--workspace <file>', 'the workspace file')
    .option('--host <url>', 'API host override ("" for the default from the account)')
    .option('--auth <method>', 'NetSuite: tba or oauth2')
    .option('--store-hash <hash>', 'BigCommerce: the store hash')
    .option('--secret-env <field=variable>', 'read a secret from an environment variable (repeatable)', collect)
    .option('--secret-stdin <field>', 'read one secret from standard input')
    .option('--by <person>', 'who makes the change (audit log)')
    .action(
      async (
        name: string,
        opts: {
          workspace?: string;
          host?: string;
          auth?: string;
          storeHash?: string;
          secretEnv?: string[];
          secretStdin?: string;
          by?: string;
        },
      ) => {
        const auth = opts.auth === undefined ? undefined : AUTH[opts.auth.trim().toLowerCase()];
        if (opts.auth !== undefined && !auth) {
          throw new UserError(
            'invalid_option',
            `--auth: expected tba or oauth2 (NetSuite); found "${opts.auth.slice(0, 20)}".`,
          );
        }
        const secrets = secretsFromEnv(opts.secretEnv ?? []);
        if (opts.secretStdin) secrets[opts.secretStdin] = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
        const [{ printLines, withCliContext }, { requireAccountByName }, { setConnection }] = await load();
        await withCliContext(opts.workspace, async (ctx) => {
          const found = requireAccountByName(ctx.db, name);
          const info = await setConnection(ctx, {
            type: found.type,
            id: found.account.id,
            ...(opts.host !== undefined ? { host: opts.host } : {}),
            ...(auth ? { authMethod: auth } : {}),
            ...(opts.storeHash !== undefined ? { storeHash: opts.storeHash } : {}),
            secrets,
            actor: opts.by ?? process.env.USER ?? 'cli',
          });
          printLines([
            `Saved the connection of "${found.account.name}": ${info.host}.`,
            ...info.secrets.map((s) => `  ${s.label}: ${s.set ? 'set' : 'not set'}`),
          ]);
        });
      },
    );
  connection
    .command('test')
    .description('One read-only call against the vendor')
    .argument('<name>', 'the account')
    .option('--workspace <file>', 'the workspace file')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { workspace?: string; json?: boolean }) => {
      const [{ printJson, printLines, withCliContext }, { requireAccountByName }, { testConnection }] = await load();
      await withCliContext(opts.workspace, async (ctx) => {
        const found = requireAccountByName(ctx.db, name);
        const result = await testConnection(ctx, { type: found.type, id: found.account.id });
        if (opts.json) printJson(result);
        else printLines([result.message]);
        process.exitCode = result.ok ? 0 : 1;
      });
    });
}
