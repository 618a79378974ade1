// Helpers for dependency builds: a wheel made on the spot, a private package index serving it, agents
// that need their dependencies to start, Docker checks, and in-process runs against the emulator.
import { ZipArchive } from 'archiver';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { after, before, type TestContext } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { defaultDeps, run } from '../../src/app/run.js';
import type { Deps } from '../../src/app/host.js';
import { failureMessage } from '../../src/errors.js';
import { readSettings } from '../../src/settings.js';
import { emulatorInputs, recordingHost, ROOT, type Captured, type Inputs } from '../e2e/helpers.js';

/** The images scripts/runtime-images.sh builds. */
export const PYTHON_IMAGE = 'agentrun-build/python:bookworm';
export const NODEJS_IMAGE = 'agentrun-build/nodejs:bookworm';

/**
 * Docker with the build images, or a reason it cannot be used. In CI a missing Docker fails the test
 * (it would otherwise pass without testing anything); elsewhere the test is skipped.
 */
export function requireDocker(t: TestContext, images: readonly string[] = []): boolean {
  const server = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' });
  const missing =
    server.status !== 0
      ? `Docker is not available (${(server.stderr || server.error?.message || '').trim()})`
      : images.find((image) => spawnSync('docker', ['image', 'inspect', image]).status !== 0);
  if (!missing) return true;
  const why = missing.startsWith('Docker')
    ? missing
    : `image ${missing} is missing: run scripts/runtime-images.sh`;
  if (process.env.CI === 'true') throw new Error(why);
  t.skip(why);
  return false;
}

/** Writes a pure-Python wheel of one module `name` whose `hello(text)` greets, and returns its path. */
export async function writeWheel(dir: string, name: string, version: string): Promise<string> {
  const info = `${name}-${version}.dist-info`;
  const files: Record<string, string> = {
    [`${name}/__init__.py`]: `def hello(text):\n    return "${name} ${version} says hello to " + text\n`,
    [`${info}/METADATA`]: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`,
    [`${info}/WHEEL`]:
      'Wheel-Version: 1.0\nGenerator: agentrun-deploy-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
  };
  const record = Object.entries(files).map(([file, content]) => {
    const digest = createHash('sha256').update(content).digest('base64url');
    return `${file},sha256=${digest},${Buffer.byteLength(content)}`;
  });
  files[`${info}/RECORD`] = [...record, `${info}/RECORD,,`, ''].join('\n');
  const path = join(dir, `${name}-${version}-py3-none-any.whl`);
  const archive = new ZipArchive({});
  const written = finished(archive.pipe(createWriteStream(path)));
  for (const [file, content] of Object.entries(files))
    archive.append(content, { name: file, date: new Date(0) });
  await archive.finalize();
  await written;
  return path;
}

export interface PackageIndex {
  /** PIP_INDEX_URL, with the credentials in it. */
  url: string;
  password: string;
  /** Wheel downloads served. */
  downloads(): number;
  close(): Promise<void>;
}

/**
 * A private PEP 503 index on 127.0.0.1 that wants basic auth, serving `wheels`. With `hang`, it
 * accepts connections and never answers (an index that stalls).
 */
export async function startPackageIndex(
  wheels: readonly string[],
  options: { hang?: boolean } = {},
): Promise<PackageIndex> {
  const password = `tok-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 16)}`;
  const expected = `Basic ${Buffer.from(`agent:${password}`).toString('base64')}`;
  const byName = new Map(wheels.map((wheel) => [basename(wheel).split('-')[0]!.toLowerCase(), wheel]));
  let downloads = 0;
  const server = createServer((request, response) => {
    void (async () => {
      if (options.hang) return;
      if (request.headers.authorization !== expected) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="index"' }).end();
        return;
      }
      const simple = /^\/simple\/([^/]+)\/$/.exec(request.url ?? '');
      const wheel = simple ? byName.get(simple[1]!.toLowerCase()) : undefined;
      if (simple) {
        if (!wheel) {
          response.writeHead(404).end();
          return;
        }
        const digest = createHash('sha256')
          .update(await readFile(wheel))
          .digest('hex');
        const file = basename(wheel);
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(
          `<!DOCTYPE html><html><body><a href="/files/${file}#sha256=${digest}">${file}</a></body></html>`,
        );
        return;
      }
      const file = /^\/files\/(.+)$/.exec(request.url ?? '')?.[1];
      const path = wheels.find((candidate) => basename(candidate) === file);
      if (!path) {
        response.writeHead(404).end();
        return;
      }
      downloads++;
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(await readFile(path));
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://agent:${password}@127.0.0.1:${port}/simple/`,
    password,
    downloads: () => downloads,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The variables that make pip use `index` (plain HTTP on loopback must be trusted explicitly). */
