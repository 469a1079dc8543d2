import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

export interface EmulatorProcess<R> {
  ready: R;
  request<T>(type: string): Promise<T>;
  stop(): Promise<void>;
}

/** Forks bench/emulator-child.ts (through tsx) and waits until its emulator listens on 127.0.0.1. */
export async function startEmulatorProcess<R>(config: Record<string, unknown>): Promise<EmulatorProcess<R>> {
  const child: ChildProcess = fork(path.join(__dirname, 'emulator-child.ts'), [], {
    execArgv: ['--require', 'tsx/cjs'],
    env: { ...process.env, EMULATOR_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<R>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    child.on('message', (message: { type: string }) => {
      if (message.type === 'ready') resolve(message as R);
    });
  });
  return {
    ready,
    request: <T>(type: string) =>
      new Promise<T>((resolve) => {
        const onMessage = (message: { type: string }) => {
          if (message.type === type) {
            child.off('message', onMessage);
            resolve(message as T);
          }
        };
        child.on('message', onMessage);
        child.send({ type });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}
