import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Runtime } from '../../src/agentrun/api.js';
import { pollInterval, waitForRuntime, WaitError } from '../../src/agentrun/wait.js';
import type { Clock } from '../../src/system/clock.js';

/** A clock that moves only when slept on, so a wait runs instantly and exactly. */
function fakeClock(): Clock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

/** A runtime that turns READY (or `finalStatus`) `readyAtMs` after the wait begins. */
function runtimeTurning(clock: Clock, readyAtMs: number, finalStatus = 'READY') {
  const polls: number[] = [];
  const client = {
    getRuntime: async (): Promise<Runtime> => {
      polls.push(clock.now());
      const status = clock.now() >= readyAtMs ? finalStatus : 'UPDATING';
      return { agentRuntimeId: 'r', agentRuntimeName: 'agent', status, statusReason: 'reason' };
    },
  };
  return { client, polls };
}

test('a runtime READY at 0.8 s is seen within a quarter second, jitter or not', async () => {
  for (const random of [() => 0, () => 0.5, () => 1]) {
    const clock = fakeClock();
    const { client, polls } = runtimeTurning(clock, 800);
    await waitForRuntime(client, 'r', { timeoutMs: 60_000, clock, random });
    const seen = polls.at(-1)!;
    assert.ok(seen >= 800 && seen - 800 <= 300, `seen at ${seen} ms`);
  }
});

test('polling slows down after the first 15 s, up to 5 s apart, and never faster than 5 a second', () => {
  assert.equal(
    pollInterval(1_000, 250, () => 0.5),
    250,
  );
  assert.equal(
    pollInterval(1_000, 250, () => 0),
    200,
  );
  assert.equal(
    pollInterval(1_000, 250, () => 1),
    300,
  );
  assert.equal(
    pollInterval(20_000, 1_000, () => 0.5),
    1_500,
  );
  assert.equal(
    pollInterval(600_000, 5_000, () => 0.5),
    5_000,
  );
});

test('a long wait makes few requests; a timeout and a failed state end it with the reason', async () => {
  const clock = fakeClock();
  const slow = runtimeTurning(clock, 120_000);
  await waitForRuntime(slow.client, 'r', { timeoutMs: 600_000, clock, random: () => 0.5 });
  assert.ok(slow.polls.length < 100, `${slow.polls.length} polls for a 2-minute transition`);

  const stuckClock = fakeClock();
  const stuck = runtimeTurning(stuckClock, Infinity);
  await assert.rejects(
    waitForRuntime(stuck.client, 'r', { timeoutMs: 30_000, clock: stuckClock, random: () => 0.5 }),
    (error: unknown) => error instanceof WaitError && error.timedOut,
  );
  const failing = runtimeTurning(clock, 0, 'UPDATE_FAILED');
  await assert.rejects(
    waitForRuntime(failing.client, 'r', { timeoutMs: 30_000, clock, random: () => 0.5 }),
    /Agent runtime agent is UPDATE_FAILED: reason/,
  );
});