export function pipEnv(index: PackageIndex): Record<string, string> {
  return {
    PIP_INDEX_URL: index.url,
    PIP_TRUSTED_HOST: '127.0.0.1',
    PIP_DEFAULT_TIMEOUT: '5',
    PIP_RETRIES: '0',
  };
}

export interface AgentProject {
  dir: string;
  remove(): Promise<void>;
}

/** A python agent that imports `greeting` (from requirements.txt) and answers with it. */
export async function pythonAgent(requirements = 'greeting==1.0\n'): Promise<AgentProject> {
  const dir = await mkdtemp(join(tmpdir(), 'agentrun-build-py-'));
  await mkdir(join(dir, 'code'));
  await writeFile(
    join(dir, 's.yaml'),
    [
      'edition: 3.0.0',
      'name: python-agent',
      'access: default',
      'resources:',
      '  agent:',
      '    component: agentrun',
      '    props:',
      '      region: cn-hangzhou',
      '      agent:',
      '        name: python-agent',
      '        code:',
      '          src: ./code',
      '          language: python3.12',
      '          command: [python3, main.py]',
      '        endpoints:',
      '          - name: prod',
      '            version: LATEST',
      '',
    ].join('\n'),
  );
  await writeFile(join(dir, 'code', 'requirements.txt'), requirements);
  // An answering agent, if `greeting` imports: the import fails unless python/ and PYTHONPATH are right.
  const main = await readFile(join(ROOT, 'examples/code/main.py'), 'utf8');
  await writeFile(
    join(dir, 'code', 'main.py'),
    main
      .replace('import json\n', 'import json\n\nimport greeting\n')
      .replace('"answer": f"You said: {prompt}"', '"answer": greeting.hello(prompt)'),
  );
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A copy of examples/node-agent (one npm dependency, one dev dependency, a lockfile). */
export async function nodeAgent(): Promise<AgentProject> {
  const dir = await mkdtemp(join(tmpdir(), 'agentrun-build-node-'));
  await cp(join(ROOT, 'examples/node-agent'), dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface BuildRun {
  captured: Captured;
  failure?: string;
}

/**
 * Deploys `project` to the emulator in process, with the runner's environment plus `env`; builds
 * write under `tempDir` and cache in `cacheDir` unless `deps` says otherwise.
 */
export async function deployProject(
  project: AgentProject,
  emulator: Emulator,
  options: { inputs?: Inputs; env?: Record<string, string>; tempDir: string; deps?: Partial<Deps> },
): Promise<BuildRun> {
  const env = { ...process.env, ...options.env } as Record<string, string>;
  const { host, captured } = recordingHost(env);
  host.tempDir = options.tempDir;
  const inputs = { ...emulatorInputs(emulator), ...options.inputs };
  try {
    await run(
      readSettings((name) => inputs[name] ?? '', project.dir),
      host,
      { ...defaultDeps, ...options.deps },
    );
    return { captured };
  } catch (error) {
    return { captured, failure: failureMessage(error) };
  }
}

/** What the build suites run against: the emulator, and a private index serving the wheel `greeting 1.0`. */
export interface BuildServers {
  emulator: Emulator;
  index: PackageIndex;
  /** A scratch directory, removed afterwards. */
  work: string;
}

/** Starts the suite's servers before its tests and stops them after; the fields are set by then. */
export function buildServers(prefix: string): BuildServers {
  const servers = {} as BuildServers;
  before(async () => {
    servers.emulator = await startEmulator({ delayMs: 20 });
    servers.work = await mkdtemp(join(tmpdir(), prefix));
    servers.index = await startPackageIndex([await writeWheel(servers.work, 'greeting', '1.0')]);
  });
  after(async () => {
    await servers.index?.close();
    await servers.emulator?.stop();
    await rm(servers.work, { recursive: true, force: true });
  });
  return servers;
}
