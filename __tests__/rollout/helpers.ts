// Rollout test helpers: a virtual clock and a tiny scripted HTTP agent on 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../src/system/clock.js';

/**
 * A clock whose sleeps pass in virtual time, recording each. Each also lets a sliver of real time go
 * by (1/200 of it, at most 25 ms), so a wait for a real server — a runtime turning READY — still ends
 * within its virtual timeout instead of spinning through it.
 */
export function virtualClock(
  start = 1_700_000_000_000,
): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      await (ms >= 200 ? sleep(Math.min(25, ms / 200)) : nextTurn());
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface Agent {
  url: string;
  /** Requests answered so far. */
  count(): number;
  stop(): Promise<void>;
}

/** Serves `answer(n)` for the n-th request (0-based). */
export async function scriptedAgent(
  answer: (n: number, req: IncomingMessage) => { status: number; body?: string; delayMs?: number },
): Promise<Agent> {
  let n = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const { status, body = '{"ok":true}', delayMs = 0 } = answer(n++, req);
    req.resume();
    setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(body), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => n,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
