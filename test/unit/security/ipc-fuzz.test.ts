import type { IpcMainInvokeEvent } from 'electron';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { trustedOrigins } from '../../../src/main/electron/app-origin';
import { registerIpc } from '../../../src/main/electron/ipc';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { CHANNEL_NAMES, contract, type Result } from '../../../src/shared/contract';
import { MARK, payloadFor, type SeededWorkspace, seededWorkspace } from './helpers';

// Long work (import, compare, pull) runs in worker threads; the fuzzer records what would have
// been handed to a worker instead of starting hundreds of them. Whatever reaches it must have
// passed the channel's schema.
const jobInputs: unknown[] = [];
vi.mock('../../../src/main/jobs/run-job', async () => {
  const { UserError } = await import('../../../src/shared/errors');
  return {
    runJob: async (_ctx: unknown, name: string, input: unknown) => {
      jobInputs.push({ name, input });
      throw new UserError('job_not_started', `fuzz: the ${name} job is not started in this test`);
    },
  };
});

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => unknown;
const handlers = new Map<string, Handler>();
let ws: SeededWorkspace;
const trusted = { sender: { id: 1 }, senderFrame: { url: 'app://renderer/index.html', parent: null } } as never;

beforeAll(async () => {
  setSecretStore(new MemorySecretStore());
  ws = await seededWorkspace();
  registerIpc({
    ipcMain: { handle: (c: string, h: Handler) => handlers.set(c, h), removeHandler: () => {} } as never,
    context: () => ws.ctx,
    origins: trustedOrigins(),
    isOurWebContents: (id) => id === 1,
  });
}, 60_000);
afterAll(() => ws?.close());

describe('IPC fuzzing: every contract channel through the registration wrapper', () => {
  it('covers every channel of the contract', () => {
    expect([...handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it.each(CHANNEL_NAMES)(
    '%s: invalid payloads are validation errors, nothing throws, no payload in SQL',
    async (channel) => {
      const handler = handlers.get(channel)!;
      const schema = contract[channel].input;
      await fc.assert(
        fc.asyncProperty(payloadFor(schema), async (payload) => {
          ws.sql.length = 0;
          let result: Result<unknown>;
          try {
            result = (await handler(trusted, payload)) as Result<unknown>;
          } catch (error) {
            throw new Error(`${channel} threw past the wrapper: ${String(error)}`);
          }
          expect(typeof result.ok).toBe('boolean');
          if (!schema.safeParse(payload).success) {
            expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
          } else if (!result.ok) {
            // A valid payload may be refused (unknown id, missing secret…) but never crash a handler.
            expect(result.error.code, result.error.message).not.toBe('internal_error');
          }
          for (const text of ws.sql) expect(text.includes(MARK), `payload text inside SQL: ${text}`).toBe(false);
          // Result text is data, never an echo of SQL (no statements or stack traces go back).
          if (!result.ok) expect(result.error.message).not.toMatch(/\bat .+:\d+:\d+\)|SQLITE_/);
        }),
        { numRuns: 60, seed: 20251126 ^ channel.length },
      );
    },
  );

  it('only schema-checked data reaches a job', () => {
    for (const { name, input } of jobInputs as { name: string; input: Record<string, unknown> }[]) {
      const channel = { import: 'snapshot:import', reconcile: 'run:compare', pull: 'connection:pull' }[name];
      expect(channel, name).toBeDefined();
      const request = name === 'pull' ? input.request : input;
      expect(contract[channel as 'run:compare'].input.safeParse(request).success, JSON.stringify(request)).toBe(true);
    }
  });
});
