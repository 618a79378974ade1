// Deploys that must converge on what the s.yaml says: settings removed from the file, answers lost
// after the service acted, two jobs racing to create the same runtime, hooks failing around deploys.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  emulatorInputs,
  remoteState,
  requestsSince,
  runInProcess,
  statusesOf,
  withSetup,
  writes,
} from './helpers.js';

void describe('settings removed from the s.yaml', () => {
  void test('are noticed: cleared where the body can say so, named where the runtime keeps them', () =>
    withSetup('single', {}, async (emulator, project) => {
      await project.edit(
        's.yaml',
        '        cpu: 1\n',
        '        cpu: 1\n        description: first\n        healthCheckConfiguration:\n          httpGetUrl: /health\n',
      );
      await project.edit(
        's.yaml',
        '          - name: live\n',
        '          - name: live\n            description: prod ep\n',
      );
      const inputs = emulatorInputs(emulator);
      assert.equal((await runInProcess(inputs, project.dir)).failure, undefined);

      await project.edit('s.yaml', '        description: first\n', '');
      await project.edit('s.yaml', '        healthCheckConfiguration:\n          httpGetUrl: /health\n', '');
      await project.edit('s.yaml', '            description: prod ep\n', '');
      const since = emulator.requestLog().length;
      const removed = await runInProcess(inputs, project.dir);
      assert.equal(removed.failure, undefined, removed.captured.lines.join('\n'));
      assert.deepEqual(
        writes(requestsSince(emulator, since)).map((entry) => entry.action),
        ['UpdateAgentRuntime', 'PublishRuntimeVersion', 'UpdateAgentRuntimeEndpoint'],
      );
      assert.equal(removed.captured.outputs.changed, 'true');
      assert.equal(removed.captured.outputs.version, '2');
      const [runtime] = await remoteState(emulator);
      assert.equal(runtime!.description, undefined, 'sent as empty, so cleared');
      assert.equal(runtime!.endpoints[0]!.description, undefined);
      // An update keeps what it does not send: the deploy says so instead of claiming it cleared it.
      assert.equal(runtime!.healthCheckConfiguration?.httpGetUrl, '/health');
      const kept = (lines: string[]) =>
        lines.filter((line) => line.includes('healthCheckConfiguration is no longer'));
      assert.equal(kept(removed.captured.lines).length, 1, removed.captured.lines.join('\n'));

      const again = await runInProcess(inputs, project.dir);
      assert.equal(again.captured.outputs.changed, 'false', again.captured.lines.join('\n'));
      assert.equal(again.captured.outputs.version, '2', 'a no-op names the version that serves');
      assert.equal(kept(again.captured.lines).length, 1);
    }));
});

void test('settings a GET never returns (ARMS): the second deploy changes and uploads nothing', () =>
  withSetup('single', {}, async (emulator, project) => {
    await project.edit(
      's.yaml',
      '        cpu: 1\n',
      '        cpu: 1\n        armsConfiguration:\n          enableArms: true\n          armsLicenseKey: arms-key-e2e\n',
    );
    const inputs = emulatorInputs(emulator);
    const first = await runInProcess(inputs, project.dir);
    assert.equal(first.failure, undefined, first.captured.lines.join('\n'));
    const [deployed] = await remoteState(emulator);
    assert.ok(!('armsConfiguration' in deployed!), 'the emulator, like the model, never returns it');

    const since = emulator.requestLog().length;
    const second = await runInProcess(inputs, project.dir);
    assert.deepEqual(writes(requestsSince(emulator, since)), []);
    assert.equal(second.captured.outputs.changed, 'false', second.captured.lines.join('\n'));
    assert.ok(second.captured.lines.some((line) => /unchanged: nothing uploaded/.test(line)));

    await project.edit('s.yaml', 'enableArms: true', 'enableArms: false');
    const third = await runInProcess(inputs, project.dir);
    assert.equal(third.captured.outputs.changed, 'true', 'a change to ARMS alone is still seen');
    assert.ok(third.captured.lines.some((line) => /updated \(settings changed since version 1\)/.test(line)));
  }));

void test('answers lost after the service acted: each write is applied once, no 409, no duplicate', () =>
  withSetup('single', {}, async (emulator, project) => {
    // The service holds each answer longer than the request timeout, after it has acted.
    const slow = (action: string) => ({ action, kind: 'slow' as const, delayMs: 1500, times: 1 });
    const inputs = { ...emulatorInputs(emulator), 'request-timeout': '1s' };
    emulator.faults.inject(
      ['CreateAgentRuntime', 'PublishRuntimeVersion', 'CreateAgentRuntimeEndpoint'].map(slow),
    );
    const first = await runInProcess(inputs, project.dir);
    assert.equal(first.failure, undefined, first.captured.lines.join('\n'));

    await project.edit('s.yaml', 'ENVIRONMENT: e2e', 'ENVIRONMENT: e2e-updated');
    await project.edit(
      's.yaml',
      '            version: LATEST\n',
      '            version: LATEST\n            description: updated\n',
    );
    emulator.faults.inject(['UpdateAgentRuntime', 'UpdateAgentRuntimeEndpoint'].map(slow));
    const since = emulator.requestLog().length;
    const second = await runInProcess(inputs, project.dir);
    assert.equal(second.failure, undefined, second.captured.lines.join('\n'));
    // The emulator logs a held answer when it is finally sent.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    for (const action of ['UpdateAgentRuntime', 'UpdateAgentRuntimeEndpoint']) {
      // The lost attempt reached the service; the retry saw that it had and sent nothing more.
      assert.deepEqual(statusesOf(requestsSince(emulator, since), action), [200], action);
    }
    const [runtime] = await remoteState(emulator);
    assert.equal(runtime!.versions.length, 2);
    assert.equal(runtime!.endpoints.length, 1);
    assert.equal(runtime!.endpoints[0]!.description, 'updated');
  }));

