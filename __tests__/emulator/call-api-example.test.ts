import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ delayMs: 50 });
});
after(() => emulator.stop());

test('examples/call-api.mjs creates, publishes, routes, invokes and deletes the example agent', async () => {
  const child = spawn(process.execPath, ['examples/call-api.mjs', emulator.endpoint], {
    env: {
      ...process.env,
      ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(code, 0, output);

  assert.match(output, /version 1 published\nversion 2 published\n/);
  const split = /200 calls: (\d+) answered by version 1 \(stable\), (\d+) by version 2 \(canary\)/.exec(
    output,
  );
  assert.ok(split, output);
  // 20% to the canary: 40 expected, binomial sd ≈ 5.7, so 10–70 is far outside chance.
  assert.equal(Number(split[1]) + Number(split[2]), 200);
  assert.ok(Number(split[2]) >= 10 && Number(split[2]) <= 70, `canary answered ${split[2]} of 200`);

  const actions = emulator.requestLog().map((entry) => `${entry.action} ${entry.status}`);
  for (const expected of [
    'CreateAgentRuntime 200',
    'PublishRuntimeVersion 200',
    'UpdateAgentRuntime 200',
    'CreateAgentRuntimeEndpoint 200',
    'DeleteAgentRuntime 200',
  ]) {
    assert.ok(actions.includes(expected), `${expected} in ${actions.join(', ')}`);
  }
  // Deleting takes one status transition; then the agent's processes are gone.
  for (let i = 0; i < 40 && emulator.processIds().length; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(emulator.processIds(), [], 'no agent process left running');
});
