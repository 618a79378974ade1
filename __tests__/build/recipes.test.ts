// What gets built, where, with which command line and cache key: the pure decisions, table-driven.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cacheKey, defaultBuildCache, directoryCache } from '../../src/build/cache.js';
import { dockerRunArgv } from '../../src/build/commands.js';
import { detectBuild } from '../../src/build/detect.js';
import { ECOSYSTEMS, type BuildRecipe } from '../../src/build/ecosystems/index.js';
import { mavenArgs, namedOutputs } from '../../src/build/ecosystems/java.js';
import { projectDependencies } from '../../src/build/ecosystems/python.js';
import { buildEnvironment } from '../../src/build/env.js';
import { DependencyBuilder, failureLines } from '../../src/build/index.js';
import { createConsoleLogger } from '../../src/cli/logger.js';
import { systemClock } from '../../src/system/clock.js';
import type { CommandRunner } from '../../src/system/runner.js';
import { choosePlace, isContainerJob } from '../../src/build/mode.js';
import { BUILD_IMAGES } from '../../src/build/images.js';
import { readSettings } from '../../src/settings.js';
import type { Language } from '../../src/config/schema.js';
import { ROOT } from '../e2e/helpers.js';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'agentrun-recipes-'));
});
after(() => rm(root, { recursive: true, force: true }));

/** A code directory holding `files`. */
async function codeDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(root, 'code-'));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

const LOCK = '{"lockfileVersion":3}';
const POM = '<project><modelVersion>4.0.0</modelVersion></project>';
const JAR_COMMAND = ['java', '-jar', 'target/agent.jar'];

/** What a code directory of `files` needs, for `language`. */
async function detect(files: Record<string, string>, language: Language, command = JAR_COMMAND) {
  return detectBuild({ codeDir: await codeDir(files), language, command });
}

