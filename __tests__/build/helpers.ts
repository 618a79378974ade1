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
export const JAVA_IMAGE = 'agentrun-build/java:bookworm';

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
  return unavailable(
    t,
    missing.startsWith('Docker') ? missing : `image ${missing} is missing: run scripts/runtime-images.sh`,
  );
}

/** The runner's `java`, which the emulator starts Java agents with; in CI its absence fails the test. */
export function requireJava(t: TestContext): boolean {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return java.status === 0 || unavailable(t, `java is not installed (${java.error?.message ?? java.stderr})`);
}

function unavailable(t: TestContext, why: string): false {
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

/** A Java agent's greeting without the dependency. */
export const JAVA_GREETING = 'a Maven-built agent says hello to ';

/**
 * A Maven project answering with `greeting.Greeting.hello` from the dependency com.example:greeting:1.0
 * (copied to target/lib/ and named in the jar's Class-Path), or with JAVA_GREETING without it; started
 * by `java -jar target/agent-1.0.jar`.
 */
export async function javaAgent(options: { dependency: boolean }): Promise<AgentProject> {
  const dir = await mkdtemp(join(tmpdir(), 'agentrun-build-java-'));
  const source = join(dir, 'code', 'src', 'main', 'java', 'agent');
  await mkdir(source, { recursive: true });
  await writeFile(
    join(dir, 's.yaml'),
    [
      'edition: 3.0.0',
      'name: java-agent',
      'access: default',
      'resources:',
      '  agent:',
      '    component: agentrun',
      '    props:',
      '      region: cn-hangzhou',
      '      agent:',
      '        name: java-agent',
      '        code:',
      '          src: ./code',
      '          language: java17',
      '          command: [java, -jar, target/agent-1.0.jar]',
      '        endpoints:',
      '          - name: prod',
      '            version: LATEST',
      '',
    ].join('\n'),
  );
  const dependency = options.dependency
    ? `<dependencies>
    <dependency><groupId>com.example</groupId><artifactId>greeting</artifactId><version>1.0</version></dependency>
  </dependencies>`
    : '';
  const copyDependencies = options.dependency
    ? `<plugin>
        <artifactId>maven-dependency-plugin</artifactId>
        <executions><execution>
          <phase>package</phase><goals><goal>copy-dependencies</goal></goals>
          <configuration>
            <includeScope>runtime</includeScope>
            <outputDirectory>\${project.build.directory}/lib</outputDirectory>
          </configuration>
        </execution></executions>
      </plugin>`
    : '';
  // No plugin versions: Maven's defaults, which Debian's Maven repository in the build image has too.
  await writeFile(
    join(dir, 'code', 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>agent</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  ${dependency}
  <build>
    <plugins>
      <plugin>
        <artifactId>maven-jar-plugin</artifactId>
        <configuration><archive><manifest>
          <mainClass>agent.Main</mainClass><addClasspath>true</addClasspath><classpathPrefix>lib/</classpathPrefix>
        </manifest></archive></configuration>
      </plugin>
      ${copyDependencies}
    </plugins>
  </build>
</project>
`,
  );
  const answer = options.dependency ? 'greeting.Greeting.hello(prompt)' : `"${JAVA_GREETING}" + prompt`;
  await writeFile(
    join(source, 'Main.java'),
    `package agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Answers /health, and a POST with {"answer": …} for its "prompt". */
public class Main {
  public static void main(String[] args) throws IOException {
    String host = System.getenv().getOrDefault("HOST", "0.0.0.0");
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String reply = "{\\"status\\":\\"ok\\"}";
      if ("POST".equals(exchange.getRequestMethod())) {
        Matcher match = Pattern.compile("\\"prompt\\"\\s*:\\s*\\"([^\\"]*)\\"").matcher(body);
        String prompt = match.find() ? match.group(1) : "";
        reply = "{\\"answer\\":\\"" + ${answer} + "\\"}";
      }
      byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("content-type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }
}
`,
  );
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A Maven user directory (`~/.m2`) as setup-java leaves it: a settings.xml sending every repository to
 * Debian's Maven repository in the java build image (Maven Central is out of reach), and, with
 * `greeting`, com.example:greeting:1.0 in the local repository, compiled in the build image.
 */
export async function mavenHome(home: string, options: { greeting: boolean }): Promise<void> {
  const m2 = join(home, '.m2');
  await mkdir(m2, { recursive: true });
  await writeFile(join(m2, 'settings.xml'), MAVEN_SETTINGS);
  if (!options.greeting) return;
  const artifact = join(m2, 'repository', 'com', 'example', 'greeting', '1.0');
  const work = await mkdtemp(join(home, 'greeting-'));
  await mkdir(join(work, 'greeting'));
  await writeFile(
    join(work, 'greeting', 'Greeting.java'),
    'package greeting;\npublic class Greeting {\n  public static String hello(String text) {\n    return "greeting 1.0 says hello to " + text;\n  }\n}\n',
  );
  const compiled = spawnSync(
    'docker',
    [
      ...['run', '--rm', '--network', 'none'],
      ...['--user', `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`],
      ...['--mount', `type=bind,source=${work},target=/w`, '--workdir', '/w', JAVA_IMAGE],
      ...[
        'sh',
        '-c',
        'javac --release 8 -d classes greeting/Greeting.java && jar cf greeting-1.0.jar -C classes .',
      ],
    ],
    { encoding: 'utf8' },
  );
  if (compiled.status !== 0) throw new Error(`could not compile greeting: ${compiled.stderr}`);
  await mkdir(artifact, { recursive: true });
  await cp(join(work, 'greeting-1.0.jar'), join(artifact, 'greeting-1.0.jar'));
  await writeFile(
    join(artifact, 'greeting-1.0.pom'),
    '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' +
      '<groupId>com.example</groupId><artifactId>greeting</artifactId><version>1.0</version></project>\n',
  );
  await rm(work, { recursive: true, force: true });
}

/** Every repository mirrored by Debian's Maven repository, which the java build image holds. */
export const MAVEN_SETTINGS = `<settings>
  <mirrors>
    <mirror><id>debian</id><mirrorOf>*</mirrorOf><url>file:///usr/share/maven-repo</url></mirror>
  </mirrors>
</settings>
`;

export interface NpmRegistry {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  token: string;
  /** Where @corp/greeting 1.0.0's tarball is, and its integrity, for a lockfile. */
  dist: { tarball: string; integrity: string };
  /** Tarballs served. */
  downloads(): number;
  close(): Promise<void>;
}

/**
 * A private npm registry on 127.0.0.1 that wants a bearer token, serving `@corp/greeting` 1.0.0, whose
 * `hello(text)` greets. Its tarball is made with the runner's `npm pack`.
 */
export async function startNpmRegistry(work: string): Promise<NpmRegistry> {
  const token = `npm-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 16)}`;
  const source = await mkdtemp(join(work, 'corp-greeting-'));
  await writeFile(join(source, 'package.json'), JSON.stringify({ name: '@corp/greeting', version: '1.0.0' }));
  await writeFile(
    join(source, 'index.js'),
    "exports.hello = (text) => '@corp/greeting 1.0.0 says hello to ' + text;\n",
  );
  const packed = spawnSync('npm', ['pack', '--silent', '--pack-destination', work], {
    cwd: source,
    encoding: 'utf8',
  });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const tarball = await readFile(join(work, packed.stdout.trim()));
  let downloads = 0;
  let url = '';
  const server = createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    if (request.url === '/@corp/greeting/-/greeting-1.0.0.tgz') {
      downloads++;
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball);
      return;
    }
    if (request.url === '/@corp%2fgreeting' || request.url === '/@corp/greeting') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          name: '@corp/greeting',
          'dist-tags': { latest: '1.0.0' },
          versions: { '1.0.0': { name: '@corp/greeting', version: '1.0.0', dist: npmDist(url, tarball) } },
        }),
      );
      return;
    }
    response.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    token,
    dist: npmDist(url, tarball),
    downloads: () => downloads,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function npmDist(registry: string, tarball: Buffer) {
  return {
    tarball: `${registry}@corp/greeting/-/greeting-1.0.0.tgz`,
    integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
  };
}

/**
 * A node agent that answers with `@corp/greeting` from `registry`, with its lockfile; the registry is
 * named only in a user .npmrc outside the project, as setup-node writes one.
 */
export async function privateNodeAgent(registry: NpmRegistry): Promise<AgentProject> {
  const project = await nodeAgent();
  const code = join(project.dir, 'code');
  const dependencies = { '@corp/greeting': '1.0.0' };
  await writeFile(
    join(code, 'package.json'),
    JSON.stringify({ name: 'private-agent', version: '1.0.0', private: true, dependencies }),
  );
  await writeFile(
    join(code, 'package-lock.json'),
    JSON.stringify({
      name: 'private-agent',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'private-agent', version: '1.0.0', dependencies },
        'node_modules/@corp/greeting': {
          version: '1.0.0',
          resolved: registry.dist.tarball,
          integrity: registry.dist.integrity,
        },
      },
    }),
  );
  const index = await readFile(join(code, 'index.js'), 'utf8');
  await writeFile(
    join(code, 'index.js'),
    index
      .replace("const ms = require('ms');", "const { hello } = require('@corp/greeting');")
      .replace(
        /const millis = ms\(prompt\);\n\s*reply\(200, \{\n.*\n\s*\}\);/,
        'reply(200, { answer: hello(prompt) });',
      ),
  );
  return project;
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
