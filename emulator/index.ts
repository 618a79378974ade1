/**
 * A local, AgentRun-compatible emulator: the control plane (ACS3-signed ROA API), STS, Simple Log
 * Service (the agents' output), a data plane that runs the deployed code, fault injection and an
 * optional state file. Tests import
 * `startEmulator`; `cli.ts` wraps it for `npm run emulator`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { createDataPlane, endpointUrl } from './dataPlane.js';
import { FaultInjector, parseFaultRules, type FaultRule } from './faults.js';
import { DEMO_KEY, KeyRing, type AccessKey } from './keys.js';
import { Lifecycle } from './lifecycle.js';
import { ProcessManager } from './processes.js';
import { createControlServer, type RequestLogEntry } from './server.js';
import { NonceCache } from './signature.js';
import { LogService } from './sls.js';
import { Store, workspaceOf } from './store.js';
import { ObjectStore, type OssGrant } from './oss.js';

export type { FaultRule, RequestLogEntry, AccessKey };
export { DEMO_KEY };

/** Options of `startEmulator`; every field is optional. */
export interface EmulatorOptions {
  /** Control-plane + STS port; 0 (default) picks a free one. */
  port?: number;
  /** Data-plane port; 0 (default) picks a free one. */
  dataPort?: number;
  /** Accepted long-lived keys (default: the demo key). */
  accessKeys?: AccessKey[];
  /** JSON file loaded on start and rewritten on every change; a bad one fails with `--state <file>: …`. */
  stateFile?: string;
  /** Duration of every status transition in ms (default 200). */
  delayMs?: number;
  /** Fault rules armed at start, or a JSON file of them; a bad file fails with `--faults <file>: …`. */
  faults?: FaultRule[] | string;
  /** How long an agent process may take to answer its health URL (default 20 s). */
  startTimeoutMs?: number;
  /**
   * Run each agent on its runtime's own `port` while that port is free, as the cloud's container
   * does, for code that hard-codes its port (the quick starts do); otherwise each version gets a free
   * port in $PORT, so versions and emulators never collide.
   */
  runtimePorts?: boolean;
  /**
   * Run the deployed code (default true). False: runtimes and endpoints become READY after the
   * transition delay alone, with no process started, so a benchmark measures the deploying side only;
   * invocations then answer 502.
   */
  startProcesses?: boolean;
  /** Request body limit in bytes (default 100 MB). */
  bodyLimit?: number;
  /** Caps STS token lifetimes, to watch expiry in tests (default: as requested). */
  maxStsTokenTtlMs?: number;
  region?: string;
  accountId?: string;
  /** Largest code package Function Compute's temporary bucket takes, in bytes (default 500 MiB). */
  codeSizeLimit?: number;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`: the control-plane, STS and SLS base URL. */
  endpoint: string;
  /** `http://127.0.0.1:<dataPort>`: base of every `endpointPublicUrl`. */
  dataPlaneUrl: string;
  /** The first configured access key (the demo key by default). */
  credentials: { accessKeyId: string; accessKeySecret: string };
  /** Control-plane and STS requests so far, oldest first. */
  requestLog(): RequestLogEntry[];
  faults: { inject(rule: FaultRule | FaultRule[]): void; clear(): void; list(): FaultRule[] };
  /** PIDs of the running agent processes (for orphan checks). */
  processIds(): number[];
  /** Stops servers and every agent process; resolves when all are gone and the state file is written. */
  stop(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 100 * 1024 * 1024;
/** UNCONFIRMED: the limit FC's answer carries; 500 MiB is Function Compute's documented code package limit. */
const DEFAULT_CODE_SIZE_LIMIT = 500 * 1024 * 1024;

/** Starts an emulator listening on 127.0.0.1; a failed start leaves nothing behind. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  // Files first: a bad one then fails the start before there is anything to clean up.
  const store = loadState(options.stateFile);
  const faults = await armedFaults(options.faults);
  const workDir = await mkdtemp(join(tmpdir(), 'agentrun-emulator-'));
  const accessKeys = options.accessKeys?.length ? options.accessKeys : [DEMO_KEY];
  const processes = new ProcessManager(workDir, options.startTimeoutMs ?? 20_000, options.runtimePorts);
  const keys = new KeyRing(accessKeys);
  const nonces = new NonceCache();
  const shutdown = new AbortController();
  const log: RequestLogEntry[] = [];
  let dataPlaneUrl = '';
  const region = options.region ?? 'cn-hangzhou';
  const accountId = options.accountId ?? '1000000000000001';
  const logs = new LogService(region, accountId);
  // Objects survive a restart with the state that names them.
  const objects = new ObjectStore(
    options.stateFile ? `${options.stateFile}.objects` : join(workDir, 'objects'),
  );
  const grants = new Map<string, OssGrant>();
  const lifecycle = new Lifecycle({
    logs,
    store,
    processes,
    objects,
    delayMs: options.delayMs ?? 200,
    startProcesses: options.startProcesses ?? true,
    endpointUrl: (runtime, endpoint) =>
      endpointUrl(dataPlaneUrl, runtime.config.agentRuntimeName, endpoint.name, workspaceOf(runtime)),
  });
  const control = createControlServer({
    logs,
    store,
    lifecycle,
    faults,
    region,
    accountId,
    keys,
    nonces,
    sts: { keys, nonces, accountId, maxTokenTtlMs: options.maxStsTokenTtlMs },
    fc: {
      keys,
      objects,
      grants,
      accountId,
      region,
      codeSizeLimit: options.codeSizeLimit ?? DEFAULT_CODE_SIZE_LIMIT,
    },
    oss: { objects, keys, grants },
    arms: { keys, nonces, accountId },
    objects,
    log,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    shutdown: shutdown.signal,
    reset: async () => {
      await processes.stopAll();
      store.clear();
      logs.clear();
      faults.clear();
      log.length = 0;
    },
  });
  const data = createDataPlane({ store, processes, faults });
  const release = async (): Promise<void> => {
    await Promise.all([close(control), close(data.server)]);
    await rm(workDir, { recursive: true, force: true });
  };

  let endpoint: string;
  try {
    endpoint = `http://127.0.0.1:${await listen(control, options.port ?? 0)}`;
    dataPlaneUrl = `http://127.0.0.1:${await listen(data.server, options.dataPort ?? 0)}`;
  } catch (error) {
    await release();
    throw error;
  }
  lifecycle.restore();

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    dataPlaneUrl,
    credentials: { accessKeyId: accessKeys[0]!.accessKeyId, accessKeySecret: accessKeys[0]!.accessKeySecret },
    requestLog: () => [...log],
    faults: {
      inject: (rule) => faults.inject(parseFaultRules(rule)),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    processIds: () => processes.list().map((instance) => instance.pid),
    stop: () =>
      (stopping ??= (async () => {
        shutdown.abort();
        await Promise.all([lifecycle.stop(), processes.close()]);
        await store.flush();
        data.agent.destroy();
        await release();
      })()),
  };
}

/** The store, loaded from `file` if given; errors name the file. */
function loadState(file: string | undefined): Store {
  const store = new Store(file);
  try {
    store.load();
  } catch (error) {
    throw new Error(`--state ${file}: ${(error as Error).message}`);
  }
  return store;
}

/** The fault injector with the start-up rules armed; errors from a rules file name the file. */
async function armedFaults(source: FaultRule[] | string | undefined): Promise<FaultInjector> {
  const faults = new FaultInjector();
  if (typeof source !== 'string') {
    if (source !== undefined) faults.inject(parseFaultRules(source));
    return faults;
  }
  try {
    faults.inject(parseFaultRules(JSON.parse(await readFile(source, 'utf8'))));
  } catch (error) {
    throw new Error(`--faults ${source}: ${(error as Error).message}`);
  }
  return faults;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive clients and held-back (slow-fault) responses must not keep the process up.
    server.closeAllConnections();
  });
}
