// End-to-end helpers: temp projects, the bundled action as a child process, an in-process host that
// records what a user would see, and readers for the emulator's request log and state.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startEmulator,
  type Emulator,
  type EmulatorOptions,
  type RequestLogEntry,
} from '../../emulator/index.js';
import type { Endpoint, Runtime, Version } from '../../src/agentrun/api.js';
import type { Page } from '../../src/agentrun/model.js';
import { failureMessage } from '../../src/errors.js';
import { outcomeProblems } from '../github/markdown.js';
import type { Deps, Host } from '../../src/app/host.js';
import { defaultDeps, run } from '../../src/app/run.js';
import { readSettings, type InputName } from '../../src/settings.js';
import { agentRun } from '../emulator/helpers.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, '__tests__/fixtures/e2e');
const EXAMPLES = join(ROOT, 'examples');
const API = '/2025-09-10/agents/runtimes';
const WORKSPACES = '/2025-09-10/workspaces';

export type Inputs = Partial<Record<InputName, string>>;

/** A throwaway copy of a fixture (or of `examples/`) with the example agent's code in `code/`. */
export interface Project {
  dir: string;
  read(file: string): Promise<string>;
  /** Replaces `from` (which must occur) with `to` in `file`. */
  edit(file: string, from: string, to: string): Promise<void>;
  remove(): Promise<void>;
}

export async function tempProject(fixture: string): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), `agentrun-e2e-${fixture}-`));
  if (fixture === 'examples') {
    await cp(EXAMPLES, dir, { recursive: true });
  } else {
    await cp(join(FIXTURES, fixture), dir, { recursive: true });
    await cp(join(EXAMPLES, 'code'), join(dir, 'code'), { recursive: true });
  }
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  return {
    dir,
    read,
    edit: async (file, from, to) => {
      const text = await read(file);
      if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
      await writeFile(join(dir, file), text.replace(from, to));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The inputs that point a deploy at the emulator with its access key. */
export function emulatorInputs(emulator: Emulator): Inputs {
  return {
    'api-endpoint': emulator.endpoint,
    'access-key-id': emulator.credentials.accessKeyId,
    'access-key-secret': emulator.credentials.accessKeySecret,
  };
}

/** emulatorInputs, with the emulator's SLS and STS too: for `logConfig: auto`, `logs` and the log gate. */
export function emulatorLogInputs(emulator: Emulator): Inputs {
  return {
    ...emulatorInputs(emulator),
    'sls-endpoint': emulator.endpoint,
    'sts-endpoint': emulator.endpoint,
  };
}

// ── In process: run(settings, host) ─────────────────────────────────────────────────────────────

/** Everything a run showed: log lines (groups as `▸ title`), outputs, printed text, masked values. */
export interface Captured {
  lines: string[];
  outputs: Record<string, string>;
  printed: string[];
  summaries: string[];
  masked: string[];
  /** Every line, printed text and output value: where a leaked secret would show. */
  everything(): string;
}

/** Our Host interface, recording instead of writing to a runner. */
export function recordingHost(env: Record<string, string> = {}): { host: Host; captured: Captured } {
  const captured: Captured = {
    lines: [],
    outputs: {},
    printed: [],
    summaries: [],
    masked: [],
    everything: () =>
      [
        ...captured.lines,
        ...captured.printed,
        ...captured.summaries,
        ...Object.values(captured.outputs),
      ].join('\n'),
  };
  const at = (position?: { file: string; line: number; col: number }) =>
    position ? `${position.file}:${position.line}:${position.col}: ` : '';
  const host: Host = {
    logger: {
      info: (message) => captured.lines.push(message),
      debug: (message) => captured.lines.push(`debug: ${message}`),
      notice: (message) => captured.lines.push(`notice: ${message}`),
      warning: (message, position) => captured.lines.push(`warning: ${at(position)}${message}`),
      error: (message, position) => captured.lines.push(`error: ${at(position)}${message}`),
      group: (title, fn) => {
        captured.lines.push(`▸ ${title}`);
        return fn();
      },
      setSecret: (value) => captured.masked.push(value),
    },
    env,
    setOutput: (name, value) => {
      captured.outputs[name] = value;
    },
    print: (text) => captured.printed.push(text),
    // Every summary an in-process run writes is checked as GitHub would render it: the outcome first.
    writeSummary: (markdown) => {
      captured.summaries.push(markdown);
      const problems = outcomeProblems(markdown, { url: false });
      if (problems.length)
        throw new Error(`The job summary reads wrong: ${problems.join('; ')}\n${markdown}`);
      return Promise.resolve();
    },
    trigger: 'Deployed by the e2e suite',
  };
  return { host, captured };
}

export interface InProcessRun {
  captured: Captured;
  /** What the action would end with (`core.setFailed`), or undefined when the run succeeded. */
  failure?: string;
  ms: number;
}

/**
 * Runs the core as both roots do: inputs through readSettings, errors through failureMessage.
 * `deps` replaces side effects, e.g. a clock whose backoffs are short.
 */
export async function runInProcess(
  inputs: Inputs,
  cwd: string,
  deps: Partial<Deps> = {},
  env: Record<string, string> = {},
): Promise<InProcessRun> {
  const { host, captured } = recordingHost(env);
  const started = Date.now();
  try {
    await run(
      readSettings((name) => inputs[name] ?? '', cwd),
      host,
      { ...defaultDeps, ...deps },
    );
    return { captured, ms: Date.now() - started };
  } catch (error) {
    return { captured, failure: failureMessage(error), ms: Date.now() - started };
  }
}

// ── The bundled action: node dist/index.js ──────────────────────────────────────────────────────

export interface ActionRun {
  code: number | null;
  /** stdout lines: workflow commands (`::add-mask::`, `::error::`, `::group::`) and log lines. */
  lines: string[];
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  ms: number;
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program to its end and collects what it printed. Asynchronous on purpose: the servers it talks
 * to (the emulator, a local GitHub) run in the test's own event loop. `onStart` gets the process, e.g.
 * to kill it at a chosen point.
 */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: SpawnOptions,
  onStart?: (child: ChildProcess) => void,
): Promise<ProcessRun> {
  const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  onStart?.(child);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return {
    code,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
  };
}

/** `INPUT_<NAME>` as the runner sets it (upper case, dashes kept). */
export function inputEnv(inputs: Inputs): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  );
}

