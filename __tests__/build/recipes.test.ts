// What gets built, where, with which command line and cache key: the pure decisions, table-driven.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cacheKey, defaultBuildCache, directoryCache } from '../../src/build/cache.js';
import { dockerRunArgv, installArgv } from '../../src/build/commands.js';
import { detectBuild, projectDependencies, type BuildRecipe } from '../../src/build/detect.js';
import { buildEnvironment } from '../../src/build/env.js';
import { failureLines } from '../../src/build/index.js';
import { choosePlace, isContainerJob } from '../../src/build/mode.js';
import { BUILD_IMAGES } from '../../src/build/images.js';
import { readSettings } from '../../src/settings.js';
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

void describe('detectBuild', () => {
  const cases: [string, Record<string, string>, 'python3.12' | 'nodejs20' | 'java17', unknown][] = [
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
    ['java', { 'pom.xml': '' }, 'java17', /dependencies are not built for java17/],
  ];
  for (const [name, files, language, expected] of cases) {
    test(name, async () => {
      const detection = await detectBuild(await codeDir(files), language);
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
      detectBuild(dir, 'nodejs20'),
      /no package-lock\.json: run `npm install --package-lock-only`/,
    );
  });

  test('the install reads .npmrc too', async () => {
    const dir = await codeDir({
      'package.json': '{"dependencies":{"ms":"2"}}',
      'package-lock.json': LOCK,
      '.npmrc': 'registry=x\n',
    });
    const detection = await detectBuild(dir, 'nodejs20');
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
  inputs: { 'requirements.txt': 'a\n' },
  outDir: 'python',
};
const nodejs: BuildRecipe = {
  ecosystem: 'nodejs',
  manifest: 'package.json',
  inputs: { 'package-lock.json': LOCK },
  outDir: 'node_modules',
};

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

  test('docker run: code read-only, build dir writable, runner user, host network, secrets by name only', () => {
    const argv = dockerRunArgv(python, {
      image: 'python:3.12-slim-bookworm',
      name: 'agentrun-build-1',
      codeDir: '/srv/agent/code',
      outDir: '/tmp/out',
      cacheDirs: { pip: '/home/runner/.cache/pip', npm: '/home/runner/.npm' },
      user: { uid: 1001, gid: 121 },
      passEnv: ['PIP_INDEX_URL'],
      sharedFiles: ['/etc/corp/ca.pem'],
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
        '--env PIP_CACHE_DIR=/cache/pip --env npm_config_cache=/cache/npm --env PIP_INDEX_URL --workdir /code python:3.12-slim-bookworm python3 -m pip',
      ),
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
  test("each tool's index settings and CA bundles pass by name; values that can hold credentials are masked", () => {
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
    const npm = buildEnvironment(env, { ...nodejs, inputs: { '.npmrc': npmrc } });
    assert.deepEqual(npm.passed, ['MY_NPM_TOKEN', 'NODE_EXTRA_CA_CERTS', 'NPM_CONFIG_REGISTRY']);
    assert.deepEqual(npm.caFiles, ['/etc/corp/ca.pem']);
    assert.deepEqual(npm.secrets.sort(), ['https://npm.example.com/', 'literal-secret', 'npm-secret']);
    const pip = buildEnvironment(env, python);
    assert.deepEqual(pip.passed, ['NODE_EXTRA_CA_CERTS', 'PIP_INDEX_URL', 'PIP_TRUSTED_HOST']);
    assert.deepEqual(pip.secrets, ['https://u:secret@pypi.example.com/simple']);
  });
});

void describe('cache keys', () => {
  const parts = { language: 'python3.12', arch: 'x64', builder: 'python:3.12-slim-bookworm', recipe: python };
  test('readable, and different for anything that changes the installed tree', () => {
    const key = cacheKey(parts);
    assert.match(key, /^agentrun-deps-python3\.12-x64-python_3\.12-slim-bookworm-[0-9a-f]{32}$/);
    assert.equal(cacheKey({ ...parts }), key);
    const changed = [
      cacheKey({ ...parts, arch: 'arm64' }),
      cacheKey({ ...parts, builder: 'python:3.12-slim-bullseye' }),
      cacheKey({ ...parts, recipe: { ...python, inputs: { 'requirements.txt': 'a==2\n' } } }),
    ];
    assert.equal(new Set([key, ...changed]).size, 4);
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
  assert.deepEqual(failureLines(pip), pip.slice(1));
  const npm = [
    'npm error code E404',
    'npm error 404 Not Found - GET https://registry/x',
    'npm error A complete log…',
  ];
  assert.deepEqual(failureLines(['added 0', ...npm]), npm);
  assert.deepEqual(failureLines(['Killed']), ['Killed']);
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