void describe('detectBuild', () => {
  const cases: [string, Record<string, string>, Language, unknown][] = [
    [
      'requirements.txt',
      { 'requirements.txt': 'requests==2.32.3\n' },
      'python3.12',
      ['python', 'requirements.txt'],
    ],
    [
      'requirements.txt wins over pyproject.toml',
      { 'requirements.txt': 'a\n', 'pyproject.toml': '[project]\ndependencies = ["b"]\n' },
      'python3.12',
      ['python', 'requirements.txt'],
    ],
    [
      'pyproject.toml dependencies',
      { 'pyproject.toml': '[project]\ndependencies = ["b"]\n' },
      'python3.12',
      ['python', 'pyproject.toml'],
    ],
    [
      'pyproject.toml without dependencies',
      { 'pyproject.toml': '[project]\nname = "x"\n' },
      'python3.12',
      /lists no \[project\] dependencies/,
    ],
    [
      'a python agent with nothing to install',
      { 'main.py': '' },
      'python3.12',
      /no requirements\.txt or pyproject\.toml/,
    ],
    [
      'python/ built by an earlier step',
      { 'requirements.txt': 'a\n', 'python/a/__init__.py': '' },
      'python3.12',
      /python\/ is already in code\.src/,
    ],
    [
      'package.json + package-lock.json',
      { 'package.json': '{"dependencies":{"ms":"2"}}', 'package-lock.json': LOCK },
      'nodejs20',
      ['nodejs', 'package.json'],
    ],
    [
      'npm-shrinkwrap.json',
      { 'package.json': '{"dependencies":{"ms":"2"}}', 'npm-shrinkwrap.json': LOCK },
      'nodejs20',
      ['nodejs', 'package.json'],
    ],
    [
      'package.json with dev dependencies only',
      { 'package.json': '{"devDependencies":{"ms":"2"}}' },
      'nodejs20',
      /package\.json has no dependencies/,
    ],
    [
      'node_modules/ already there',
      { 'package.json': '{"dependencies":{"ms":"2"}}', 'node_modules/ms/index.js': '' },
      'nodejs20',
      /node_modules\/ is already in code\.src/,
    ],
    ['pom.xml', { 'pom.xml': POM, 'src/main/java/A.java': '' }, 'java17', ['java', 'pom.xml']],
    ['pom.xml for java8', { 'pom.xml': POM }, 'java8', ['java', 'pom.xml']],
    [
      'target/ built by an earlier step',
      { 'pom.xml': POM, 'target/agent.jar': '' },
      'java17',
      /target\/ is already in code\.src/,
    ],
    [
      'a Gradle project with its wrapper',
      { 'build.gradle.kts': '', gradlew: '#!/bin/sh\n' },
      'java11',
      ['java', 'build.gradle.kts'],
    ],
    ['java without a build file', { 'Main.java': '' }, 'java17', /no pom\.xml or build\.gradle/],
  ];
  for (const [name, files, language, expected] of cases) {
    test(name, async () => {
      const detection = await detect(files, language);
      if (expected instanceof RegExp) {
        assert.ok('nothing' in detection);
        assert.match(detection.nothing, expected);
      } else {
        assert.ok('recipe' in detection);
        assert.deepEqual([detection.recipe.ecosystem, detection.recipe.manifest], expected);
      }
    });
  }

  test('a package.json with dependencies and no lockfile is an error that says how to make one', async () => {
    const dir = await codeDir({ 'package.json': '{"dependencies":{"ms":"2"}}' });
    await assert.rejects(
      detectBuild({ codeDir: dir, language: 'nodejs20', command: [] }),
      /no package-lock\.json: run `npm install --package-lock-only`/,
    );
  });

  test('a Gradle project without its wrapper is refused, with how to add it', async () => {
    await assert.rejects(
      detect({ 'build.gradle': '' }, 'java17'),
      /build\.gradle: a Gradle project is built only with its wrapper.*run `gradle wrapper` and commit gradlew/,
    );
  });

  test('a Java recipe is keyed on every source and on the command, which says what is packaged', async () => {
    const files = { 'pom.xml': POM, 'src/main/java/agent/Main.java': 'class Main {}' };
    const first = await detect(files, 'java17');
    const edited = await detect({ ...files, 'src/main/java/agent/Main.java': 'class Main { }' }, 'java17');
    const other = await detect(files, 'java17', ['java', '-jar', 'target/other.jar']);
    assert.ok('recipe' in first && 'recipe' in edited && 'recipe' in other);
    assert.deepEqual(Object.keys(first.recipe.inputs).sort(), [
      'code.command',
      'pom.xml',
      'src/main/java/agent/Main.java',
    ]);
    const keys = [first, edited, other].map(
      (detection) =>
        'recipe' in detection &&
        cacheKey({ language: 'java17', arch: 'x64', builder: 'maven', inputs: detection.recipe.inputs }),
    );
    assert.equal(new Set(keys).size, 3);
  });

  test('the install reads .npmrc too', async () => {
    const dir = await codeDir({
      'package.json': '{"dependencies":{"ms":"2"}}',
      'package-lock.json': LOCK,
      '.npmrc': 'registry=x\n',
    });
    const detection = await detectBuild({ codeDir: dir, language: 'nodejs20', command: [] });
    assert.ok('recipe' in detection);
    assert.deepEqual(Object.keys(detection.recipe.inputs).sort(), [
      '.npmrc',
      'package-lock.json',
      'package.json',
    ]);
  });
});

void describe('projectDependencies', () => {
  const cases: [string, string, string[] | RegExp][] = [
    ['one line', '[project]\ndependencies = ["requests>=2", \'rich\']\n', ['requests>=2', 'rich']],
    [
      'over lines, with comments and a trailing comma',
      '[project]\nname = "a"\ndependencies = [\n  # HTTP\n  "httpx==0.27.0",  # pinned\n  "pydantic[email]>=2; python_version >= \\"3.10\\"",\n]\n',
      ['httpx==0.27.0', 'pydantic[email]>=2; python_version >= "3.10"'],
    ],
    ['in another table only', '[tool.poetry]\ndependencies = ["x"]\n', []],
    ['after [project] ends', '[project]\nname = "a"\n[tool.x]\ndependencies = ["x"]\n', []],
    ['not a list of strings', '[project]\ndependencies = [1]\n', /cannot read \[project\] dependencies/],
  ];
  for (const [name, toml, expected] of cases) {
    test(name, () => {
      if (expected instanceof RegExp) assert.throws(() => projectDependencies(toml), expected);
      else assert.deepEqual(projectDependencies(toml), expected);
    });
  }
});