void test('two jobs creating the same runtime at once: both succeed, one runtime', () =>
  withSetup('single', {}, async (emulator, project) => {
    const inputs = emulatorInputs(emulator);
    const runs = await Promise.all([runInProcess(inputs, project.dir), runInProcess(inputs, project.dir)]);
    for (const run of runs) assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
    const runtimes = await remoteState(emulator);
    assert.equal(runtimes.length, 1);
    assert.equal(runtimes[0]!.status, 'READY');
  }));

void test('two jobs deploying the same change at once: both succeed and serve it, no error, at most one duplicate version', (t) =>
  withSetup('single', {}, async (emulator, project) => {
    const inputs = emulatorInputs(emulator);
    assert.equal((await runInProcess(inputs, project.dir)).failure, undefined);
    const PAIRS = 6;
    let previous = 'ENVIRONMENT: e2e';
    let versions = 1;
    let duplicates = 0;
    for (let pair = 1; pair <= PAIRS; pair++) {
      const next = `ENVIRONMENT: e2e-${pair}`;
      await project.edit('s.yaml', previous, next);
      previous = next;
      const runs = await Promise.all([runInProcess(inputs, project.dir), runInProcess(inputs, project.dir)]);
      for (const run of runs) assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      const [runtime] = await remoteState(emulator);
      assert.equal(runtime!.environmentVariables?.ENVIRONMENT, `e2e-${pair}`);
      // Versions are read again just before publishing; only two jobs reaching that read at the same
      // instant can both publish (the API has no conditional publish and no version delete).
      const published = runtime!.versions.length - versions;
      assert.ok(published === 1 || published === 2, `pair ${pair}: ${published} new versions`);
      duplicates += published - 1;
      versions = runtime!.versions.length;
      for (const run of runs) {
        const version = Number(run.captured.outputs.version);
        assert.ok(version > versions - published && version <= versions, `pair ${pair}: version ${version}`);
      }
    }
    t.diagnostic(`concurrent pairs: ${PAIRS}, all succeeded, ${duplicates} published the same change twice`);
  }));

void describe('hooks failing around parallel deploys', () => {
  void test('keep the deployed resource’s log and outputs, and the failed one’s own error', () =>
    withSetup('three', {}, async (emulator, project) => {
      await project.edit(
        's.yaml',
        '  alpha:\n    component: agentrun\n',
        '  alpha:\n    component: agentrun\n    actions:\n      complete-deploy:\n        - run: exit 3\n',
      );
      await project.edit(
        's.yaml',
        '  beta:\n    component: agentrun\n',
        '  beta:\n    component: agentrun\n    actions:\n      fail-deploy:\n        - run: exit 4\n',
      );
      await project.edit(
        's.yaml',
        '[python3, main.py] # beta',
        `[python3, -c, 'import sys; sys.exit("model load failed: XYZ")']`,
      );
      const run = await runInProcess({ ...emulatorInputs(emulator), parallel: '3' }, project.dir);
      assert.ok(run.failure);
      // alpha deployed: its complete hook failed after, but its log and outputs are there.
      assert.match(run.failure, /^alpha: Hook "exit 3" .* failed with exit code 3\.$/m);
      const lines = run.captured.lines;
      const alpha = lines.findIndex((line) => line.startsWith('▸ Deploy alpha '));
      const next = lines.findIndex((line, i) => i > alpha && line.startsWith('▸ '));
      const alphaLog = lines.slice(alpha + 1, next < 0 ? undefined : next);
      assert.ok(
        alpha >= 0 && alphaLog.some((line) => /^Endpoint live created: http/.test(line)),
        lines.join('\n'),
      );
      const listed = JSON.parse(run.captured.outputs.endpoints ?? '[]') as { resource: string }[];
      assert.deepEqual(listed.map((e) => e.resource).sort(), ['alpha', 'gamma']);
      // beta: the deploy's own error first, then the hook that failed after it.
      assert.match(run.failure, /^beta: Agent runtime e2e-beta is CREATE_FAILED: .*model load failed: XYZ/m);
      assert.match(run.failure, /Then the fail-deploy hook failed too: Hook "exit 4"/);
    }));
});
