// Java agents built with Maven in the java build image, with no registry in reach (Debian's Maven
// repository stands in for Maven Central), deployed to the emulator and called: the answer can only
// come if the jar, what its Class-Path names and the command line up.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ask, remoteState } from '../e2e/helpers.js';
import {
  buildServers,
  deployProject,
  JAVA_GREETING,
  JAVA_IMAGE,
  javaAgent,
  MAVEN_SETTINGS,
  mavenHome,
  requireDocker,
  requireJava,
} from './helpers.js';

void describe('Java agents built with Maven', () => {
  const servers = buildServers('agentrun-build-java-');
  const docker = { build: 'docker', 'build-image': JAVA_IMAGE };

  test('no dependency: built in Docker, deployed, answers; the second run is a cache hit with changed=false', async (t) => {
    if (!requireDocker(t, [JAVA_IMAGE]) || !requireJava(t)) return;
    const project = await javaAgent({ dependency: false });
    t.after(() => project.remove());
    // The settings.xml given by path in MAVEN_ARGS, relative to code.src.
    await mkdir(join(project.dir, 'code', 'ci'));
    await writeFile(join(project.dir, 'code', 'ci', 'settings.xml'), MAVEN_SETTINGS);
    const home = await mkdtemp(join(servers.work, 'home-'));
    const env = {
      HOME: home,
      MAVEN_ARGS: '-s ci/settings.xml',
      AGENTRUN_DEPLOY_CACHE_DIR: join(home, 'builds'),
    };

    const first = await deployProject(project, servers.emulator, {
      inputs: docker,
      env,
      tempDir: servers.work,
    });
    const firstLog = first.captured.lines.join('\n');
    assert.equal(first.failure, undefined, firstLog);
    assert.match(firstLog, /▸ Dependencies of agent: mvn package in agentrun-build\/java:bookworm/);
    assert.match(firstLog, /mvn -B -q -s \/\S+\/code\/ci\/settings\.xml /);
    assert.match(
      firstLog,
      /cache miss, saved as agentrun-deps-java17-x64-agentrun-build_java_bookworm-[0-9a-f]{32}; target\//,
    );
    assert.equal(first.captured.outputs.changed, 'true');
    const reply = await ask(JSON.parse(first.captured.outputs.endpoints!)[0].url, 'the emulator');
    assert.equal(reply.status, 200, reply.body);
    assert.equal(JSON.parse(reply.body).answer, `${JAVA_GREETING}the emulator`);

    const second = await deployProject(project, servers.emulator, {
      inputs: docker,
      env,
      tempDir: servers.work,
    });
    const secondLog = second.captured.lines.join('\n');
    assert.equal(second.failure, undefined, secondLog);
    assert.match(
      secondLog,
      /agent: dependencies restored from the cache in [\d.]+ m?s, no install \(target\//,
    );
    assert.ok(!secondLog.includes('mvn -B'), 'Maven did not run');
    assert.equal(second.captured.outputs.changed, 'false');
  });

  test('a dependency from the local Maven repository: the jar and what its Class-Path names are packaged', async (t) => {
    if (!requireDocker(t, [JAVA_IMAGE]) || !requireJava(t)) return;
    const project = await javaAgent({ dependency: true });
    t.after(() => project.remove());
    // setup-java's ~/.m2/settings.xml, and com.example:greeting installed in ~/.m2/repository.
    const home = await mkdtemp(join(servers.work, 'home-'));
    await mavenHome(home, { greeting: true });
    const { captured, failure } = await deployProject(project, servers.emulator, {
      inputs: { ...docker, cache: 'false' },
      env: { HOME: home },
      tempDir: servers.work,
    });
    const log = captured.lines.join('\n');
    assert.equal(failure, undefined, log);
    assert.match(
      log,
      / -s \/\S+\/\.m2\/settings\.xml -Dmaven\.repo\.local=\/cache\/maven package -DskipTests/,
    );
    assert.match(log, /agent: the dependencies \(target\/\) add [\d.]+ KiB to the zip/);
    const reply = await ask(JSON.parse(captured.outputs.endpoints!)[0].url, 'the emulator');
    assert.equal(reply.status, 200, reply.body);
    assert.equal(JSON.parse(reply.body).answer, 'greeting 1.0 says hello to the emulator');
  });

  test("code that does not compile: Maven's error lines in an annotation, nothing deployed", async (t) => {
    if (!requireDocker(t, [JAVA_IMAGE])) return;
    const project = await javaAgent({ dependency: false });
    t.after(() => project.remove());
    await writeFile(
      join(project.dir, 'code', 'src', 'main', 'java', 'agent', 'Broken.java'),
      'class Broken {',
    );
    const home = await mkdtemp(join(servers.work, 'home-'));
    await mavenHome(home, { greeting: false });
    const before = await remoteState(servers.emulator);
    const { captured, failure } = await deployProject(project, servers.emulator, {
      inputs: { ...docker, cache: 'false' },
      env: { HOME: home },
      tempDir: servers.work,
    });
    assert.match(
      failure ?? '',
      /agent: its dependencies could not be installed \(mvn package, exit code 1\)/,
    );
    const annotation = captured.lines.find((line) => line.startsWith('error: agent: mvn package failed'));
    assert.ok(annotation, captured.lines.join('\n'));
    assert.match(annotation, /pom\.xml:\n\[ERROR\] .*Broken\.java/);
    assert.deepEqual(await remoteState(servers.emulator), before, 'nothing deployed');
  });

  test('a command naming a jar the build does not make says which it made', async (t) => {
    if (!requireDocker(t, [JAVA_IMAGE])) return;
    const project = await javaAgent({ dependency: false });
    t.after(() => project.remove());
    const yaml = join(project.dir, 's.yaml');
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('target/agent-1.0.jar', 'target/app.jar'));
    const home = await mkdtemp(join(servers.work, 'home-'));
    await mavenHome(home, { greeting: false });
    const before = await remoteState(servers.emulator);
    const { failure } = await deployProject(project, servers.emulator, {
      inputs: { ...docker, cache: 'false' },
      env: { HOME: home },
      tempDir: servers.work,
    });
    assert.match(
      failure ?? '',
      /code\.command names target\/app\.jar, which mvn package did not build \(it built: target\/agent-1\.0\.jar\)/,
    );
    assert.deepEqual(await remoteState(servers.emulator), before, 'nothing deployed');
  });
});