const python: BuildRecipe = {
  ecosystem: 'python',
  manifest: 'requirements.txt',
  tool: 'pip install',
  inputs: { 'requirements.txt': 'a\n' },
  outDir: 'python',
};
const nodejs: BuildRecipe = {
  ecosystem: 'nodejs',
  manifest: 'package.json',
  tool: 'npm ci',
  inputs: { 'package-lock.json': LOCK },
  outDir: 'node_modules',
};
const java: BuildRecipe = {
  ecosystem: 'java',
  manifest: 'pom.xml',
  tool: 'mvn package',
  inputs: { 'pom.xml': POM, 'code.command': JSON.stringify(JAR_COMMAND) },
  outDir: 'target',
};
const installArgv = (recipe: BuildRecipe, paths: { code: string; out: string }, env = {}) =>
  ECOSYSTEMS[recipe.ecosystem].installArgv(recipe, { paths, env, configFiles: {} });

void describe('command lines', () => {
  test('pip installs into python/ without .pyc files; npm ci leaves dev dependencies out', () => {
    assert.deepEqual(
      installArgv(python, { code: '/code', out: '/build' }).join(' '),
      'python3 -m pip install --disable-pip-version-check --no-input --no-compile --target /build/python --requirement /code/requirements.txt',
    );
    assert.deepEqual(
      installArgv({ ...python, manifest: 'pyproject.toml' }, { code: '/code', out: '/build' }).at(-1),
      '/build/requirements.txt',
    );
    assert.deepEqual(
      installArgv(nodejs, { code: '/c', out: '/b' }).join(' '),
      'npm ci --omit=dev --no-audit --no-fund --prefix /b',
    );
  });

  test('mvn package without tests, quiet, with MAVEN_ARGS (Maven 3.9 reads it; older Maven is given it)', () => {
    assert.equal(installArgv(java, { code: '/c', out: '/b' }).join(' '), 'mvn -B -q package -DskipTests');
    assert.equal(
      installArgv(java, { code: '/c', out: '/b' }, { MAVEN_ARGS: '-o  -P ci' }).join(' '),
      'mvn -B -q -o -P ci package -DskipTests',
    );
    assert.deepEqual(mavenArgs({ MAVEN_ARGS: '-o -s ci/settings.xml' }), {
      settings: 'ci/settings.xml',
      rest: ['-o'],
    });
    assert.deepEqual(mavenArgs({ MAVEN_ARGS: '--settings=/s.xml' }), { settings: '/s.xml', rest: [] });
  });

  test('what a command names under target/ is what is packaged', () => {
    const cases: [string[], string[]][] = [
      [['java', '-jar', 'target/agent.jar'], ['agent.jar']],
      [['java', '-jar', '/code/target/agent.jar'], ['agent.jar']],
      [
        ['java', '-cp', 'target/agent.jar:target/lib/*', 'agent.Main'],
        ['agent.jar', 'lib'],
      ],
      [['java', '-cp', './target/classes/', 'agent.Main'], ['classes']],
      [['java', '-jar', 'app.jar'], []],
      [['java', '-jar', 'target/../secrets.jar'], []],
    ];
    for (const [command, expected] of cases) assert.deepEqual(namedOutputs(command, 'target'), expected);
  });

  test('docker run: code read-only, build dir writable, runner user, host network, secrets by name only', () => {
    const argv = dockerRunArgv(python, {
      image: 'python:3.12-slim-bookworm',
      name: 'agentrun-build-1',
      codeDir: '/srv/agent/code',
      outDir: '/tmp/out',
      cacheDir: '/home/runner/.cache/pip',
      user: { uid: 1001, gid: 121 },
      passEnv: ['PIP_INDEX_URL'],
      sharedFiles: ['/etc/corp/ca.pem'],
      env: {},
      configFiles: {},
    });
    const text = argv.join(' ');
    assert.match(
      text,
      /^docker run --rm --name agentrun-build-1 --platform linux\/amd64 --network host --user 1001:121 /,
    );
    assert.ok(text.includes('--mount type=bind,source=/srv/agent/code,target=/code,readonly'));
    assert.ok(text.includes('--mount type=bind,source=/tmp/out,target=/build '));
    assert.ok(text.includes('--mount type=bind,source=/home/runner/.cache/pip,target=/cache/pip'));
    assert.ok(text.includes('--mount type=bind,source=/etc/corp/ca.pem,target=/etc/corp/ca.pem,readonly'));
    assert.ok(
      text.includes(
        '--env HOME=/tmp --env PIP_INDEX_URL --workdir /code python:3.12-slim-bookworm python3 -m pip install --disable-pip-version-check --no-input --no-compile --cache-dir /cache/pip ',
      ),
      text,
    );
    assert.ok(!text.includes('/cache/npm'), 'only the cache of the tool that runs');
  });

  test("docker run for Maven: the runner's Maven repository is the container's, the settings.xml mounted where it is", () => {
    const text = dockerRunArgv(java, {
      image: 'agentrun-build/java:bookworm',
      name: 'agentrun-build-2',
      codeDir: '/srv/agent/code',
      outDir: '/tmp/out',
      cacheDir: '/home/runner/.m2/repository',
      passEnv: ['MAVEN_OPTS'],
      sharedFiles: ['/home/runner/.m2/settings.xml'],
      env: {},
      configFiles: { 'settings.xml': '/home/runner/.m2/settings.xml' },
    }).join(' ');
    assert.ok(text.includes('--mount type=bind,source=/home/runner/.m2/repository,target=/cache/maven '));
    assert.ok(
      text.includes(
        '--mount type=bind,source=/home/runner/.m2/settings.xml,target=/home/runner/.m2/settings.xml,readonly',
      ),
    );
    assert.ok(
      text.endsWith(
        '--env MAVEN_OPTS --workdir /build/project agentrun-build/java:bookworm mvn -B -q -s /home/runner/.m2/settings.xml -Dmaven.repo.local=/cache/maven package -DskipTests',
      ),
      text,
    );
  });
});