/**
 * Runs dist/index.js as the runner does: INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
 * files, GITHUB_WORKSPACE. The environment starts nearly empty so the host's cloud credentials or
 * proxy settings cannot leak in. `onStart` gets the process, e.g. to kill it at a chosen point.
 */
export async function runAction(
  workspace: string,
  inputs: Inputs,
  extraEnv: Record<string, string> = {},
  onStart?: (child: ChildProcess) => void,
): Promise<ActionRun> {
  const files = await mkdtemp(join(tmpdir(), 'agentrun-e2e-runner-'));
  try {
    const outputFile = join(files, 'output');
    const summaryFile = join(files, 'summary');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? files,
      TMPDIR: tmpdir(),
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      ...inputEnv(inputs),
      ...extraEnv,
    };
    const started = Date.now();
    const { code, stdout, stderr } = await runProcess(
      process.execPath,
      [join(ROOT, 'dist/index.js')],
      { env, cwd: workspace },
      onStart,
    );
    return {
      code,
      lines: stdout.split('\n'),
      stderr,
      outputs: parseOutputs(await readFile(outputFile, 'utf8')),
      summary: await readFile(summaryFile, 'utf8'),
      ms: Date.now() - started,
    };
  } finally {
    await rm(files, { recursive: true, force: true });
  }
}

