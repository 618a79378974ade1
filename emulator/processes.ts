import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { unzipTo, type ZipSource } from './unzip.js';

/** What it takes to run one runtime version locally. */
export interface InstanceSpec {
  /** `<runtimeId>@<version>`: one running instance per key. */
  key: string;
  zip: ZipSource;
  command: string[];
  environmentVariables: Record<string, string>;
  healthPath: string;
  /** The runtime's `port`; the agent gets its own in $PORT, this only explains a failed health check. */
  runtimePort: number;
  /** Told every line the process writes to stdout or stderr, as the platform collects them for SLS. */
  onLine?: (line: string) => void;
}

/** A started agent process. */
export interface Instance {
  readonly key: string;
  readonly pid: number;
  readonly port: number;
  readonly dir: string;
  /** Whether the process is still running. */
  alive(): boolean;
}

/** The cloud unpacks code at /code; commands and env values refer to it, so map it to the unpack dir. */
const CODE_ROOT = /(^|[\s:=,;"'])\/code(?=$|[/\s:,;"'])/g;
const STDERR_LINES = 20;
const STOP_GRACE_MS = 2000;

interface Running extends Instance {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Runs agent code: unzips each version into its own directory under the emulator's temp dir, starts
 * its command in a new process group with a clean environment (`agentEnv`), and waits for its health
 * URL. Stopping kills the whole group, so shells and workers the command spawned go too.
 */
export class ProcessManager {
  private readonly running = new Map<string, Running>();
  private readonly starting = new Set<Running>();
  private sequence = 0;
  private closed = false;

  constructor(
    private readonly workDir: string,
    private readonly startTimeoutMs: number,
    /** Give each agent its runtime's own `port` while that port is free (code that hard-codes it). */
    private readonly runtimePorts = false,
  ) {}

  get(key: string): Instance | undefined {
    return this.running.get(key);
  }

  /** Every running instance. */
  list(): Instance[] {
    return [...this.running.values()];
  }

  /**
   * Starts `spec` and, once healthy, makes it the instance for its key (stopping the one it replaces).
   * Rejects with a message ending in the process's last stderr lines if it exits or never gets healthy.
   */
  async start(spec: InstanceSpec): Promise<Instance> {
    if (this.closed) throw new Error('the emulator is stopping');
    const dir = join(this.workDir, `${spec.key.replace(/[^\w.-]/g, '_')}-${++this.sequence}`);
    await mkdir(dir, { recursive: true });
    try {
      await unzipTo(spec.zip, dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`invalid code package: ${(error as Error).message}`);
    }
    const port =
      this.runtimePorts && (await portIsFree(spec.runtimePort)) ? spec.runtimePort : await freePort();
    if (this.closed) throw new Error('the emulator is stopping');
    const toDir = (value: string): string => value.replace(CODE_ROOT, `$1${dir}`);
    const env = agentEnv(spec.environmentVariables, toDir, port);
    const [command, ...args] = spec.command.map(toDir) as [string, ...string[]];
    const child = spawn(command, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    // Resolves once everything the process wrote to stderr has been read.
    const stderrRead = new Promise<void>((resolveRead) => {
      if (child.stderr) child.stderr.once('close', () => resolveRead());
      else resolveRead();
    });
    const onLine = spec.onLine ?? (() => undefined);
    if (child.stdout) eachLine(child.stdout, onLine);
    if (child.stderr) {
      eachLine(child.stderr, (line) => {
        onLine(line);
        if (line.trim() === '') return;
        stderr.push(line);
        stderr.splice(0, Math.max(0, stderr.length - STDERR_LINES));
      });
    }
    let exitInfo: string | undefined;
    const exited = new Promise<void>((resolveExit) => {
      child.once('error', (error) => {
        exitInfo = `failed to start ${command}: ${error.message}`;
        resolveExit();
      });
      child.once('exit', (code, signal) => {
        exitInfo ??= `process exited with ${signal ?? `code ${code}`}`;
        resolveExit();
      });
    });
    const instance: Running = {
      key: spec.key,
      pid: child.pid ?? -1,
      port,
      dir,
      child,
      exited,
      alive: () => exitInfo === undefined,
    };
    this.starting.add(instance);
    try {
      const healthy = await waitHealthy(port, spec.healthPath, exited, this.startTimeoutMs);
      if (!healthy || !instance.alive()) {
        const why = exitInfo ?? this.unhealthy(spec, port);
        await this.kill(instance);
        await stderrRead;
        const tail = stderr.length > 0 ? `; stderr: ${stderr.join('\n')}` : '';
        throw new Error(`${why}${tail}`);
      }
    } finally {
      this.starting.delete(instance);
    }
    const previous = this.running.get(spec.key);
    this.running.set(spec.key, instance);
    if (previous) await this.kill(previous);
    return instance;
  }

  /** Stops the instance for `key`, if any. */
  async stop(key: string): Promise<void> {
    const instance = this.running.get(key);
    if (!instance) return;
    this.running.delete(key);
    await this.kill(instance);
  }

  /**
   * Kills the instance for `key` the way a crash would: at once, and left in place as not alive, so
   * requests fail until something starts that version again.
   */
  async crash(key: string): Promise<void> {
    const instance = this.running.get(key);
    if (!instance || instance.pid <= 0) return;
    try {
      process.kill(-instance.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await instance.exited;
  }

  /** Stops every key starting with `prefix` (all versions of a runtime). */
  async stopPrefix(prefix: string): Promise<void> {
    const keys = [...this.running.keys()].filter((key) => key.startsWith(prefix));
    await Promise.all(keys.map((key) => this.stop(key)));
  }

  /** Stops everything and refuses new starts: the emulator is shutting down. */
  async close(): Promise<void> {
    this.closed = true;
    await this.stopAll();
  }

  /** Stops everything, including processes still starting. */
  async stopAll(): Promise<void> {
    const all = [...this.running.values(), ...this.starting];
    this.running.clear();
    await Promise.all(all.map((instance) => this.kill(instance)));
  }

  /** Why a live process failed its health check; the usual cause locally is a hard-coded port. */
  private unhealthy(spec: InstanceSpec, port: number): string {
    const why = `port ${port} not healthy at ${spec.healthPath} within ${this.startTimeoutMs} ms`;
    if (spec.runtimePort === port) return why;
    const ignored = `the runtime's port ${spec.runtimePort} is not used`;
    return `${why}; the emulator gives each version its own port in $PORT (${ignored}): make the agent listen on $PORT`;
  }

  private async kill(instance: Running): Promise<void> {
    const signalGroup = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-instance.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    if (instance.pid > 0) {
      signalGroup('SIGTERM');
      const stopped = await Promise.race([instance.exited.then(() => true), sleep(STOP_GRACE_MS, false)]);
      // Also after a clean exit of the leader: children it left in the group must not outlive it.
      signalGroup('SIGKILL');
      if (!stopped) await instance.exited;
    }
    await rm(instance.dir, { recursive: true, force: true });
  }
}

/**
 * The agent's whole environment: the runtime's `environmentVariables` (with /code mapped), PORT and
 * HOST, and the host's PATH only so `python3` or `node` resolve. Nothing else of the emulator's
 * environment: an agent that needs a host variable would fail in the cloud, and CI secrets must not
 * reach user code.
 */
function agentEnv(
  variables: Record<string, string>,
  toDir: (value: string) => string,
  port: number,
): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  for (const [name, value] of Object.entries(variables)) env[name] = toDir(value);
  return { ...env, PORT: String(port), HOST: '127.0.0.1' };
}

/** Calls `fn` with each complete line of `stream` (and the unterminated rest when it ends). */
function eachLine(stream: Readable, fn: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8').on('data', (text: string) => {
    const lines = (pending + text).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) fn(line.replace(/\r$/, ''));
  });
  stream.once('end', () => {
    if (pending !== '') fn(pending);
  });
}

/** Whether nothing listens on `port` on any address (code often binds 0.0.0.0). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolveFree(true)));
  });
}

/** A free loopback port (the OS picks it; the tiny reuse race is acceptable locally). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitHealthy(
  port: number,
  path: string,
  exited: Promise<void>,
  timeoutMs: number,
): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (!gone && Date.now() < deadline) {
    if (await probe(port, path)) return true;
    await sleep(50);
  }
  return false;
}

function probe(port: number, path: string): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolveProbe((res.statusCode ?? 500) < 400);
    });
    req.on('error', () => resolveProbe(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
