// Built dependencies cached through the real @actions/cache against a local cache service (Azurite
// behind the Twirp routes the toolkit calls): a miss installs and saves, the next run restores and
// installs nothing, and the zip is the same whichever way, or wherever, it was built.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { ask } from '../e2e/helpers.js';
import { startCacheService, type CacheService } from './cache-service.js';
import {
  deployProject,
  pipEnv,
  PYTHON_IMAGE,
  pythonAgent,
  requireDocker,
  startPackageIndex,
  writeWheel,
  type AgentProject,
  type PackageIndex,
} from './helpers.js';

void describe('the dependency cache, through @actions/cache', () => {
  let emulator: Emulator;
  let service: CacheService;
  let work: string;
  let index: PackageIndex;
  let project: AgentProject;
  const saved = { ...process.env };

  before(async () => {
    emulator = await startEmulator({ delayMs: 20 });
    service = await startCacheService();
    work = await mkdtemp(join(tmpdir(), 'agentrun-build-cache-'));
    index = await startPackageIndex([await writeWheel(work, 'greeting', '1.0')]);
    project = await pythonAgent();
    // What the runner gives every job: the toolkit reads these from the process environment.
    Object.assign(process.env, service.env, { RUNNER_TEMP: work, GITHUB_WORKSPACE: work });
    delete process.env.GITHUB_SERVER_URL;
  });
  after(async () => {
    process.env = saved;
    await project?.remove();
    await index?.close();
    await service?.close();
    await emulator?.stop();
    await rm(work, { recursive: true, force: true });
  });

  const deploy = (inputs: Record<string, string>) =>
    deployProject(project, emulator, { inputs, env: pipEnv(index), tempDir: work });

  test('a miss installs and saves; the next run restores and installs nothing', async (t) => {
    if (!requireDocker(t, [PYTHON_IMAGE])) return;
    const docker = { build: 'docker', 'build-image': PYTHON_IMAGE };

    const first = await deploy(docker);
    const firstLog = first.captured.lines.join('\n');
    assert.equal(first.failure, undefined, firstLog);
    const key =
      /cache miss, saved as (agentrun-deps-python3\.12-x64-agentrun-build_python_bookworm-[0-9a-f]{32})/.exec(
        firstLog,
      )?.[1];
    assert.ok(key, firstLog);
    assert.deepEqual(service.keys(), [key]);
    assert.equal(index.downloads(), 1);

    const second = await deploy(docker);
    const secondLog = second.captured.lines.join('\n');
    assert.equal(second.failure, undefined, secondLog);
    assert.match(
      secondLog,
      new RegExp(
        `agent: dependencies restored from the cache in [\\d.]+ m?s, no install \\(python/ .*; key ${key}\\)`,
      ),
    );
    assert.ok(!secondLog.includes('pip install'), 'no install ran');
    assert.equal(index.downloads(), 1, 'nothing was downloaded');
    assert.match(secondLog, /unchanged: nothing uploaded/, 'the restored tree zips to the same checksum');
    assert.match(
      second.captured.summaries.join('\n'),
      /\| agent \| docker: `agentrun-build\/python:bookworm` \| hit \(no install\) \|/,
    );
    assert.deepEqual(service.calls.slice(-1), ['GetCacheEntryDownloadURL']);

    const reply = await ask(JSON.parse(second.captured.outputs.endpoints!)[0].url, 'the cache');
    assert.equal(JSON.parse(reply.body).answer, 'greeting 1.0 says hello to the cache');

    // plan builds too (from the cache), so it compares the zip the deploy would send.
    const plan = await deploy({ ...docker, command: 'plan' });
    assert.equal(plan.failure, undefined, plan.captured.lines.join('\n'));
    assert.match(plan.captured.printed.join('\n'), /agent: runtime python-agent is unchanged/);
  });

  test('built on the runner instead, the zip and its checksum are the same', async (t) => {
    if (!requireDocker(t, [PYTHON_IMAGE])) return;
    const local = await deploy({ build: 'local', cache: 'false' });
    const log = local.captured.lines.join('\n');
    assert.equal(local.failure, undefined, log);
    assert.match(log, /^▸ Dependencies of agent: pip install with the runner's python3 [\d.]+$/m);
    assert.match(log, /unchanged: nothing uploaded/);
  });
});