void describe('where to build', () => {
  const docker = { available: true, version: '27.3.1' } as const;
  const noDocker = { available: false, why: 'the docker command is not installed' } as const;
  const cases: [string, Parameters<typeof choosePlace>, string | RegExp][] = [
    ['auto in a container job', ['auto', { containerJob: true, docker }], 'container'],
    ['auto with Docker', ['auto', { containerJob: false, docker }], 'docker'],
    ['auto without Docker', ['auto', { containerJob: false, docker: noDocker }], 'local'],
    [
      'docker without Docker',
      ['docker', { containerJob: false, docker: noDocker }],
      /build: docker needs Docker, which is not available here \(the docker command is not installed\)/,
    ],
    ['local even with Docker', ['local', { containerJob: false, docker }], 'local'],
  ];
  for (const [name, args, expected] of cases) {
    test(name, () => {
      if (expected instanceof RegExp) assert.throws(() => choosePlace(...args), expected);
      else assert.equal(choosePlace(...args), expected);
    });
  }

  test('a container job is one whose workspace the runner mapped to /__w', () => {
    assert.equal(isContainerJob({ GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: '/__w/agent/agent' }), true);
    assert.equal(
      isContainerJob({ GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: '/opt/actions-runner/_work/agent/agent' }),
      false,
    );
    assert.equal(isContainerJob({ GITHUB_WORKSPACE: '/__w/agent/agent' }), false);
  });

  test('the build inputs', () => {
    const settings = readSettings(
      (name) => ({ build: 'docker', 'build-timeout': '90s', cache: 'false' })[name as string] ?? '',
      '/w',
    );
    assert.deepEqual(settings.build, { mode: 'docker', image: undefined, cache: false, timeoutMs: 90_000 });
    assert.throws(
      () => readSettings((name) => (name === 'build' ? 'podman' : ''), '/w'),
      /Input build must be one of auto, container, docker, local, skip, not "podman"/,
    );
  });
});

