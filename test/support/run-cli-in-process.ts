import { main } from '../../src/main/cli/main';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `refund-recon …` in this process (the CLI's own `main`, as bin/refund-recon.js does),
 * capturing what it prints and its exit status. In-process so a test can run dozens of commands
 * on a 2-core machine; the child-process path is covered by the other CLI tests.
 */
export async function runCli(args: string[], stdin?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  process.exitCode = 0;
  void stdin;
  try {
    await main(['node', 'refund-recon', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  const status = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { status, stdout, stderr };
}
