import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { FileSecretStore } from '../../../src/main/secrets/file-secret-store';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/refund-recon.js');
const PLANTED = {
  consumerSecret: 'PLANTED-consumer-secret-5e1f0c9a7b3d',
  tokenSecret: 'PLANTED-token-secret-8c2d4e6f1a3b',
};

let emu: NetsuiteEmulator;
let dir: string;

// The emulators listen on 127.0.0.1: loopback API destinations are allowed in this process, as
// REFUND_RECON_ALLOW_LOOPBACK_APIS=1 does for a process started with it (CLI children get the variable).
beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

beforeAll(async () => {
  emu = await startNetsuiteEmulator({
    data: generateNetsuiteData({ refunds: 40, seed: 3 }),
    tba: [{ ...DEFAULT_TBA, ...PLANTED }],
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-secret-'));
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function grepTree(root: string, needles: string[]): string[] {
  const hits: string[] = [];
  for (const name of fs.readdirSync(root)) {
    const file = path.join(root, name);
    if (name === 'secrets.json') continue;
    const bytes = fs.readFileSync(file);
    for (const needle of needles) {
      if (bytes.includes(Buffer.from(needle)) || bytes.includes(Buffer.from(needle, 'utf16le')))
        hits.push(`${name}: ${needle}`);
    }
  }
  return hits;
}

describe('secrets never reach logs, output or the workspace', () => {
  it('CLI pull with a planted secret: snapshot made, secret absent from log, database and output', async () => {
    const secretsFile = path.join(dir, 'secrets.json');
    const store = new FileSecretStore(secretsFile);
    await store.set('netsuite.consumerKey', DEFAULT_TBA.consumerKey);
    await store.set('netsuite.consumerSecret', PLANTED.consumerSecret);
    await store.set('netsuite.tokenId', DEFAULT_TBA.token);
    await store.set('netsuite.tokenSecret', PLANTED.tokenSecret);
    expect(fs.statSync(secretsFile).mode & 0o777).toBe(0o600);
    const workspace = path.join(dir, 'ws.sqlite');
    const log = path.join(dir, 'requests.jsonl');
    const args = [BIN, 'pull', 'netsuite', '--account', emu.accountId, '--host', emu.url, '--workspace', workspace];
    const ok = await run(process.execPath, [...args, '--secrets-file', secretsFile, '--request-log', log, '--json'], {
      env: { ...process.env, REFUND_RECON_SECRETS_FILE: '', REFUND_RECON_ALLOW_LOOPBACK_APIS: '1' },
    });
    const result = JSON.parse(ok.stdout) as { snapshotId: number; refunds: number; requests: number };
    expect(result.refunds).toBe(40);
    expect(fs.readFileSync(log, 'utf8').trim().split('\n').length).toBe(result.requests);

    // A failing pull (wrong token secret through the environment) prints a message, still no secret.
    const wrong = 'PLANTED-wrong-secret-0a9b8c7d6e';
    const failed = await run(process.execPath, [...args, '--secrets-file', secretsFile, '--request-log', log], {
      env: { ...process.env, REFUND_RECON_NETSUITE_TOKENSECRET: wrong, REFUND_RECON_ALLOW_LOOPBACK_APIS: '1' },
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect((failed as { code: number }).code).toBe(2);
    expect((failed as { stderr: string }).stderr).toMatch(/INVALID_LOGIN/);

    const needles = [PLANTED.consumerSecret, PLANTED.tokenSecret, wrong, DEFAULT_TBA.token, DEFAULT_TBA.consumerKey];
    expect(grepTree(dir, needles)).toEqual([]);
    for (const text of [
      ok.stdout,
      ok.stderr,
      (failed as { stdout: string }).stdout,
      (failed as { stderr: string }).stderr,
    ]) {
      for (const needle of needles) expect(text).not.toContain(needle);
    }
  }, 30_000);

  it('refuses a secrets file that others can read, with the chmod that fixes it', async () => {
    const file = path.join(dir, 'loose.json');
    fs.writeFileSync(file, '{"netsuite.tokenSecret":"x"}', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    await expect(new FileSecretStore(file).get('netsuite.tokenSecret')).rejects.toThrow(/chmod 600/);
  });
});
