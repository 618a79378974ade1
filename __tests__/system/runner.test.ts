// The process runner's timeout: the process and what it started are ended, and the result says so.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { processRunner } from '../../src/system/runner.js';

/** Whether `pid` is running: gone, or a zombie that nobody has reaped yet, is not. */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

test('a command past its timeout is ended with everything it started', async () => {
  const pids: number[] = [];
  // A shell that starts a long sleep in the background, prints its pid, and waits.
  const result = await processRunner.run(['sh', '-c', 'sleep 30 & echo $!; wait'], {
    cwd: process.cwd(),
    env: process.env,
    timeoutMs: 500,
    onLine: (line) => pids.push(Number(line)),
  });
  assert.deepEqual(result, { exitCode: null, signal: 'SIGKILL', timedOut: true });
  assert.equal(pids.length, 1);
  // 'close' comes once every holder of the output pipe, the sleep included, has exited.
  assert.equal(running(pids[0]!), false, 'the background sleep was ended too');
});

test('a command that finishes in time says it did not time out', async () => {
  const result = await processRunner.run(['sh', '-c', 'exit 3'], {
    cwd: process.cwd(),
    env: process.env,
    timeoutMs: 10_000,
  });
  assert.deepEqual(result, { exitCode: 3, signal: null, timedOut: false });
});
