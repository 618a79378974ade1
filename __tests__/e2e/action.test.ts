// The bundled action (dist/index.js) run as the Actions runner runs it, against the emulator:
// first deploy, a no-op redeploy, an update, and what the log shows of the secrets.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import {
  ask,
  emulatorInputs,
  remoteState,
  requestsSince,
  runAction,
  statusesOf,
  tempProject,
  writes,
  type ActionRun,
  type Inputs,
  type Project,
} from './helpers.js';

const MASK = '::add-mask::';

/**
 * Each secret is registered with `::add-mask::` before the first line that is not a mask registration
 * (the opening line, printed before the s.yaml is read, names only the command and the file), and no
 * other line carries it.
 */
function assertMaskedBeforeUse(run: ActionRun, secrets: readonly string[]): void {
  const opening = run.lines.findIndex((line) => line !== '' && !line.startsWith(MASK));
  assert.match(run.lines[opening] ?? '', /^agentrun-deploy \d+\.\d+\.\d+: \S+ \S+$/);
  const firstOther = run.lines.findIndex((line, i) => i > opening && line !== '' && !line.startsWith(MASK));
  assert.ok(firstOther > 0, 'the action printed nothing but masks');
  for (const secret of secrets) {
    const registered = run.lines.indexOf(`${MASK}${secret}`);
    assert.ok(registered >= 0, `no ${MASK} for a secret`);
    assert.ok(registered < firstOther, `the mask came after: ${run.lines[firstOther]}`);
    const leaks = run.lines.filter((line) => line.includes(secret) && !line.startsWith(MASK));
    assert.deepEqual(leaks, [], 'a secret value was printed');
    assert.ok(!run.stderr.includes(secret) && !run.summary.includes(secret));
  }
}

function assertSucceeded(run: ActionRun): void {
  assert.equal(run.code, 0, [...run.lines, run.stderr].join('\n'));
}

