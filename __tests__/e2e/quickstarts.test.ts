/**
 * The quick starts users copy (__tests__/fixtures/config/qs-*: the AgentRun docs' and the component
 * README's s.yaml, verbatim, resolved against parse-spec by the corpus tests) deployed with the CLI to
 * the emulator, unchanged: `logConfig: auto` creates the account's SLS project and logstore once, the
 * agents answer, and `logs` shows what they printed.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { defaultDeps } from '../../src/app/run.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli } from '../cli/helpers.js';
import { ROOT } from './helpers.js';

const ACCOUNT = '1000000000000001';
const PROJECT = `aliyun-serverless-${ACCOUNT}-cn-hangzhou`;

let emulator: Emulator;
const dirs: string[] = [];
before(async () => {
  // The quick starts' code listens on the runtime's port (8000, 9000), as in the cloud.
  emulator = await startEmulator({ delayMs: 20, runtimePorts: true });
});
after(async () => {
  await emulator.stop();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function copyOf(fixture: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `agentrun-${fixture}-`));
  dirs.push(dir);
  await cp(join(ROOT, '__tests__/fixtures/config', fixture), dir, { recursive: true });
  return dir;
}

/** The CLI against the emulator with its key; `env` as the user's shell has it. */
function cli(command: string, dir: string, env: Record<string, string>, ...extra: string[]) {
  const { endpoint, credentials } = emulator;
  return runCli(
    [
      command,
      's.yaml',
      ...['--api-endpoint', endpoint, '--sls-endpoint', endpoint, '--sts-endpoint', endpoint],
      ...['--access-key-id', credentials.accessKeyId, '--access-key-secret', credentials.accessKeySecret],
      ...extra,
    ],
    dir,
    env,
  );
}

const url = (runtime: string, endpoint: string) =>
  `${emulator.dataPlaneUrl}/agent-runtimes/${runtime}/endpoints/${endpoint}/invocations`;

const creates = (action: string) => emulator.requestLog().filter((entry) => entry.action === action).length;

const QUICK_STARTS: { fixture: string; runtime: string; endpoint: string; env: Record<string, string> }[] = [
  // The docs name the role after ${config("AccountID")}: Serverless Devs' AccountID variable fills it.
  { fixture: 'qs-docs-python', runtime: 'my-agentrun-python', endpoint: 'prod', env: { AccountID: ACCOUNT } },
  { fixture: 'qs-docs-nodejs', runtime: 'my-agentrun-nodejs', endpoint: 'prod', env: { AccountID: ACCOUNT } },
  // No AccountID: the account comes from STS GetCallerIdentity.
  { fixture: 'qs-readme', runtime: 'my-first-agent', endpoint: 'production', env: {} },
];

test('the quick starts deploy unchanged with logConfig: auto, answer, and share one SLS project', async () => {
  // plan says what a deploy would create, and creates nothing.
  const planned = await cli('plan', await copyOf('qs-docs-python'), { AccountID: ACCOUNT });
  assert.equal(planned.code, 0, planned.stderr);
  assert.ok(
    planned.stdout.includes(
      `agent: logConfig: auto will create SLS project ${PROJECT}, logstore default-logs, its index`,
    ),
    planned.stdout,
  );
  assert.equal(creates('CreateProject'), 0);
  for (const { fixture, runtime, endpoint, env } of QUICK_STARTS) {
    const dir = await copyOf(fixture);
    const deployed = await cli('deploy', dir, env);
    assert.equal(deployed.code, 0, `${fixture}: ${deployed.stderr}`);
    assert.match(
      deployed.stderr,
      new RegExp(`logConfig:\\n\\s+project: ${PROJECT}\\n\\s+logstore: default-logs`),
      `${fixture} tells the logConfig to pin`,
    );
    if (fixture === 'qs-readme') {
      // The README's agent answers GET only.
      const answer = await fetch(url(runtime, endpoint));
      assert.deepEqual(await answer.json(), { message: 'Hello from AgentRun!' });
    } else {
      const answer = await fetch(url(runtime, endpoint), { method: 'POST', body: '{"prompt":"hi"}' });
      const body = (await answer.json()) as { choices: { message: { content: string } }[] };
      assert.equal(body.choices[0]?.message.content, 'qwen3-max: hi');
    }
  }
  // One account, one region: the first deploy created the project, logstore and index; the others found them.
  assert.deepEqual([creates('CreateProject'), creates('CreateLogStore'), creates('CreateIndex')], [1, 1, 1]);

  const again = await cli('deploy', dirs[1]!, { AccountID: ACCOUNT });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /unchanged: nothing uploaded/);
  assert.deepEqual([creates('CreateProject'), creates('CreateLogStore')], [1, 1]);
});

