// `npm run demo`: deploys examples/ with the bundled action (dist/index.js) to a local AgentRun
// emulator, exactly as the Actions runner would run it, calls the agent, then deploys again to show
// that an unchanged agent is left alone. Then examples/node-agent, whose npm dependency the action
// installs (in Docker when there is one, else with this machine's npm) and caches: the second deploy
// restores it without installing. Then a changed agent rolled out as a staged canary (promoted) and a
// broken one (rolled back), both with `logConfig: auto`. Then a pull request's preview and the comment
// it gets on a local GitHub (run with tsx, which loads that server). Last, `logs` shows what the agent
// printed, and an agent that crashes at start is diagnosed from its logs. Needs nothing but Node.js, npm and python3. AGENTRUN_DIST names another
// bundle directory to run instead of dist/.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startGitHubServer } from '../__tests__/github/server.ts';

const root = new URL('..', import.meta.url).pathname;
const dist = process.env.AGENTRUN_DIST ?? join(root, 'dist');
const work = mkdtempSync(join(tmpdir(), 'agentrun-demo-'));

/** Short bakes so the demo takes seconds; a real rollout bakes minutes to hours per stage. */
const CANARY = {
  INPUT_CONFIG: 's.yaml',
  INPUT_STRATEGY: 'canary',
  'INPUT_CANARY-STEPS': '10,30,50,100',
  'INPUT_CANARY-INTERVAL': '3s',
  'INPUT_PROBE-RPS': '10',
  'INPUT_PROBE-BODY': '{"prompt":"health check"}',
  'INPUT_PROBE-EXPECT-BODY': '$.answer',
};

