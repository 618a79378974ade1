// The requests a whole life of an agent sends, as the emulator received them: deploys with and without
// a canary entry, a staged rollout, a pull-request preview. Routing goes only with a split and never
// as an empty list, as the official clients send it; sizes the s.yaml omits are never sent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VERSION_HEADER } from '../../emulator/dataPlane.js';
import type { Emulator } from '../../emulator/index.js';
import { SERVICE, splitWeights } from '../../src/agentrun/service.js';
import { defaultDeps, run } from '../../src/app/run.js';
import { failureMessage } from '../../src/errors.js';
import { readSettings } from '../../src/settings.js';
import { runnerEnv, WRITE_TOKEN } from '../github/helpers.js';
import { startGitHubServer, type GitHubServer } from '../github/server.js';
import {
  emulatorInputs,
  recordingHost,
  remoteState,
  requestsSince,
  runInProcess,
  withSetup,
  writes,
  type Inputs,
  type Project,
} from './helpers.js';

/** Runs the core for a push to main, or for a pull-request event when `github` plays GitHub. */
async function runEvent(project: Project, inputs: Inputs, github?: GitHubServer, event = 'push') {
  const env = github ? runnerEnv(github, event, event.split('.')[0]) : {};
  const { host, captured } = recordingHost(env);
  try {
    await run(
      readSettings((name) => inputs[name] ?? '', project.dir),
      host,
      defaultDeps,
    );
    return captured;
  } catch (error) {
    assert.fail(`${failureMessage(error)}\n${captured.lines.join('\n')}`);
  }
}

/** The versions that answered `count` calls of the production endpoint `live`. */
async function servedBy(emulator: Emulator, count: number): Promise<string[]> {
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const response = await fetch(
      `${emulator.dataPlaneUrl}/agent-runtimes/e2e-agent/endpoints/live/invocations`,
      {
        method: 'POST',
        body: '{"prompt":"hi"}',
      },
    );
    await response.text();
    seen.add(
      `${response.status === 200 ? '' : `${response.status} `}${response.headers.get(VERSION_HEADER)}`,
    );
  }
  return [...seen].sort();
}

async function live(emulator: Emulator) {
  const [runtime] = await remoteState(emulator);
  const endpoint = runtime?.endpoints.find((e) => e.agentRuntimeEndpointName === 'live');
  assert.ok(endpoint);
  return endpoint;
}

void describe('requests as the official clients send them', () => {
  void test('deploys, a removed canary entry, a staged rollout and a preview: never an empty weight list, production ends on one version', () =>
    withSetup('single', {}, async (emulator, project) => {
      const github = await startGitHubServer();
      try {
        const inputs: Inputs = { ...emulatorInputs(emulator), 'github-token': WRITE_TOKEN };
        const change = async (environment: string) => {
          const text = await project.read('s.yaml');
          const current = /ENVIRONMENT: (\S+)/.exec(text)![0];
          await project.edit('s.yaml', current, `ENVIRONMENT: ${environment}`);
        };
        await runEvent(project, inputs); // version 1, `live` on LATEST
        await change('second');
        await project.edit('s.yaml', 'version: LATEST', 'version: 1');
        await runEvent(project, inputs); // version 2 published, `live` pinned to 1

        // A canary entry splits `live`; taking it out of the file puts `live` back on version 1 alone.
        const canaryEntry = '\n          - name: trial\n            version: 2\n            weight: 0.3';
        await project.edit('s.yaml', 'version: 1', `version: 1${canaryEntry}`);
        await runEvent(project, inputs);
        assert.deepEqual(splitWeights(await live(emulator)), [{ version: '2', weight: 0.3 }]);
        assert.deepEqual(await servedBy(emulator, 40), ['1', '2']);
        await project.edit('s.yaml', canaryEntry, '');
        await runEvent(project, inputs);
        assert.deepEqual(splitWeights(await live(emulator)), []);
        assert.deepEqual(await servedBy(emulator, 40), ['1']);

        // A staged rollout of version 3 to the end: production on version 3 alone.
        await change('third');
        const rollout = await runEvent(project, {
          ...inputs,
          strategy: 'canary',
          'canary-steps': '50,100',
          'canary-interval': '300ms',
          'probe-rps': '20',
          'probe-timeout': '10s',
          'max-latency': '10s',
        });
        assert.equal(rollout.outputs['canary-result'], 'promoted');
        assert.equal((await live(emulator)).targetVersion, '3');
        assert.deepEqual(await servedBy(emulator, 40), ['3']);

        // A preview of a pull request gets an endpoint of its own.
        await runEvent(project, { ...inputs, command: 'preview' }, github, 'pull_request.opened');

        const sent = writes(requestsSince(emulator)).filter((entry) => entry.action.includes('Endpoint'));
        assert.ok(sent.length >= 6, `endpoint writes: ${sent.map((e) => e.action).join(', ')}`);
        const empty = sent.filter((entry) =>
          JSON.stringify(entry.body ?? {}).includes('"versionWeights":[]'),
        );
        assert.deepEqual(empty, [], 'no endpoint write carries an empty versionWeights list');
      } finally {
        await github.close();
      }
    }));

  void test('an s.yaml without port, cpu or memory creates the runtime without them, and a second deploy changes nothing', () =>
    withSetup('single', {}, async (emulator, project) => {
      await project.edit('s.yaml', '        cpu: 1\n        memory: 2048\n', '');
      const inputs = emulatorInputs(emulator);
      const plan = await runInProcess({ ...inputs, command: 'plan' }, project.dir);
      assert.equal(plan.failure, undefined, plan.captured.lines.join('\n'));
      assert.match(
        plan.captured.printed.join('\n'),
        /cpu, memory, diskSize, port, sessionConcurrencyLimitPerInstance, sessionIdleTimeoutSeconds: \(service default\)/,
      );

      const first = await runInProcess(inputs, project.dir);
      assert.equal(first.failure, undefined, first.captured.lines.join('\n'));
      const [create] = requestsSince(emulator).filter((entry) => entry.action === 'CreateAgentRuntime');
      const body = create?.body as Record<string, unknown>;
      for (const field of Object.keys(SERVICE.defaults)) assert.equal(body[field], undefined, field);
      const [runtime] = await remoteState(emulator);
      assert.deepEqual([runtime?.cpu, runtime?.memory, runtime?.port], [1, 2048, 8000]);

      const since = emulator.requestLog().length;
      const second = await runInProcess(inputs, project.dir);
      assert.equal(second.failure, undefined, second.captured.lines.join('\n'));
      assert.equal(second.captured.outputs.changed, 'false');
      assert.deepEqual(writes(requestsSince(emulator, since)), []);
    }));
});
