// Agents whose dependencies are built in a real container, deployed to the emulator and called: the
// answer can only come if the install, the zip layout and PYTHONPATH are all right.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ask, emulatorInputs, inputEnv, ROOT, runProcess } from '../e2e/helpers.js';
import {
  buildServers,
  deployProject,
  nodeAgent,
  pipEnv,
  PYTHON_IMAGE,
  NODEJS_IMAGE,
  privateNodeAgent,
  pythonAgent,
  requireDocker,
  startNpmRegistry,
} from './helpers.js';

void describe('dependencies built with build: docker', () => {
  const servers = buildServers('agentrun-build-test-');

  test('a python agent imports a package installed from a private index', async (t) => {
    if (!requireDocker(t, [PYTHON_IMAGE])) return;
    const project = await pythonAgent();
    t.after(() => project.remove());
    const { captured, failure } = await deployProject(project, servers.emulator, {
      inputs: { build: 'docker', 'build-image': PYTHON_IMAGE, cache: 'false' },
      env: pipEnv(servers.index),
      tempDir: servers.work,
    });
    const log = captured.lines.join('\n');
    assert.equal(failure, undefined, log);
    assert.match(log, /▸ Dependencies of agent: pip install in agentrun-build\/python:bookworm/);
    assert.match(log, /notice: agent: PYTHONPATH=\/code\/python added/);
    assert.ok(captured.masked.includes(servers.index.url), 'the index URL, with its password, is masked');
    const reply = await ask(JSON.parse(captured.outputs.endpoints!)[0].url, 'the emulator');
    assert.equal(reply.status, 200, reply.body);
    assert.equal(JSON.parse(reply.body).answer, 'greeting 1.0 says hello to the emulator');
  });

  test('a node agent requires its npm dependency, without the dev dependency', async (t) => {
    if (!requireDocker(t, [NODEJS_IMAGE])) return;
    const project = await nodeAgent();
    t.after(() => project.remove());
    const { captured, failure } = await deployProject(project, servers.emulator, {
      inputs: { build: 'docker', 'build-image': NODEJS_IMAGE, cache: 'false' },
      tempDir: servers.work,
    });
    const log = captured.lines.join('\n');
    assert.equal(failure, undefined, log);
    assert.match(log, /▸ Dependencies of agent: npm ci in agentrun-build\/nodejs:bookworm/);
    assert.match(log, /^added 1 package/m, 'ms only: the dev dependency is left out');
    const reply = await ask(JSON.parse(captured.outputs.endpoints!)[0].url, '2h');
    assert.equal(reply.status, 200, reply.body);
    assert.equal(JSON.parse(reply.body).answer, '2h is 7200000 ms');
  });

  test("a user .npmrc outside code.src (setup-node's NPM_CONFIG_USERCONFIG) names the private registry the install uses", async (t) => {
    if (!requireDocker(t, [NODEJS_IMAGE])) return;
    const registry = await startNpmRegistry(servers.work);
    t.after(() => registry.close());
    const project = await privateNodeAgent(registry);
    t.after(() => project.remove());
    // As setup-node writes it: the scope's registry, and a token read from NODE_AUTH_TOKEN.
    const runnerTemp = await mkdtemp(join(servers.work, 'runner-temp-'));
    const userconfig = join(runnerTemp, '.npmrc');
    const host = registry.url.replace(/^http:/, '');
    await writeFile(userconfig, `@corp:registry=${registry.url}\n${host}:_authToken=\${NODE_AUTH_TOKEN}\n`);
    const { captured, failure } = await deployProject(project, servers.emulator, {
      inputs: { build: 'docker', 'build-image': NODEJS_IMAGE, cache: 'false' },
      // An empty npm cache, or the tarball of an earlier run comes from there.
      env: {
        NPM_CONFIG_USERCONFIG: userconfig,
        NODE_AUTH_TOKEN: registry.token,
        npm_config_cache: join(runnerTemp, 'npm-cache'),
      },
      tempDir: servers.work,
    });
    const log = captured.lines.join('\n');
    assert.equal(failure, undefined, log);
    assert.match(log, new RegExp(`npm ci .* --userconfig ${userconfig} `));
    assert.equal(registry.downloads(), 1, 'the tarball came from the private registry, with the token');
    assert.ok(captured.masked.includes(registry.token), 'the token is masked');
    assert.ok(!captured.everything().includes(registry.token), 'the token never shows');
    const reply = await ask(JSON.parse(captured.outputs.endpoints!)[0].url, 'the registry');
    assert.equal(reply.status, 200, reply.body);
    assert.equal(JSON.parse(reply.body).answer, '@corp/greeting 1.0.0 says hello to the registry');
  });

  test('in a container job, the action installs right there with the container’s pip', async (t) => {
    if (!requireDocker(t, [PYTHON_IMAGE])) return;
    const project = await pythonAgent();
    t.after(() => project.remove());
    // The paths a container job has: the workspace under /__w, the runner's temp dir, the runner's
    // Node.js mounted from outside, as GitHub's runner lays them out.
    const runnerTemp = await mkdtemp(join(servers.work, 'runner-temp-'));
    const output = join(runnerTemp, 'output');
    await writeFile(output, '');
    await mkdir(join(runnerTemp, 'home'));
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: '/__w/agent/agent',
      RUNNER_TEMP: '/__w/_temp',
      GITHUB_OUTPUT: '/__w/_temp/output',
      HOME: '/__w/_temp/home',
      ...inputEnv({ ...emulatorInputs(servers.emulator), cache: 'false' }),
      ...pipEnv(servers.index),
    };
    const argv = [
      'run',
      '--rm',
      '--network',
      'host',
      ...['--mount', `type=bind,source=${ROOT},target=/action,readonly`],
      ...['--mount', `type=bind,source=${project.dir},target=/__w/agent/agent`],
      ...['--mount', `type=bind,source=${runnerTemp},target=/__w/_temp`],
      ...['--mount', `type=bind,source=${process.execPath},target=/__e/node20/bin/node,readonly`],
      ...Object.keys(env).flatMap((name) => ['--env', name]),
      ...['--workdir', '/action'],
      PYTHON_IMAGE,
      ...['/__e/node20/bin/node', '--import', 'tsx', 'src/index.ts'],
    ];
    const { code, stdout, stderr } = await runProcess('docker', argv, { env: { ...process.env, ...env } });
    const log = `${stdout}${stderr}`;
    assert.equal(code, 0, log);
    assert.match(log, /::group::Dependencies of agent: pip install with the container's python3 3\.11/);
    const leaks = log
      .split('\n')
      .filter((line) => line.includes(servers.index.password) && !line.startsWith('::add-mask::'));
    assert.deepEqual(leaks, [], 'the index password is masked');
    const endpoints = /endpoints<<(\S+)\n(.*)\n\1/.exec(await readFile(output, 'utf8'))?.[2];
    const reply = await ask(JSON.parse(endpoints!)[0].url, 'a container job');
    assert.equal(reply.status, 200, reply.body);
    assert.equal(JSON.parse(reply.body).answer, 'greeting 1.0 says hello to a container job');
  });
});
