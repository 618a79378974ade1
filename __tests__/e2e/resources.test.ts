// Several resources, s.yaml hooks and `command: plan`, through run(settings, host) on the emulator.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { EndpointSummary } from '../../src/deploy/report.js';
import {
  ask,
  emulatorInputs,
  remoteState,
  requestsSince,
  runInProcess,
  writes,
  withSetup,
} from './helpers.js';

/** A command that exits at once, the way an agent with a broken start-up does. */
const crashing = (message: string) => `[python3, -c, 'import sys; sys.exit("${message}")']`;

void describe('parallel: 3', () => {
  void test('deploys all three at once; the outputs list every endpoint', () =>
    withSetup('three', {}, async (emulator, project) => {
      const run = await runInProcess({ ...emulatorInputs(emulator), parallel: '3' }, project.dir);
      assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      const log = emulator.requestLog();

      // One at a time, the first resource would publish before the next one is even created.
      const creates = log.flatMap((entry, i) => (entry.action === 'CreateAgentRuntime' ? [i] : []));
      const firstPublish = log.findIndex((entry) => entry.action === 'PublishRuntimeVersion');
      assert.equal(creates.length, 3);
      assert.ok(
        creates.every((i) => i < firstPublish),
        'the three creates were not concurrent',
      );

      // Each resource's log comes out in one piece, not interleaved with the others' (only the progress
      // lines of the waits are written as they happen).
      const progress = /: [A-Z_]+ \(\d+\.\d s\)$/;
      const owners = run.captured.lines
        .filter((line) => !progress.test(line))
        .flatMap((line) => /e2e-(alpha|beta|gamma)/.exec(line)?.[1] ?? []);
      const runs = owners.filter((owner, i) => owner !== owners[i - 1]);
      assert.deepEqual([...runs].sort(), ['alpha', 'beta', 'gamma'], run.captured.lines.join('\n'));

      const endpoints = JSON.parse(run.captured.outputs.endpoints!) as EndpointSummary[];
      assert.deepEqual(endpoints.map((e) => e.resource).sort(), ['alpha', 'beta', 'gamma']);
      for (const { url } of endpoints) assert.equal((await ask(url, 'hi')).status, 200, url);
      const runtimes = await remoteState(emulator);
      assert.deepEqual(
        runtimes
          .map((r) => `${r.agentRuntimeName} ${r.status} ${r.endpoints.map((e) => e.status).join()}`)
          .sort(),
        ['e2e-alpha READY READY', 'e2e-beta READY READY', 'e2e-gamma READY READY'],
      );
    }));

  void test('one failing resource does not abandon the other two; the run fails naming it', () =>
    withSetup('three', {}, async (emulator, project) => {
      await project.edit('s.yaml', '[python3, main.py] # beta', crashing('beta: cannot load the model'));
      const run = await runInProcess({ ...emulatorInputs(emulator), parallel: '3' }, project.dir);
      assert.ok(run.failure, 'the run should fail');
      assert.match(
        run.failure,
        /^beta: Agent runtime e2e-beta is CREATE_FAILED: .*beta: cannot load the model/s,
      );
      assert.ok(!/alpha|gamma/.test(run.failure), run.failure);
      // The agents that did deploy still get their outputs.
      const listed = JSON.parse(run.captured.outputs.endpoints ?? '[]') as EndpointSummary[];
      assert.deepEqual(listed.map((e) => e.resource).sort(), ['alpha', 'gamma']);

      const byName = new Map((await remoteState(emulator)).map((r) => [r.agentRuntimeName, r]));
      assert.equal(byName.get('e2e-beta')?.status, 'CREATE_FAILED');
      assert.deepEqual(byName.get('e2e-beta')?.endpoints, [], 'the failed agent gets no traffic');
      for (const name of ['e2e-alpha', 'e2e-gamma']) {
        const runtime = byName.get(name);
        assert.equal(runtime?.status, 'READY', name);
        assert.equal(runtime.versions.length, 1, name);
        const [endpoint] = runtime.endpoints;
        assert.equal(endpoint?.status, 'READY', name);
        assert.equal((await ask(endpoint.endpointPublicUrl!, 'still there?')).status, 200, name);
      }
    }));
});

void describe('flow stages', () => {
  const flow = '\nflow:\n  deploy:\n    - [alpha]\n    - [beta, gamma]\n';

  void test('a later stage starts only after the earlier one is deployed', () =>
    withSetup('three', {}, async (emulator, project) => {
      await project.edit('s.yaml', 'resources:', `${flow}\nresources:`);
      const run = await runInProcess({ ...emulatorInputs(emulator), parallel: '3' }, project.dir);
      assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      const creates = emulator
        .requestLog()
        .filter((e) => e.action === 'CreateAgentRuntime' || e.action === 'CreateAgentRuntimeEndpoint');
      // alpha's endpoint exists before beta or gamma are even created.
      assert.deepEqual(creates.map((e) => e.action).slice(0, 2), [
        'CreateAgentRuntime',
        'CreateAgentRuntimeEndpoint',
      ]);
      assert.equal(creates.length, 6);
    }));

  void test('a failed stage stops the later ones, which are named as not deployed', () =>
    withSetup('three', {}, async (emulator, project) => {
      await project.edit('s.yaml', 'resources:', `${flow}\nresources:`);
      await project.edit('s.yaml', '[python3, main.py]', crashing('alpha is broken'));
      const run = await runInProcess(emulatorInputs(emulator), project.dir);
      assert.match(run.failure ?? '', /^alpha: Agent runtime e2e-alpha is CREATE_FAILED/);
      assert.match(run.failure ?? '', /^beta: not deployed, an earlier flow stage failed$/m);
      assert.match(run.failure ?? '', /^gamma: not deployed, an earlier flow stage failed$/m);
      assert.deepEqual(
        (await remoteState(emulator)).map((r) => r.agentRuntimeName),
        ['e2e-alpha'],
      );
    }));
});

