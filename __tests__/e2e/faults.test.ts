// Failure cases through run(settings, host), each on a fresh emulator: retried faults converge to one
// of everything; fatal ones fail with an actionable message, print no secret and route no traffic.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Emulator } from '../../emulator/index.js';
import { agentRun } from '../emulator/helpers.js';
import {
  ask,
  emulatorInputs,
  remoteState,
  requestsSince,
  runInProcess,
  statusesOf,
  withSetup,
  writes,
  type InProcessRun,
} from './helpers.js';

function assertNoSecret(run: InProcessRun, secret: string): void {
  assert.ok(!run.captured.everything().includes(secret), 'a secret reached the log');
  assert.ok(!run.failure?.includes(secret), 'a secret is in the failure message');
}

/** What failed must not serve: no endpoint was created or changed. */
function assertNoEndpointWrites(emulator: Emulator, since = 0): void {
  const endpointWrites = writes(requestsSince(emulator, since)).filter((e) => /Endpoint$/.test(e.action));
  assert.deepEqual(endpointWrites, []);
}

// The code's upload too: Function Compute's temporary bucket token and the OSS PutObject.
const RETRIED_WRITES = [
  'GetTempBucketToken',
  'PutObject',
  'CreateAgentRuntime',
  'PublishRuntimeVersion',
  'CreateAgentRuntimeEndpoint',
];

void describe('retryable faults on every write', () => {
  const cases = [
    { kind: 'throttle', status: 429, logged: 'throttled' },
    { kind: 'server-error', status: 500, logged: 'server' },
    { kind: 'reset', status: 0, logged: 'network' },
  ] as const;
  for (const { kind, status, logged } of cases) {
    void test(`${kind} once on each write: retried, exactly one runtime, version and endpoint`, () =>
      withSetup(
        'single',
        { faults: RETRIED_WRITES.map((action) => ({ action, kind, times: 1 })) },
        async (emulator, project) => {
          const run = await runInProcess(emulatorInputs(emulator), project.dir);
          assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
          const log = emulator.requestLog();
          for (const action of RETRIED_WRITES) {
            assert.deepEqual(statusesOf(log, action), [status, 200], action);
            assert.ok(
              run.captured.lines.some((line) =>
                line.startsWith(`warning: ${action}: ${logged}, retrying in`),
              ),
              `no retry warning for ${action}`,
            );
          }
          const runtimes = await remoteState(emulator);
          assert.equal(runtimes.length, 1);
          assert.equal(runtimes[0]!.status, 'READY');
          assert.equal(runtimes[0]!.versions.length, 1);
          assert.equal(runtimes[0]!.endpoints.length, 1);
          assert.equal((await ask(run.captured.outputs.url!, 'after faults')).status, 200);
          assertNoSecret(run, emulator.credentials.accessKeySecret);
        },
      ));
  }
});

const STUCK_MS = 1500;