const emulator = spawn(process.execPath, [join(dist, 'emulator.js')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const address = await emulatorAddress(emulator);
  console.log(
    `AgentRun emulator: control plane ${address['control-plane']}, data plane ${address['data-plane']}\n`,
  );

  console.log('━━ 1. First deploy of examples/s.yaml ━━');
  const { outputs: first } = await runAction(address);
  console.log(
    `\nOutputs: runtime-id=${first['runtime-id']} version=${first.version} changed=${first.changed}`,
  );
  console.log(`Agent URL: ${first.url}\n`);

  console.log('━━ 2. Calling the agent ━━');
  const response = await fetch(first.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'Hello from the demo' }),
  });
  console.log(`POST ${first.url} → ${response.status} ${await response.text()}\n`);

  console.log('━━ 3. Deploying again, nothing changed ━━');
  const { outputs: second } = await runAction(address);
  console.log(
    `\nOutputs: changed=${second.changed} version=${second.version} (the same version, nothing published)`,
  );
  if (second.changed !== 'false') throw new Error('the second deploy should have changed nothing');

  const withDependency = { INPUT_CONFIG: 'examples/node-agent/s.yaml', ...buildImageInput() };
  console.log('\n━━ 4. examples/node-agent: its npm dependency built and cached ━━');
  const built = await runAction(address, withDependency);
  const url = built.outputs.url;
  const answer = await fetch(url, { method: 'POST', body: JSON.stringify({ prompt: '90s' }) });
  console.log(`\nPOST ${url} → ${answer.status} ${await answer.text()}\n`);

  console.log('━━ 5. Deploying it again: the dependencies come from the cache ━━');
  const cached = await runAction(address, withDependency);
  if (!cached.lines.some((line) => line.includes('restored from the cache'))) {
    throw new Error('the second build should have been a cache hit');
  }

  // A copy of examples/ to change: the same agent (same runtime name), a new version of it.
  const project = join(work, 'project');
  cpSync(join(root, 'examples'), project, { recursive: true });
  const edit = (file, from, to) => {
    const text = readFileSync(join(project, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
    writeFileSync(join(project, file), text.replace(from, to));
  };

  console.log('\n━━ 6. Canary of a changed agent: 10% → 30% → 50% → 100%, 3 s bakes ━━');
  edit('s.yaml', 'LOG_LEVEL: info', 'LOG_LEVEL: debug');
  // From here on the agent's output goes to SLS, as the quick starts have it.
  edit(
    's.yaml',
    'logConfig:\n          project: agentrun-logs\n          logstore: production-agent',
    'logConfig: auto',
  );
  const promoted = (await runAction(address, CANARY, { workspace: project })).outputs;
  showCanary(promoted);
  if (promoted['canary-result'] !== 'promoted')
    throw new Error('the healthy canary should have been promoted');

  console.log('\n━━ 7. Canary of a broken version: it answers 500, so the first stage rolls back ━━');
  edit(
    'code/main.py',
    '            200,\n            {\n                "answer"',
    '            500,\n            {\n                "answer"',
  );
  const rolledBack = (await runAction(address, CANARY, { workspace: project, expectFailure: true })).outputs;
  showCanary(rolledBack);
  if (rolledBack['canary-result'] !== 'rolled-back') {
    throw new Error('the broken canary should have been rolled back');
  }
  const served = {};
  for (let i = 0; i < 50; i++) {
    const reply = await fetch(first.url, { method: 'POST', body: '{"prompt":"still there?"}' });
    served[reply.status] = (served[reply.status] ?? 0) + 1;
  }
  console.log(`\n50 calls of production after the rollback: ${JSON.stringify(served)} (HTTP status: count)`);

  console.log('\n━━ 8. A pull request: its preview, and the one comment it keeps up to date ━━');
  const pullRequest = join(work, 'pull-request');
  cpSync(join(root, 'examples'), pullRequest, { recursive: true });
  const agent = join(pullRequest, 'code/main.py');
  writeFileSync(agent, readFileSync(agent, 'utf8').replace('You said', 'The PR says'));
  const prYaml = join(pullRequest, 's.yaml');
  writeFileSync(
    prYaml,
    readFileSync(prYaml, 'utf8').replace(/logConfig:\n.*\n.*logstore: production-agent/, 'logConfig: auto'),
  );
  await previewPullRequest(address, pullRequest);

  console.log('\n━━ 9. agentrun-deploy logs: what the agent printed, from its logstore ━━');
  const logs = runCli(address, ['logs', 's.yaml', '--since', '10m', '--query', 'POST'], project);
  console.log(logs.stdout.split('\n').slice(-6).join('\n'));

  console.log('\n━━ 10. An agent that crashes at start, diagnosed from its logs ━━');
  edit('code/main.py', 'import json\n', 'import json\nimport langchain  # not in the package\n');
  const crashed = await runAction(
    address,
    { INPUT_CONFIG: 's.yaml' },
    { workspace: project, expectFailure: true },
  );
  const annotation = crashed.lines.find((line) => line.startsWith('::error'));
  console.log(`\nThe run's error annotation: ${renderWorkflowCommand(annotation ?? '').split('\n')[0]}`);
  console.log(
    '\nDemo finished: both agents are deployed and answered, the redeploy was a no-op, the second ' +
      'dependency build was a cache hit, a healthy canary was promoted and a broken one rolled back, ' +
      'a pull request got its own preview and comment, logs showed what the agent printed, and a ' +
      'crashing agent was diagnosed from its logs.',
  );
} catch (error) {
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  emulator.kill('SIGTERM');
  await new Promise((resolve) => emulator.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}

/**
 * Runs `command: preview` for pull request #7 (an event payload as GitHub sends it) against a local
 * GitHub REST server that checks every call against GitHub's OpenAPI description, then prints the
 * comment the PR got.
 */
async function previewPullRequest(address, project) {
  const event = join(root, '__tests__/fixtures/github/pull_request.opened.json');
  const { number, pull_request: pull } = JSON.parse(readFileSync(event, 'utf8'));
  const github = await startGitHubServer({ tokens: { ghs_demo_token: 'write' } });
  try {
    github.addPull({ number, headSha: pull.head.sha, headRepo: github.repository });
    const preview = await runAction(
      address,
      {
        INPUT_CONFIG: 's.yaml',
        INPUT_COMMAND: 'preview',
        'INPUT_GITHUB-TOKEN': 'ghs_demo_token',
        GITHUB_REPOSITORY: github.repository,
        GITHUB_API_URL: github.url,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_SHA: pull.head.sha,
        GITHUB_RUN_ID: '4242',
      },
      { workspace: project },
    );
    const answer = await fetch(preview.outputs.url, { method: 'POST', body: '{"prompt":"a preview"}' });
    console.log(`\nPOST ${preview.outputs.url} → ${answer.status} ${await answer.text()}`);
    const [comment] = github.comments(number);
    console.log(`\nThe comment on pull request #${number}:\n\n${comment?.body ?? '(none)'}`);
    if (github.problems.length) throw new Error(`GitHub calls off the API: ${github.problems.join('; ')}`);
  } finally {
    await github.close();
  }
}

/** Reads the `name: value` lines the emulator prints on start. */
async function emulatorAddress(child) {
  const lines = createInterface({ input: child.stdout });
  const address = {};
  for await (const line of lines) {
    const match = /^([\w-]+): (.+)$/.exec(line);
    if (match) address[match[1]] = match[2];
    if (address['access-key-secret']) return address;
  }
  throw new Error('the emulator exited before printing its address');
}

/**
 * `build-image` when this machine has the image scripts/runtime-images.sh builds: with no registry at
 * hand, the default node image could not be pulled. Without Docker the action falls back to the local
 * npm by itself, and says so.
 */
function buildImageInput() {
  const image = 'agentrun-build/nodejs:bookworm';
  const found = spawnSync('docker', ['image', 'inspect', image], { stdio: 'ignore' }).status === 0;
  return found ? { 'INPUT_BUILD-IMAGE': image } : {};
}

/** The stage table of a canary, from its `canary-report` output. */
function showCanary(outputs) {
  const report = JSON.parse(outputs['canary-report']);
  console.log(
    `\ncanary-result=${outputs['canary-result']}: version ${report.candidate} against stable ${report.stable}`,
  );
  console.log('| stage | weight | endpoint | probes | success | p50 | p95 | verdict |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const stage of report.stages) {
    for (const probe of stage.probes) {
      const success = `${(probe.successRate * 100).toFixed(1)}%`;
      const latency = [probe.p50Ms, probe.p95Ms].map((ms) => `${Math.round(ms)} ms`);
      const cells = [
        stage.stage,
        `${stage.weight}%`,
        probe.endpoint,
        probe.count,
        success,
        ...latency,
        stage.verdict,
      ];
      console.log(`| ${cells.join(' | ')} |`);
    }
  }
  console.log(`Production serves ${report.serving}.`);
}

/**
 * Runs the action with INPUT_* variables (examples/s.yaml unless `inputs` says otherwise) and a
 * GITHUB_OUTPUT file; returns the outputs and the lines it printed. Built dependencies are cached in
 * the demo's own directory, so the first build is a miss. `workspace` runs it on a changed copy.
 */
async function runAction(address, inputs = {}, { workspace = root, expectFailure = false } = {}) {
  const outputFile = join(work, `output-${Date.now()}`);
  writeFileSync(outputFile, '');
  const env = {
    ...process.env,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    INPUT_CONFIG: 'examples/s.yaml',
    'INPUT_SLS-ENDPOINT': address['control-plane'],
    'INPUT_STS-ENDPOINT': address['control-plane'],
    // What a repository secret holding the .env body would carry.
    INPUT_DOTENV: readFileSync(join(root, 'examples/.env.example'), 'utf8'),
    'INPUT_API-ENDPOINT': address['control-plane'],
    'INPUT_ACCESS-KEY-ID': address['access-key-id'],
    'INPUT_ACCESS-KEY-SECRET': address['access-key-secret'],
    AGENTRUN_DEPLOY_CACHE_DIR: join(work, 'cache'),
    ...inputs,
  };
  const child = spawn(process.execPath, [join(dist, 'index.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = [];
  for await (const line of createInterface({ input: child.stdout })) {
    const shown = renderWorkflowCommand(line);
    if (shown !== undefined) console.log(shown);
    lines.push(line);
  }
  const code = await new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve),
  );
  if ((code !== 0) !== expectFailure) {
    throw new Error(
      expectFailure ? 'the action should have failed' : `the action failed (exit code ${code})`,
    );
  }
  return { outputs: parseOutputs(readFileSync(outputFile, 'utf8')), lines };
}

/** Runs the bundled CLI against the emulator in `cwd`; returns what it printed. */
function runCli(address, args, cwd) {
  const endpoint = address['control-plane'];
  const result = spawnSync(
    process.execPath,
    [
      join(dist, 'cli.js'),
      ...args,
      '--api-endpoint',
      endpoint,
      '--sls-endpoint',
      endpoint,
      '--sts-endpoint',
      endpoint,
    ],
    {
      cwd,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        ALIBABA_CLOUD_ACCESS_KEY_ID: address['access-key-id'],
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: address['access-key-secret'],
        API_KEY: 'demo-key',
        MODEL_ENDPOINT: 'https://example.invalid',
      },
    },
  );
  if (result.status !== 0) throw new Error(`agentrun-deploy ${args[0]} failed: ${result.stderr}`);
  return result;
}

/** Shows workflow commands roughly as the Actions log does; masks registrations are not shown. */
function renderWorkflowCommand(line) {
  if (line.startsWith('::add-mask::') || line.startsWith('::debug::') || line === '::endgroup::') {
    return undefined;
  }
  if (line.startsWith('::group::')) return `▸ ${line.slice('::group::'.length)}`;
  const annotation = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line);
  // Workflow command data is percent-escaped (%25, %0D, %0A); the Actions log shows it unescaped.
  const unescape = (text) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  return annotation ? `${annotation[1]}: ${unescape(annotation[2])}` : line;
}

/** GITHUB_OUTPUT uses `name<<DELIMITER` … `DELIMITER` blocks. */
function parseOutputs(text) {
  const outputs = {};
  const pattern = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]] = match[3];
  return outputs;
}
