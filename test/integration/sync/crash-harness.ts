import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '../../..');

/** Bundles the CLI into one CommonJS file (better-sqlite3 stays external): a child starts in ~0.2 s, not tsx's ~1 s. */
export async function bundleCli(dir: string): Promise<string> {
  const out = path.join(dir, 'push-child.cjs');
  await build({
    entryPoints: [path.join(__dirname, 'push-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
  return out;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface ChildRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function runCli(script: string, args: string[], env: Record<string, string>): ChildRun {
  const child = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, ...env, NODE_PATH: path.join(ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  return { child, done };
}

/**
 * Kills the child with SIGKILL once the emulator has seen `afterRequests` more requests (plus a
 * random 0–2 ms), so every kill lands somewhere random inside the push — between journal commit
 * and request, mid-request, or between response and journal update. Resolves true if it killed.
 */
export async function killAfterRequests(
  run: ChildRun,
  requestCount: () => number,
  afterRequests: number,
  random: () => number,
): Promise<boolean> {
  const start = requestCount();
  let exited = false;
  void run.done.then(() => {
    exited = true;
  });
  while (!exited && requestCount() - start < afterRequests) {
    await new Promise((r) => setTimeout(r, 1));
  }
  if (exited) return false;
  const jitter = Math.floor(random() * 3);
  if (jitter > 0) await new Promise((r) => setTimeout(r, jitter));
  if (exited) return false;
  run.child.kill('SIGKILL');
  await run.done;
  return true;
}

export function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