/** GITHUB_OUTPUT holds `name<<DELIMITER` … `DELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^(.+?)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  return outputs;
}

// ── The emulator's side ─────────────────────────────────────────────────────────────────────────

/** Request-log entries from `since` (an earlier `requestLog().length`) on. */
export function requestsSince(emulator: Emulator, since = 0): RequestLogEntry[] {
  return emulator.requestLog().slice(since);
}

/** AgentRun calls that change something, runtimes and workspaces alike (STS and reads excluded). */
export function writes(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.filter(
    (entry) => (entry.path.startsWith(API) || entry.path.startsWith(WORKSPACES)) && entry.method !== 'GET',
  );
}

/** Statuses the emulator answered `action` with, in order (0 = connection reset). */
export function statusesOf(entries: readonly RequestLogEntry[], action: string): number[] {
  return entries.filter((entry) => entry.action === action).map((entry) => entry.status);
}

/**
 * What the account holds, read through the official SDK client (not ours): each runtime with its
 * versions and endpoints. These reads land in the request log too: take `requestLog()` first.
 */
export async function remoteState(emulator: Emulator) {
  const call = agentRun(emulator);
  const list = async <T>(action: string, path: string) =>
    (await call<Page<T>>(action, 'GET', path, { query: { pageSize: '100' } })).data.items ?? [];
  const runtimes = await list<Runtime>('ListAgentRuntimes', API);
  return Promise.all(
    runtimes.map(async (runtime) => ({
      ...runtime,
      versions: await list<Version>('ListAgentRuntimeVersions', `${API}/${runtime.agentRuntimeId}/versions`),
      endpoints: await list<Endpoint>(
        'ListAgentRuntimeEndpoints',
        `${API}/${runtime.agentRuntimeId}/endpoints`,
      ),
    })),
  );
}

/** POSTs a prompt to a deployed agent the way a user's client would. */
export async function ask(url: string, prompt: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt }),
  });
  return { status: response.status, body: await response.text() };
}

// ── GitHub's OIDC token service, played by a local server ──────────────────────────────────────

/** A JWT-shaped GitHub token: the emulator checks shape, `iss` and `exp`, not the signature. */
export function githubToken(audience: string, expiresInSeconds = 600): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'https://token.actions.githubusercontent.com',
    aud: audience,
    sub: 'repo:acme/agent:ref:refs/heads/main',
    iat: now - 5,
    exp: now + expiresInSeconds,
  };
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.${Buffer.from('unsigned').toString('base64url')}`;
}

export interface TokenServer {
  /** Value for ACTIONS_ID_TOKEN_REQUEST_URL (has a query, as GitHub's does: the toolkit appends `&audience=`). */
  url: string;
  requestToken: string;
  /** Tokens handed out, with the audience and Authorization header each request carried. */
  issued: { audience: string | null; authorization?: string; token: string }[];
  stop(): Promise<void>;
}

/** Serves `{"value": <jwt>}` for the requested audience, on 127.0.0.1. */
export async function startTokenServer(): Promise<TokenServer> {
  const requestToken = `runtime-token-${Date.now()}`;
  const issued: TokenServer['issued'] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const audience = url.searchParams.get('audience');
    if (req.headers.authorization !== `Bearer ${requestToken}`) {
      res.writeHead(401).end();
      return;
    }
    const token = githubToken(audience ?? '');
    issued.push({ audience, authorization: req.headers.authorization, token });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: token }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/_apis/token?api-version=2.0`,
    requestToken,
    issued,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A fresh emulator and a temp copy of `fixture` for one test; both gone afterwards. */
export async function withSetup(
  fixture: string,
  options: EmulatorOptions,
  body: (emulator: Emulator, project: Project) => Promise<void>,
): Promise<void> {
  const emulator = await startEmulator({ delayMs: 50, ...options });
  const project = await tempProject(fixture);
  try {
    await body(emulator, project);
  } finally {
    await emulator.stop();
    await project.remove();
  }
}
