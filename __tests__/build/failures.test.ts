// What a user sees when dependencies cannot be built: the reason, and nothing deployed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { remoteState } from '../e2e/helpers.js';
import {
  buildServers,
  deployProject,
  nodeAgent,
  pipEnv,
  PYTHON_IMAGE,
  pythonAgent,
  requireDocker,
  startPackageIndex,
} from './helpers.js';

void describe('dependency builds that fail', () => {
  const servers = buildServers('agentrun-build-fail-');

  test("a requirement the index does not have: pip's error lines in an annotation, nothing deployed", async (t) => {
    if (!requireDocker(t, [PYTHON_IMAGE])) return;
    const project = await pythonAgent('greeting==1.0\nno-such-package==9.9\n');
    t.after(() => project.remove());
    const { captured, failure } = await deployProject(project, servers.emulator, {
      inputs: { build: 'docker', 'build-image': PYTHON_IMAGE, cache: 'false' },
      env: pipEnv(servers.index),
      tempDir: servers.work,
    });
    assert.match(
      failure ?? '',
      /agent: its dependencies could not be installed \(pip install, exit code 1\); nothing was deployed/,
    );
    const annotation = captured.lines.find((line) => line.startsWith('error: agent: pip install failed'));
    assert.ok(annotation, captured.lines.join('\n'));
    assert.match(
      annotation,
      /requirements\.txt:\nERROR: Could not find a version that satisfies the requirement no-such-package==9\.9/,
    );
    assert.match(annotation, /ERROR: No matching distribution found for no-such-package==9\.9/);
    assert.ok(!captured.everything().includes(servers.index.password), 'the index password never shows');
    assert.deepEqual(await remoteState(servers.emulator), []);
  });

  test('an install that runs past build-timeout is stopped, container and all', async (t) => {
    if (!requireDocker(t, [PYTHON_IMAGE])) return;
    const stalled = await startPackageIndex([], { hang: true });
    t.after(() => stalled.close());
    const project = await pythonAgent();
    t.after(() => project.remove());
    const { failure } = await deployProject(project, servers.emulator, {
      inputs: { build: 'docker', 'build-image': PYTHON_IMAGE, cache: 'false', 'build-timeout': '3s' },
      env: { ...pipEnv(stalled), PIP_DEFAULT_TIMEOUT: '60' },
      tempDir: servers.work,
    });
    assert.match(
      failure ?? '',
      /agent: installing dependencies ran past build-timeout \(3 s\) and was stopped/,
    );
    // Other suites' builds may be running meanwhile: only a container that mounts this project counts.
    const builds = spawnSync('docker', ['ps', '--all', '--quiet', '--filter', 'name=agentrun-build-'], {
      encoding: 'utf8',
    })
      .stdout.split('\n')
      .filter(Boolean);
    const mounts = builds.length
      ? spawnSync('docker', ['inspect', '--format', '{{range .Mounts}}{{.Source}} {{end}}', ...builds], {
          encoding: 'utf8',
        }).stdout
      : '';
    assert.ok(!mounts.includes(project.dir), `no build container of this project is left: ${mounts}`);
    assert.deepEqual(await remoteState(servers.emulator), []);
  });

  test('build: docker where there is no Docker names the alternatives', async () => {
    const project = await pythonAgent();
    try {
      const { failure } = await deployProject(project, servers.emulator, {
        inputs: { build: 'docker' },
        // A PATH without the docker command, as on a runner without Docker.
        env: { PATH: '/nonexistent' },
        tempDir: servers.work,
      });
      assert.match(
        failure ?? '',
        /build: docker needs Docker, which is not available here \(the docker command is not installed\)/,
      );
      assert.match(failure ?? '', /build: container.*build: local.*build: skip/);
    } finally {
      await project.remove();
    }
  });

  test('a node agent without a lockfile is refused, with the command that makes one', async () => {
    const project = await nodeAgent();
    try {
      await unlink(join(project.dir, 'code', 'package-lock.json'));
      const { failure } = await deployProject(project, servers.emulator, { tempDir: servers.work });
      assert.match(
        failure ?? '',
        /package\.json has dependencies but no package-lock\.json: run `npm install --package-lock-only`/,
      );
      assert.deepEqual(await remoteState(servers.emulator), []);
    } finally {
      await project.remove();
    }
  });
});
