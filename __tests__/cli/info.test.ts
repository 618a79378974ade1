// `agentrun-deploy info` against the emulator: what is deployed, as the account holds it — a version
// published by another client, log config, and a rollout stopped at its first stage.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { ResourceInfo } from '../../src/info/read.js';
import { emulatorInputs, runInProcess, tempProject, type Project } from '../e2e/helpers.js';
import { agentRun } from '../emulator/helpers.js';
import { runCli } from './helpers.js';

let emulator: Emulator;
let project: Project;
before(async () => {
  emulator = await startEmulator({ delayMs: 20 });
  project = await tempProject('single');
  await project.edit(
    's.yaml',
    '        endpoints:',
    '        logConfig:\n          project: agent-logs\n          logstore: e2e-agent\n        endpoints:',
  );
});
after(async () => {
  await emulator.stop();
  await project.remove();
});

const cli = (...args: string[]) =>
  runCli([...args, '--api-endpoint', emulator.endpoint, '--sls-endpoint', emulator.endpoint], project.dir, {
    ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
  });

async function info(): Promise<ResourceInfo> {
  const run = await cli('info', '--json');
  assert.equal(run.code, 0, run.stderr);
  const { command, ok, result } = JSON.parse(run.stdout) as {
    command: string;
    ok: boolean;
    result: ResourceInfo[];
  };
  assert.deepEqual([command, ok, result.length], ['info', true, 1]);
  return result[0]!;
}

test('before a deploy: the runtime is not deployed, and nothing is written', async () => {
  const run = await cli('info');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout.trim(),
    'agent: runtime e2e-agent in cn-hangzhou: not deployed (no runtime of that name)',
  );
  assert.deepEqual(
    emulator.requestLog().filter((entry) => entry.method !== 'GET'),
    [],
  );
});

test('status, versions with their publisher, endpoints, log config and a rollout in progress', async () => {
  assert.equal((await cli('deploy')).code, 0);
  // A version published by another client (`s version publish` sends a description like this one).
  const deployed = await info();
  await agentRun(emulator)(
    'PublishRuntimeVersion',
    'POST',
    `/2025-09-10/agents/runtimes/${deployed.runtime!.id}/versions`,
    {
      body: { description: 'Published at 2026-01-01T00:00:00Z', publisher: 's' },
    },
  );
  // A new configuration rolled out by hand: the first stage, then paused.
  await project.edit('s.yaml', 'ENVIRONMENT: e2e', 'ENVIRONMENT: candidate');
  const rollout = await cli(
    'deploy',
    '--strategy',
    'canary',
    '--canary-mode',
    'manual',
    '--canary-steps',
    '20,100',
    '--canary-interval',
    '300ms',
    '--probe-rps',
    '10',
    '--max-latency',
    '10s',
  );
  assert.equal(rollout.code, 0, rollout.stderr);

  const now = await info();
  assert.deepEqual([now.runtime?.status, now.runtime?.artifactType], ['READY', 'Code']);
  assert.deepEqual(now.runtime?.logConfiguration, { project: 'agent-logs', logstore: 'e2e-agent' });
  assert.deepEqual(
    now.versions.map((v) => [v.version, v.publishedBy, v.description]),
    [
      ['3', 'agentrun-deploy', 'Deployed by the agentrun-deploy CLI'],
      ['2', undefined, 'Published at 2026-01-01T00:00:00Z'],
      ['1', 'agentrun-deploy', 'Deployed by the agentrun-deploy CLI'],
    ],
  );
  assert.match(now.versions[0]!.fingerprint?.config ?? '', /^[0-9a-f]{16}$/);
  const live = now.endpoints.find((e) => e.name === 'live');
  assert.deepEqual(
    [live?.status, live?.targetVersion, live?.weights],
    ['READY', '2', [{ version: '3', weight: 0.2 }]],
  );
  assert.match(live?.url ?? '', /\/agent-runtimes\/e2e-agent\/endpoints\/live\/invocations$/);
  assert.deepEqual(now.endpoints.find((e) => e.name === 'canary')?.targetVersion, '3');
  assert.deepEqual(
    now.rollouts.map((r) => [r.endpoint, r.inProgress, r.phase, r.candidate, r.stable, r.steps[r.stage]]),
    [['live', true, 'paused', '3', '2', 20]],
  );

  const text = await cli('info');
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.split('\n');
  assert.equal(lines[0], 'agent: runtime e2e-agent in cn-hangzhou: READY');
  assert.ok(lines.includes('  logs: SLS project agent-logs, logstore e2e-agent'), text.stdout);
  assert.ok(
    lines.some((l) => /^ {4}2 {2}\S+ {2}by another client {2}“Published at 2026-01-01T00:00:00Z”$/.test(l)),
    text.stdout,
  );
  assert.ok(
    lines.some((l) =>
      /^ {4}3 {2}\S+ {2}by agentrun-deploy .*\[config [0-9a-f]{16}, code [0-9a-f]{16}\]$/.test(l),
    ),
    text.stdout,
  );
  assert.ok(
    lines.some((l) => /^ {4}live {2}READY {2}2: 80%, 3: 20% {2}http:\/\/127\.0\.0\.1:\d+\//.test(l)),
    text.stdout,
  );
  assert.ok(
    lines.some((l) =>
      /^ {2}rollout in progress on live: version 3 over 2, stage 1 of 2 \(20%\), paused since /.test(l),
    ),
    text.stdout,
  );

  // The action's `command: info`: the same facts in the job summary, what production serves first.
  const action = await runInProcess({ ...emulatorInputs(emulator), command: 'info' }, project.dir);
  assert.equal(action.failure, undefined, action.captured.lines.join('\n'));
  assert.deepEqual(action.captured.printed, [text.stdout.trimEnd()]);
  const summary = action.captured.summaries.join('\n').split('\n');
  assert.match(
    summary[0] ?? '',
    /^### ℹ️ Info — `e2e-agent` READY: `live` serves version 2 \(80%\) and version 3 \(20%\) at <http:\/\/127\.0\.0\.1:\d+\/[^>]+>$/,
  );
  assert.ok(
    summary.includes(
      '| agent | `e2e-agent` | READY | 3 (by agentrun-deploy) | SLS project agent-logs, logstore e2e-agent | 3 at 20%, paused |',
    ),
    summary.join('\n'),
  );
  assert.ok(
    summary.some((line) =>
      /^- agent: `canary` serves version 3 at <http:\/\/127\.0\.0\.1:\d+\/[^>]+>$/.test(line),
    ),
    summary.join('\n'),
  );
});
