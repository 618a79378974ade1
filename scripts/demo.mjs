// `npm run demo`: deploys examples/ with the bundled action (dist/index.js) to a local AgentRun
// emulator, exactly as the Actions runner would run it, calls the agent, then deploys again to show
// that an unchanged agent is left alone. Then examples/node-agent, whose npm dependency the action
// installs (in Docker when there is one, else with this machine's npm) and caches: the second deploy
// restores it without installing. Needs nothing but Node.js, npm and python3.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'agentrun-demo-'));

const emulator = spawn(process.execPath, [join(root, 'dist/emulator.js')], {
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
  console.log(
    '\nDemo finished: both agents are deployed and answered, the redeploy was a no-op, and the second ' +
      'dependency build was a cache hit.',
  );
} catch (error) {
  console.error(`\nDemo failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  emulator.kill('SIGTERM');
  await new Promise((resolve) => emulator.once('exit', resolve));
  rmSync(work, { recursive: true, force: true });
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

/**
 * Runs dist/index.js with INPUT_* variables (examples/s.yaml unless `inputs` says otherwise) and a
 * GITHUB_OUTPUT file; returns the outputs and the lines it printed. Built dependencies are cached in
 * the demo's own directory, so the first build is a miss.
 */
async function runAction(address, inputs = {}) {
  const outputFile = join(work, `output-${Date.now()}`);
  writeFileSync(outputFile, '');
  const env = {
    ...process.env,
    GITHUB_WORKSPACE: root,
    GITHUB_OUTPUT: outputFile,
    INPUT_CONFIG: 'examples/s.yaml',
    // What a repository secret holding the .env body would carry.
    INPUT_DOTENV: readFileSync(join(root, 'examples/.env.example'), 'utf8'),
    'INPUT_API-ENDPOINT': address['control-plane'],
    'INPUT_ACCESS-KEY-ID': address['access-key-id'],
    'INPUT_ACCESS-KEY-SECRET': address['access-key-secret'],
    AGENTRUN_DEPLOY_CACHE_DIR: join(work, 'cache'),
    ...inputs,
  };
  const child = spawn(process.execPath, [join(root, 'dist/index.js')], {
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
  if (code !== 0) throw new Error(`the action failed (exit code ${code})`);
  return { outputs: parseOutputs(readFileSync(outputFile, 'utf8')), lines };
}

/** Shows workflow commands roughly as the Actions log does; masks registrations are not shown. */
function renderWorkflowCommand(line) {
  if (line.startsWith('::add-mask::') || line === '::endgroup::') return undefined;
  if (line.startsWith('::group::')) return `▸ ${line.slice('::group::'.length)}`;
  const annotation = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line);
  return annotation ? `${annotation[1]}: ${annotation[2]}` : line;
}

/** GITHUB_OUTPUT uses `name<<DELIMITER` … `DELIMITER` blocks. */
function parseOutputs(text) {
  const outputs = {};
  const pattern = /^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]] = match[3];
  return outputs;
}