void describe('the bundled action against the emulator', () => {
  let emulator: Emulator;
  let project: Project;
  // Random, so that finding one in the output can only mean it leaked.
  const secrets = {
    API_KEY: `sk-e2e-${randomBytes(12).toString('hex')}`,
    MODEL_ENDPOINT: `https://models-${randomBytes(6).toString('hex')}.example.com/v1`,
  };
  let inputs: Inputs;
  let runNumber = 0;
  // What a workflow run provides; the run id changes with each run, as it does on GitHub.
  const runner = () => ({
    GITHUB_REPOSITORY: 'acme/agent',
    GITHUB_SHA: 'c0ffee1234567890',
    GITHUB_RUN_ID: String(1000 + ++runNumber),
  });

  before(async () => {
    emulator = await startEmulator({ delayMs: 50 });
    project = await tempProject('examples');
    inputs = {
      ...emulatorInputs(emulator),
      dotenv: Object.entries(secrets)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    };
  });
  after(async () => {
    await emulator.stop();
    await project.remove();
  });

  void test('first deploy: outputs, an answering agent, the job summary, masked secrets', async (t) => {
    const run = await runAction(project.dir, inputs, runner());
    assertSucceeded(run);
    t.diagnostic(`first deploy: ${run.ms} ms`);

    const [runtime, ...others] = await remoteState(emulator);
    assert.equal(others.length, 0);
    assert.equal(runtime?.status, 'READY');
    assert.equal(run.outputs['runtime-id'], runtime.agentRuntimeId);
    assert.equal(run.outputs['runtime-name'], 'production-agent');
    assert.equal(run.outputs.version, '1');
    assert.equal(run.outputs.changed, 'true');
    assert.equal(run.outputs.url, runtime.endpoints[0]?.endpointPublicUrl);

    const answer = await ask(run.outputs.url!, 'hello from e2e');
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body), {
      answer: 'You said: hello from e2e',
      environment: 'production',
    });

    assert.ok(
      run.summary.startsWith(
        `### ✅ Deployed — \`production-agent\` created: \`production\` serves LATEST (version 1) at <${run.outputs.url}>\n`,
      ),
      run.summary,
    );
    assert.match(
      run.summary,
      /^\| my-agent \| `production-agent` \| cn-hangzhou \| created \| — \| 1 \(new\) \| 1 file, \d+ bytes \|$/m,
    );
    assert.ok(
      run.summary.includes(
        `- my-agent: \`production\` created, serves LATEST (version 1): <${run.outputs.url}>`,
      ),
      run.summary,
    );

    assertMaskedBeforeUse(run, Object.values(secrets));
  });

  void test('second run with nothing changed: changed=false, nothing uploaded, four reads', async (t) => {
    const since = emulator.requestLog().length;
    const run = await runAction(project.dir, inputs, runner());
    assertSucceeded(run);
    const calls = requestsSince(emulator, since);
    t.diagnostic(`no-op redeploy: ${run.ms} ms, ${calls.length} API calls`);

    assert.equal(run.outputs.changed, 'false');
    assert.equal(run.outputs.version, '1', 'nothing was published: the version that serves');
    assert.ok(!run.lines.some((line) => line.includes('Packaged ')), 'the code tree matched: nothing zipped');
    assert.ok(
      run.lines.some((line) =>
        /Agent runtime production-agent \(.+\) unchanged: nothing uploaded\./.test(line),
      ),
      run.lines.join('\n'),
    );
    assert.match(
      run.summary,
      /^\| my-agent \| `production-agent` \| cn-hangzhou \| unchanged \| — \| 1 \| none \|$/m,
    );
    assert.deepEqual(
      calls.map((entry) => `${entry.method} ${entry.action} ${entry.status}`),
      // The default workspace, then the runtime within it.
      [
        'GET ListWorkspaces 200',
        'GET ListAgentRuntimes 200',
        'GET ListAgentRuntimeVersions 200',
        'GET ListAgentRuntimeEndpoints 200',
      ],
    );
    assertMaskedBeforeUse(run, Object.values(secrets));
  });

  void test('an update of the code and cpu: UpdateAgentRuntime, version 2, the new code answers', async () => {
    await project.edit('code/main.py', '"answer": f"You said: {prompt}"', '"answer": f"v2 heard: {prompt}"');
    await project.edit('s.yaml', 'cpu: 2.0', 'cpu: 1.0');
    const since = emulator.requestLog().length;
    const run = await runAction(project.dir, inputs, runner());
    assertSucceeded(run);
    const calls = requestsSince(emulator, since);

    assert.deepEqual(
      writes(calls).map((entry) => entry.action),
      ['UpdateAgentRuntime', 'PublishRuntimeVersion'],
    );
    assert.deepEqual(statusesOf(calls, 'UpdateAgentRuntime'), [200]);
    const updated = run.lines.find((line) => line.includes(') updated ('));
    assert.ok(updated?.includes('updated (cpu, code)'), updated);
    assert.equal(run.outputs.version, '2');
    assert.equal(run.outputs.changed, 'true');

    const [runtime, ...others] = await remoteState(emulator);
    assert.equal(others.length, 0, 'no second runtime');
    assert.equal(run.outputs['runtime-id'], runtime?.agentRuntimeId);
    assert.deepEqual(runtime.versions.map((v) => v.agentRuntimeVersion).sort(), ['1', '2']);
    const answer = await ask(run.outputs.url!, 'again');
    assert.equal(answer.status, 200, answer.body);
    assert.equal((JSON.parse(answer.body) as { answer: string }).answer, 'v2 heard: again');
  });

  void test('command: plan shows *** for secrets and writes nothing', async () => {
    const since = emulator.requestLog().length;
    const run = await runAction(project.dir, { ...inputs, command: 'plan' }, runner());
    assertSucceeded(run);
    assert.ok(
      run.lines.some((line) => line.trim() === '"API_KEY": "***",'),
      run.lines.join('\n'),
    );
    assert.ok(run.lines.some((line) => line.trim() === '"MODEL_ENDPOINT": "***"'));
    assert.ok(!run.outputs.plan?.includes(secrets.API_KEY) && run.outputs.plan?.includes('***'));
    assertMaskedBeforeUse(run, Object.values(secrets));
    assert.deepEqual(writes(requestsSince(emulator, since)), []);
  });
});