void describe('fatal failures', () => {
  void test('a crashing agent: CREATE_FAILED with its stderr line, no endpoint, no process left', () =>
    withSetup('crash', {}, async (emulator, project) => {
      const run = await runInProcess(emulatorInputs(emulator), project.dir);
      assert.ok(run.failure, 'the run should fail');
      assert.match(run.failure, /^agent: Agent runtime e2e-crash is CREATE_FAILED: /);
      assert.match(run.failure, /agent: OPENAI_API_KEY is not set/);
      assert.deepEqual(run.captured.outputs, {}, 'no outputs for a failed deploy');
      assertNoEndpointWrites(emulator);
      assert.deepEqual(statusesOf(emulator.requestLog(), 'PublishRuntimeVersion'), []);
      const [runtime] = await remoteState(emulator);
      assert.equal(runtime?.status, 'CREATE_FAILED');
      assert.deepEqual(runtime.endpoints, []);
      assert.deepEqual(emulator.processIds(), []);
      assertNoSecret(run, emulator.credentials.accessKeySecret);

      // Fixing the command and re-running repairs the same runtime.
      const s = await project.read('s.yaml');
      const command = s.slice(s.indexOf('          command:'), s.indexOf('        endpoints:'));
      await project.edit('s.yaml', command, '          command: [python3, main.py]\n');
      const since = emulator.requestLog().length;
      const fixed = await runInProcess(emulatorInputs(emulator), project.dir);
      assert.equal(fixed.failure, undefined, fixed.captured.lines.join('\n'));
      assert.deepEqual(
        writes(requestsSince(emulator, since)).map((entry) => entry.action),
        ['UpdateAgentRuntime', 'PublishRuntimeVersion', 'CreateAgentRuntimeEndpoint'],
      );
      assert.equal(fixed.captured.outputs['runtime-id'], runtime.agentRuntimeId);
      assert.equal((await ask(fixed.captured.outputs.url!, 'fixed')).status, 200);
    }));

  void test('stuck CREATING past `timeout`: names the status and the input; a re-run converges', () =>
    // Every transition takes 1.5 s here: long enough to outlast `timeout: 1s`, short for the re-run.
    withSetup('single', { delayMs: STUCK_MS }, async (emulator, project) => {
      const inputs = emulatorInputs(emulator);
      const stuck = await runInProcess({ ...inputs, timeout: '1s' }, project.dir);
      assert.ok(stuck.failure, 'the run should time out');
      assert.match(stuck.failure, /Agent runtime e2e-agent is still CREATING after 1 s \(timeout 1 s\)/);
      assert.match(stuck.failure, /Raise the `wait-timeout` input/);
      assert.ok(stuck.ms < STUCK_MS, `gave up after ${stuck.ms} ms, not at the timeout`);
      assertNoEndpointWrites(emulator);

      const since = emulator.requestLog().length;
      const rerun = await runInProcess(inputs, project.dir);
      assert.equal(rerun.failure, undefined, rerun.captured.lines.join('\n'));
      assert.deepEqual(statusesOf(requestsSince(emulator, since), 'CreateAgentRuntime'), []);
      const runtimes = await remoteState(emulator);
      assert.equal(runtimes.length, 1, 'no second runtime');
      assert.equal(runtimes[0]!.status, 'READY');
      assert.equal(rerun.captured.outputs['runtime-id'], runtimes[0]!.agentRuntimeId);
      assert.equal(rerun.captured.outputs.version, '1');
      assert.equal((await ask(rerun.captured.outputs.url!, 'late')).status, 200);
    }));

  void test('a runtime still being deleted is waited out, then created anew', () =>
    withSetup('single', { delayMs: 300 }, async (emulator, project) => {
      const inputs = emulatorInputs(emulator);
      const first = await runInProcess(inputs, project.dir);
      assert.equal(first.failure, undefined, first.captured.lines.join('\n'));
      const [deployed] = await remoteState(emulator);
      const call = agentRun(emulator);
      const runtimePath = `/2025-09-10/agents/runtimes/${deployed!.agentRuntimeId}`;
      for (const endpoint of deployed!.endpoints) {
        await call(
          'DeleteAgentRuntimeEndpoint',
          'DELETE',
          `${runtimePath}/endpoints/${endpoint.agentRuntimeEndpointId}`,
        );
      }
      while ((await remoteState(emulator))[0]!.endpoints.length) await new Promise((r) => setTimeout(r, 50));
      await call('DeleteAgentRuntime', 'DELETE', runtimePath);

      const again = await runInProcess(inputs, project.dir);
      assert.equal(again.failure, undefined, again.captured.lines.join('\n'));
      const [recreated, ...others] = await remoteState(emulator);
      assert.deepEqual(others, []);
      assert.notEqual(recreated!.agentRuntimeId, deployed!.agentRuntimeId);
      assert.equal(recreated!.status, 'READY');
      assert.equal((await ask(again.captured.outputs.url!, 'back')).status, 200);
    }));

  void test('a re-run that also times out on the busy runtime reports the timeout and writes nothing', () =>
    // Transitions outlast both runs here, so the runtime is CREATING throughout.
    withSetup('single', { delayMs: 3 * STUCK_MS }, async (emulator, project) => {
      const inputs = { ...emulatorInputs(emulator), timeout: '1s' };
      assert.ok((await runInProcess(inputs, project.dir)).failure);
      const since = emulator.requestLog().length;
      const rerun = await runInProcess(inputs, project.dir);
      assert.ok(rerun.failure, 'the re-run should time out too');
      assert.match(rerun.failure, /Agent runtime e2e-agent is still CREATING after 1 s \(timeout 1 s\)/);
      assert.deepEqual(writes(requestsSince(emulator, since)), [], 'nothing is sent to a busy runtime');
    }));

  void test('an endpoint that failed to come up: named in the message, repaired by the re-run', () =>
    withSetup(
      'single',
      {
        faults: [
          { action: 'CreateAgentRuntimeEndpoint', kind: 'fail-transition', message: 'no capacity in zone h' },
        ],
      },
      async (emulator, project) => {
        const inputs = emulatorInputs(emulator);
        const failed = await runInProcess(inputs, project.dir);
        assert.match(failed.failure ?? '', /^agent: Endpoint live is CREATE_FAILED: no capacity in zone h$/);

        const since = emulator.requestLog().length;
        const rerun = await runInProcess(inputs, project.dir);
        assert.equal(rerun.failure, undefined, rerun.captured.lines.join('\n'));
        const calls = requestsSince(emulator, since);
        assert.deepEqual(
          writes(calls).map((entry) => entry.action),
          ['UpdateAgentRuntimeEndpoint'],
          'the runtime and its version were fine; only the endpoint is re-applied',
        );
        const [runtime] = await remoteState(emulator);
        assert.deepEqual(
          runtime?.endpoints.map((e) => e.status),
          ['READY'],
        );
        assert.equal((await ask(rerun.captured.outputs.url!, 'repaired')).status, 200);
      },
    ));

  void test('a wrong access key secret: the Auth remedy and request id, the secret never shown', () =>
    withSetup('single', {}, async (emulator, project) => {
      const wrong = `wrong-${randomBytes(12).toString('hex')}`;
      const run = await runInProcess(
        { ...emulatorInputs(emulator), 'access-key-secret': wrong },
        project.dir,
      );
      assert.ok(run.failure, 'the run should fail');
      const [call, ...more] = emulator.requestLog();
      assert.equal(more.length, 0, 'an auth failure is not retried');
      assert.equal(call?.status, 400);
      assert.match(run.failure, /^agent: ListWorkspaces failed: /);
      assert.ok(run.failure.includes(`SignatureDoesNotMatch, request id ${call.requestId})`), run.failure);
      assert.match(run.failure, /Check the AccessKey\/STS credentials/);
      assertNoSecret(run, wrong);
      assertNoSecret(run, emulator.credentials.accessKeySecret);
    }));

  void test('an unknown region: reported at file:line:col before any API call', () =>
    withSetup('bad-region', {}, async (emulator, project) => {
      const text = await project.read('s.yaml');
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes('region: cn-hangzou'));
      const at = `s.yaml:${line + 1}:${lines[line]!.indexOf('cn-hangzou') + 1}`;

      const run = await runInProcess(emulatorInputs(emulator), project.dir);
      assert.equal(run.failure, 'The configuration has 1 problem; each is reported above.');
      const errors = run.captured.lines.filter((l) => l.startsWith('error: '));
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.ok(errors[0]!.startsWith(`error: ${at}: resources.agent.props.region: `), errors[0]);
      assert.match(errors[0]!, /did you mean `cn-hangzhou`\?/);
      assert.deepEqual(emulator.requestLog(), []);
    }));
});