test('logs shows what the deployed agent printed, filtered by version', async () => {
  const dir = dirs[1] ?? (await copyOf('qs-docs-python'));
  const env = { AccountID: ACCOUNT };
  await fetch(url('my-agentrun-python', 'prod'), { method: 'POST', body: '{"prompt":"what is AgentRun?"}' });

  const shown = await cli('logs', dir, env, '--version', 'LATEST', '--since', '10m');
  assert.equal(shown.code, 0, shown.stderr);
  const lines = shown.stdout.trim().split('\n');
  assert.match(
    lines[0] ?? '',
    /^\S+Z \[LATEST c-[0-9a-f]+\] agent starting: model qwen3-max of my-agentrun-model$/,
  );
  assert.ok(
    lines.some((line) => line.endsWith('answering: what is AgentRun?')),
    shown.stdout,
  );

  const query = await cli('logs', dir, env, '--query', 'answering and AgentRun', '--json');
  const { result } = JSON.parse(query.stdout) as { result: { message: string; version: string }[] };
  assert.deepEqual(
    result.map((line) => [line.version, line.message]),
    [['LATEST', 'answering: what is AgentRun?']],
  );

  const none = await cli('logs', dir, env, '--version', '7');
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /No lines in the last 15 min/);
});

test('logs --follow prints each new line once, as the agent writes it', async () => {
  const dir = dirs[1] ?? (await copyOf('qs-docs-python'));
  const agent = url('my-agentrun-python', 'prod');
  let ticks = 0;
  // The follow loop's clock: before its second read the agent answers once more; after it, the run stops.
  const clock = {
    now: () => Date.now(),
    sleep: async (ms: number) => {
      if (++ticks === 1) {
        await fetch(agent, { method: 'POST', body: '{"prompt":"followed"}' });
        return sleep(Math.min(ms, 1100));
      }
      throw new Error('stopped following');
    },
  };
  const followed = await runCli(
    [
      'logs',
      's.yaml',
      '--follow',
      '--query',
      'answering',
      ...['--api-endpoint', emulator.endpoint, '--sls-endpoint', emulator.endpoint],
      ...['--access-key-id', emulator.credentials.accessKeyId],
      ...['--access-key-secret', emulator.credentials.accessKeySecret],
    ],
    dir,
    { AccountID: ACCOUNT },
    { deps: { ...defaultDeps, clock } },
  );
  const lines = followed.stdout.trim().split('\n');
  assert.equal(lines.filter((line) => line.endsWith('answering: followed')).length, 1, followed.stdout);
  assert.equal(new Set(lines).size, lines.length, 'no line printed twice');
});

test('logs of a runtime without a logstore says how to get one', async () => {
  const dir = await copyOf('qs-docs-python');
  const file = join(dir, 's.yaml');
  const yaml = (await readFile(file, 'utf8')).replace('logConfig: auto', '');
  await writeFile(file, yaml.replace("agent_name: 'my-agentrun-python'", "agent_name: 'no-logs'"));
  const env = { AccountID: ACCOUNT };
  assert.equal((await cli('deploy', dir, env)).code, 0);
  const shown = await cli('logs', dir, env);
  assert.equal(shown.code, 1);
  assert.match(
    shown.stderr,
    /runtime no-logs has no logstore, so its output is not kept\. Add `logConfig: auto`/,
  );
});