void describe('private indexes', () => {
  test("each tool's index settings and CA bundles pass by name; values that can hold credentials are masked", async () => {
    const env = {
      PIP_INDEX_URL: 'https://u:secret@pypi.example.com/simple',
      PIP_TRUSTED_HOST: 'pypi.example.com',
      NPM_CONFIG_REGISTRY: 'https://npm.example.com/',
      npm_config_prefix: '/usr/local',
      MY_NPM_TOKEN: 'npm-secret',
      NODE_EXTRA_CA_CERTS: '/etc/corp/ca.pem',
      HOME: '/root',
    };
    const npmrc =
      '//npm.example.com/:_authToken=${MY_NPM_TOKEN}\n//other.example.com/:_authToken=literal-secret\n';
    const npm = await buildEnvironment(env, { ...nodejs, inputs: { '.npmrc': npmrc } }, root);
    assert.deepEqual(npm.passed, ['MY_NPM_TOKEN', 'NODE_EXTRA_CA_CERTS', 'NPM_CONFIG_REGISTRY']);
    assert.deepEqual(npm.sharedFiles, ['/etc/corp/ca.pem']);
    assert.deepEqual(npm.secrets.sort(), ['https://npm.example.com/', 'literal-secret', 'npm-secret']);
    const pip = await buildEnvironment(env, python, root);
    assert.deepEqual(pip.passed, ['NODE_EXTRA_CA_CERTS', 'PIP_INDEX_URL', 'PIP_TRUSTED_HOST']);
    assert.deepEqual(pip.secrets, ['https://u:secret@pypi.example.com/simple']);
  });

  test("the runner's own configuration files: passed, mounted, their secrets masked, their content keyed", async () => {
    const dir = await codeDir({
      'user.npmrc': '//npm.corp.example/:_authToken=${CORP_TOKEN}\nregistry=https://npm.corp.example/\n',
      'pip.conf': '[global]\nindex-url = https://u:pip-secret@pypi.corp.example/simple\n',
      'ci/settings.xml':
        '<settings><servers><server><id>corp</id><username>${env.MVN_USER}</username><password>mvn-secret</password></server></servers></settings>',
    });
    const env = {
      NPM_CONFIG_USERCONFIG: join(dir, 'user.npmrc'),
      CORP_TOKEN: 'corp-secret',
      PIP_CONFIG_FILE: join(dir, 'pip.conf'),
      MAVEN_ARGS: '-s ci/settings.xml',
      MAVEN_OPTS: '-Xmx1g',
      MVN_USER: 'deployer',
    };
    const npm = await buildEnvironment(env, nodejs, dir);
    assert.deepEqual(npm.passed, ['CORP_TOKEN']);
    assert.deepEqual(npm.sharedFiles, [join(dir, 'user.npmrc')]);
    assert.deepEqual(npm.configFiles, { 'npm userconfig': join(dir, 'user.npmrc') });
    assert.deepEqual(npm.secrets, ['corp-secret']);
    assert.match(installArgv(nodejs, { code: '/c', out: '/b' }).join(' '), /^npm ci /);
    assert.ok(
      ECOSYSTEMS.nodejs
        .installArgv(nodejs, {
          paths: { code: '/c', out: '/b' },
          env,
          configFiles: npm.configFiles,
        })
        .includes(join(dir, 'user.npmrc')),
      'npm is told the user config, which HOME=/tmp in a container would hide',
    );
    const pip = await buildEnvironment(env, python, dir);
    assert.deepEqual(pip.passed, ['PIP_CONFIG_FILE']);
    assert.deepEqual(pip.secrets, ['https://u:pip-secret@pypi.corp.example/simple']);
    assert.deepEqual(pip.sharedFiles, [join(dir, 'pip.conf')]);
    const maven = await buildEnvironment(env, java, dir);
    assert.deepEqual(maven.passed, ['MAVEN_OPTS', 'MVN_USER']);
    assert.deepEqual(maven.secrets.sort(), ['deployer', 'mvn-secret']);
    assert.deepEqual(maven.configFiles, { 'settings.xml': join(dir, 'ci/settings.xml') });
    await assert.rejects(
      buildEnvironment({ NPM_CONFIG_USERCONFIG: join(dir, 'missing.npmrc') }, nodejs, dir),
      /The npm userconfig file .*missing\.npmrc cannot be read/,
    );
  });
});