void test('a ${resources.X.output…} reference is refused at its file:line:col before any API call', () =>
  withSetup('three', {}, async (emulator, project) => {
    await project.edit(
      's.yaml',
      '          command: [python3, main.py] # beta',
      '          command: [python3, main.py] # beta\n        environmentVariables:\n          ALPHA_URL: ${resources.alpha.output.url}',
    );
    const lines = (await project.read('s.yaml')).split('\n');
    const line = lines.findIndex((text) => text.includes('ALPHA_URL')) + 1;
    const col = lines[line - 1]!.indexOf('${') + 1;
    const run = await runInProcess(emulatorInputs(emulator), project.dir);
    assert.ok(run.failure);
    const errors = run.captured.lines.filter((text) => text.startsWith('error: s.yaml:'));
    assert.equal(errors.length, 1, run.captured.lines.join('\n'));
    assert.ok(
      errors[0]!.startsWith(
        `error: s.yaml:${line}:${col}: resources.beta.props.agent.environmentVariables.ALPHA_URL: ` +
          "${resources.alpha.output.url} is the output of another resource's deploy",
      ),
      errors[0],
    );
    assert.deepEqual(emulator.requestLog(), []);
  }));

void describe('s.yaml actions (hooks)', () => {
  const cases = [
    {
      name: 'a successful deploy runs global and resource hooks in the order s does',
      edit: undefined,
      failure: undefined,
      order: [
        'global-pre',
        'agent-pre',
        'agent-post',
        'agent-success',
        'agent-complete',
        'global-success',
        'global-complete',
      ],
      writes: true,
    },
    {
      name: 'a failed deploy runs the fail and complete hooks',
      edit: ['[python3, main.py]', crashing('no model')],
      failure: /^agent: Agent runtime e2e-hooks is CREATE_FAILED/,
      order: ['global-pre', 'agent-pre', 'agent-fail', 'agent-complete', 'global-fail', 'global-complete'],
      writes: true,
    },
    {
      name: 'a failing global pre-deploy hook stops before any API write',
      edit: ['echo global-pre >> hooks.log', 'echo global-pre >> hooks.log && exit 7'],
      failure: /^Hook "echo global-pre >> hooks\.log && exit 7" \(in .+\) failed with exit code 7\.$/,
      order: ['global-pre'],
      writes: false,
    },
    {
      name: 'a failing resource pre-deploy hook stops before any API write',
      edit: ['echo agent-pre >> hooks.log', 'echo agent-pre >> hooks.log && exit 7'],
      failure: /^agent: Hook "echo agent-pre >> hooks\.log && exit 7" \(in .+\) failed with exit code 7\.$/,
      order: ['global-pre', 'agent-pre', 'agent-fail', 'agent-complete', 'global-fail', 'global-complete'],
      writes: false,
    },
  ] as const;
  for (const { name, edit, failure, order, writes: wrote } of cases) {
    void test(name, () =>
      withSetup('hooks', {}, async (emulator, project) => {
        if (edit) await project.edit('s.yaml', edit[0], edit[1]);
        const run = await runInProcess(emulatorInputs(emulator), project.dir);
        if (failure) assert.match(run.failure ?? '(succeeded)', failure);
        else assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
        assert.deepEqual((await project.read('hooks.log')).trim().split('\n'), order);
        assert.equal(writes(emulator.requestLog()).length > 0, wrote, 'API writes');
      }),
    );
  }

  void test('skip-actions: true runs none of them and still deploys', () =>
    withSetup('hooks', {}, async (emulator, project) => {
      const run = await runInProcess({ ...emulatorInputs(emulator), 'skip-actions': 'true' }, project.dir);
      assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      assert.ok(!existsSync(join(project.dir, 'hooks.log')), 'a hook ran');
      assert.equal((await ask(run.captured.outputs.url!, 'no hooks')).status, 200);
    }));
});

void describe('command: plan', () => {
  void test('never calls a write API, even when the file differs from what is deployed', () =>
    withSetup('single', {}, async (emulator, project) => {
      const inputs = emulatorInputs(emulator);
      const deployed = await runInProcess(inputs, project.dir);
      assert.equal(deployed.failure, undefined);
      await project.edit('s.yaml', 'cpu: 1', 'cpu: 2');
      await project.edit('code/main.py', 'You said', 'You wrote');

      const since = emulator.requestLog().length;
      const plan = await runInProcess({ ...inputs, command: 'plan' }, project.dir);
      assert.equal(plan.failure, undefined, plan.captured.lines.join('\n'));
      assert.deepEqual(writes(requestsSince(emulator, since)), []);
      const body = JSON.parse(plan.captured.outputs.plan!) as { resources: { runtime: { cpu: number } }[] };
      assert.equal(body.resources[0]?.runtime.cpu, 2);
      assert.match(plan.captured.printed.join('\n'), /runtime `e2e-agent` in cn-hangzhou/);
      const [runtime] = await remoteState(emulator);
      assert.equal(runtime?.versions.length, 1, 'nothing published');
    }));
});