void describe('cache keys', () => {
  const parts = {
    language: 'python3.12',
    arch: 'x64',
    builder: 'python:3.12-slim-bookworm',
    inputs: python.inputs,
  };
  test('readable, and different for anything that changes the installed tree', () => {
    const key = cacheKey(parts);
    assert.match(key, /^agentrun-deps-python3\.12-x64-python_3\.12-slim-bookworm-[0-9a-f]{32}$/);
    assert.equal(cacheKey({ ...parts }), key);
    const changed = [
      cacheKey({ ...parts, arch: 'arm64' }),
      cacheKey({ ...parts, builder: 'python:3.12-slim-bullseye' }),
      cacheKey({ ...parts, inputs: { 'requirements.txt': 'a==2\n' } }),
      cacheKey({ ...parts, builderId: 'sha256:0123' }),
    ];
    assert.equal(new Set([key, ...changed]).size, 5);
  });

  test('a rebuilt image under the same tag is another key: the key covers the image ID Docker reports', async () => {
    let imageId = 'sha256:1111';
    const ran: string[] = [];
    // Docker as far as the builder asks it: its version, the image's ID, and a `docker run` that succeeds.
    const docker: CommandRunner = {
      run: async (argv, options) => {
        ran.push(argv.slice(0, 3).join(' '));
        if (argv[1] === 'version') options.onLine?.('27.3.1', 'stdout');
        if (argv[1] === 'image') options.onLine?.(imageId, 'stdout');
        return { exitCode: 0, signal: null };
      },
      shell: () => Promise.reject(new Error('not a shell command')),
    };
    const code = await codeDir({ 'requirements.txt': 'greeting==1.0\n' });
    const build = async () =>
      (await new DependencyBuilder({
        settings: { mode: 'docker', image: 'agentrun-build/python:bookworm', cache: true, timeoutMs: 60_000 },
        env: { HOME: root },
        tempDir: await mkdtemp(join(root, 'tmp-')),
        logger: createConsoleLogger({ write: () => undefined }),
        runner: docker,
        cache: directoryCache(join(root, 'image-id-cache')),
        clock: systemClock,
      }).build({ resource: 'agent', codeDir: code, language: 'python3.12', command: [] }))!;
    const first = await build();
    const again = await build();
    imageId = 'sha256:2222';
    const rebuilt = await build();
    assert.deepEqual([first.cache, again.cache, rebuilt.cache], ['miss', 'hit', 'miss']);
    assert.equal(again.key, first.key);
    assert.notEqual(rebuilt.key, first.key);
    assert.ok(ran.includes('docker image inspect'));
    assert.equal(
      ran.filter((command) => command === 'docker run --rm').length,
      2,
      'installed twice, not three times',
    );
  });

  test('a directory cache restores what it saved; outside Actions it is the default', async () => {
    const cacheRoot = join(root, 'cache');
    const cache = directoryCache(cacheRoot);
    const built = await codeDir({ 'greeting/__init__.py': 'x = 1\n' });
    assert.equal(await cache.restore('k', join(root, 'restored-0')), false);
    await cache.save('k', built);
    assert.equal(await cache.restore('k', join(root, 'restored-1')), true);
    assert.deepEqual(await readdir(join(root, 'restored-1', 'greeting')), ['__init__.py']);
    assert.equal(defaultBuildCache({ AGENTRUN_DEPLOY_CACHE_DIR: cacheRoot }).description, cacheRoot);
    const service = { ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/' };
    assert.equal(defaultBuildCache(service).description, 'GitHub Actions cache');
  });
});

test('the lines of a failed install that say why', () => {
  const pip = [
    'Collecting a',
    'ERROR: Could not find a version that satisfies the requirement a',
    'ERROR: No matching distribution found for a',
  ];
  assert.deepEqual(failureLines(pip, ECOSYSTEMS.python.failureLine), pip.slice(1));
  const npm = [
    'npm error code E404',
    'npm error 404 Not Found - GET https://registry/x',
    'npm error A complete log…',
  ];
  assert.deepEqual(failureLines(['added 0', ...npm], ECOSYSTEMS.nodejs.failureLine), npm);
  const mvn = ['[ERROR] COMPILATION ERROR :', '[ERROR] /b/project/src/main/java/A.java:[1,8] error'];
  assert.deepEqual(failureLines(['[INFO] Compiling', ...mvn], ECOSYSTEMS.java.failureLine), mvn);
  assert.deepEqual(failureLines(['Killed'], ECOSYSTEMS.python.failureLine), ['Killed']);
});

test("README's table of build images is BUILD_IMAGES", async () => {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const table = /<!-- build-images:begin[^>]*-->([\s\S]*?)<!-- build-images:end -->/.exec(readme)?.[1] ?? '';
  const rows = [...table.matchAll(/^\| `([\w.]+)` +\| `([^`]+)` +\|$/gm)].map((match) => [
    match[1],
    match[2],
  ]);
  assert.deepEqual(rows, Object.entries(BUILD_IMAGES));
});
