import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { isoSeconds } from './ids.js';
import { LATEST, Status, type RuntimeConfig } from './requests.js';
import type { ObjectStore } from './oss.js';
import type { ProcessManager } from './processes.js';
import type { LogService } from './sls.js';
import { randomBytes } from 'node:crypto';
import type { ZipSource } from './unzip.js';
import { routingOf, type EndpointRecord, type Routing, type RuntimeRecord, type Store } from './store.js';

/** Process key of one runtime version. */
export const instanceKey = (runtimeId: string, version: string): string => `${runtimeId}@${version}`;

/** The versions an endpoint routes to, target first. */
export function versionsOf(routing: Routing): string[] {
  return [routing.targetVersion, ...routing.versionWeights.map((w) => w.version)];
}

/** Everything the lifecycle needs from the emulator. */
export interface LifecycleOptions {
  store: Store;
  processes: ProcessManager;
  /** How long each transition takes before the work starts. */
  delayMs: number;
  /** False: code is checked but never run (EmulatorOptions.startProcesses). */
  startProcesses: boolean;
  /** The public URL an endpoint gets once READY. */
  endpointUrl: (runtime: RuntimeRecord, endpoint: EndpointRecord) => string;
  /** Where a runtime with a `logConfiguration` sends its agents' output. */
  logs: LogService;
  /** Where code sent as an OSS object is read from. */
  objects: ObjectStore;
}

/**
 * The asynchronous half of the API: each accepted create/update/delete puts its resource in a
 * transitional status, and a background task moves it to READY, `*_FAILED` or gone after the
 * configured delay — starting, replacing and stopping agent processes on the way.
 */
export class Lifecycle {
  private readonly abort = new AbortController();
  private readonly tasks = new Set<Promise<void>>();

  constructor(private readonly options: LifecycleOptions) {
    // Every pending transition listens for the stop: hundreds at once with a fleet.
    setMaxListeners(0, this.abort.signal);
  }

  createRuntime(runtime: RuntimeRecord, forcedFailure?: string): void {
    this.runRuntime(runtime, Status.creating, Status.createFailed, forcedFailure);
  }

  updateRuntime(runtime: RuntimeRecord, config: RuntimeConfig, forcedFailure?: string): void {
    runtime.config = config;
    this.runRuntime(runtime, Status.updating, Status.updateFailed, forcedFailure);
  }

  deleteRuntime(runtime: RuntimeRecord, forcedFailure?: string): void {
    const { store, processes } = this.options;
    this.setStatus(runtime, Status.deleting, '');
    this.schedule(async () => {
      if (forcedFailure !== undefined) return this.setStatus(runtime, Status.deleteFailed, forcedFailure);
      await processes.stopPrefix(instanceKey(runtime.id, ''));
      store.runtimes.delete(runtime.id);
      store.save();
    }, this.options.delayMs);
  }

  createEndpoint(endpoint: EndpointRecord, forcedFailure?: string): void {
    this.runEndpoint(endpoint, Status.creating, Status.createFailed, forcedFailure);
  }

  updateEndpoint(endpoint: EndpointRecord, forcedFailure?: string): void {
    this.runEndpoint(endpoint, Status.updating, Status.updateFailed, forcedFailure);
  }

  deleteEndpoint(endpoint: EndpointRecord, forcedFailure?: string): void {
    const { store } = this.options;
    this.setStatus(endpoint, Status.deleting, '');
    this.schedule(async () => {
      if (forcedFailure !== undefined) return this.setStatus(endpoint, Status.deleteFailed, forcedFailure);
      store.endpoints.delete(endpoint.id);
      store.save();
      await this.prune(endpoint.runtimeId);
    }, this.options.delayMs);
  }

  /**
   * After loading a state file: brings every runtime and endpoint that was READY or on its way back up
   * (restarting its processes) and finishes interrupted deletes.
   */
  restore(): void {
    const { store } = this.options;
    for (const runtime of store.runtimes.values()) {
      if (runtime.status === Status.deleting) this.deleteRuntime(runtime);
      else if (runtime.status === Status.ready || runtime.status === Status.creating) {
        this.runRuntime(
          runtime,
          runtime.status === Status.ready ? Status.ready : Status.creating,
          Status.createFailed,
        );
      } else if (runtime.status === Status.updating)
        this.runRuntime(runtime, Status.updating, Status.updateFailed);
    }
    for (const endpoint of store.endpoints.values()) {
      if (endpoint.status === Status.deleting) this.deleteEndpoint(endpoint);
      else if (endpoint.status !== Status.createFailed && endpoint.status !== Status.updateFailed) {
        this.runEndpoint(endpoint, endpoint.status, Status.updateFailed);
      }
    }
  }

  /** Cancels pending transitions and waits for running ones to notice. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.tasks]);
  }

  private runRuntime(runtime: RuntimeRecord, busy: Status, failed: Status, forcedFailure?: string): void {
    this.setStatus(runtime, busy, '');
    this.schedule(
      async () => {
        if (forcedFailure !== undefined) return this.setStatus(runtime, failed, forcedFailure);
        try {
          await this.startVersion(runtime, LATEST, runtime.config, LATEST);
        } catch (error) {
          return this.setStatus(runtime, failed, (error as Error).message);
        }
        if (!this.current(runtime)) return this.options.processes.stopPrefix(instanceKey(runtime.id, ''));
        this.setStatus(runtime, Status.ready, '');
      },
      busy === Status.ready ? 0 : this.options.delayMs,
    );
  }

  private runEndpoint(endpoint: EndpointRecord, busy: Status, failed: Status, forcedFailure?: string): void {
    const { store } = this.options;
    this.setStatus(endpoint, busy, '');
    this.schedule(
      async () => {
        if (forcedFailure !== undefined) return this.setStatus(endpoint, failed, forcedFailure);
        const runtime = store.runtimes.get(endpoint.runtimeId);
        if (!runtime) return this.setStatus(endpoint, failed, 'the runtime no longer exists');
        const routing = routingOf(endpoint);
        try {
          for (const version of versionsOf(routing))
            await this.ensureInstance(runtime, version, endpoint.name);
        } catch (error) {
          return this.setStatus(endpoint, failed, (error as Error).message);
        }
        if (store.endpoints.get(endpoint.id) !== endpoint) return;
        endpoint.serving = routing;
        endpoint.endpointPublicUrl = this.options.endpointUrl(runtime, endpoint);
        this.setStatus(endpoint, Status.ready, '');
        await this.prune(runtime.id);
      },
      busy === Status.ready ? 0 : this.options.delayMs,
    );
  }

  /**
   * Starts `version` of `runtime` unless it is already running (LATEST waits for its own transition);
   * `endpoint` is the one it starts for, which its log lines name.
   */
  async ensureInstance(runtime: RuntimeRecord, version: string, endpoint: string): Promise<void> {
    const running = this.options.processes.get(instanceKey(runtime.id, version));
    if (running?.alive()) return;
    const config = this.options.store.configOf(runtime, version);
    if (!config) throw new Error(`version ${version} does not exist`);
    await this.startVersion(runtime, version, config, endpoint);
  }

  private async startVersion(
    runtime: RuntimeRecord,
    version: string,
    config: RuntimeConfig,
    endpoint: string,
  ): Promise<void> {
    const code = config.codeConfiguration;
    // Container images are accepted but not run: there is no registry or container engine locally.
    if (config.artifactType === 'Container' || !code) return;
    const [program, ...args] = code.command ?? [];
    // A runtime without a command cannot be started (SERVICE.codeNeedsCommand).
    if (program === undefined) {
      throw new Error('codeConfiguration.command is empty: nothing says how to start the code');
    }
    if (!this.options.startProcesses) return;
    await this.options.processes.start({
      key: instanceKey(runtime.id, version),
      zip: codeSource(code, this.options.objects),
      command: [program, ...args],
      environmentVariables: config.environmentVariables ?? {},
      healthPath: config.healthCheckConfiguration?.httpGetUrl ?? '/health',
      runtimePort: config.port,
      onLine: this.logSink(runtime, version, config, endpoint),
    });
  }

  /** Where one instance's lines go: the version's logstore, tagged as the platform tags them. */
  private logSink(
    runtime: RuntimeRecord,
    version: string,
    config: RuntimeConfig,
    endpoint: string,
  ): ((line: string) => void) | undefined {
    const target = config.logConfiguration;
    if (!target?.project || !target.logstore) return undefined;
    const { project, logstore } = target;
    const instance = `c-${randomBytes(8).toString('hex')}`;
    const tags = { runtime: runtime.config.agentRuntimeName, version, endpoint, instance };
    return (message) => {
      if (message.trim() !== '') this.options.logs.append(project, logstore, { ...tags, message });
    };
  }

  /** Stops published versions no endpoint routes to any more (LATEST runs while the runtime exists). */
  private async prune(runtimeId: string): Promise<void> {
    const { store, processes } = this.options;
    const used = new Set(
      store
        .endpointsOf(runtimeId)
        .flatMap((e) => [...(e.serving ? versionsOf(e.serving) : []), ...versionsOf(routingOf(e))]),
    );
    used.add(LATEST);
    const prefix = instanceKey(runtimeId, '');
    const stale = processes
      .list()
      .filter((i) => i.key.startsWith(prefix) && !used.has(i.key.slice(prefix.length)));
    await Promise.all(stale.map((i) => processes.stop(i.key)));
  }

  private current(runtime: RuntimeRecord): boolean {
    return this.options.store.runtimes.get(runtime.id) === runtime;
  }

  private setStatus(record: RuntimeRecord | EndpointRecord, status: Status, reason: string): void {
    record.status = status;
    record.statusReason = reason;
    record.lastUpdatedAt = isoSeconds();
    this.options.store.save();
  }

  private schedule(task: () => Promise<void>, delayMs: number): void {
    const run = (async () => {
      try {
        await sleep(delayMs, undefined, { signal: this.abort.signal });
        await task();
      } catch (error) {
        if (!this.abort.signal.aborted) throw error;
      }
    })();
    this.tasks.add(run);
    run.then(
      () => this.tasks.delete(run),
      (error: unknown) => {
        this.tasks.delete(run);
        // A bug in a transition must not take the emulator down; it is reported and the resource stays.
        console.error('agentrun-emulator: transition failed:', error);
      },
    );
  }
}

/** The package of a code configuration: inline, or the OSS object it names (checked when it was sent). */
export function codeSource(
  code: NonNullable<RuntimeConfig['codeConfiguration']>,
  objects: ObjectStore,
): ZipSource {
  if (code.zipFile !== undefined) return Buffer.from(code.zipFile, 'base64');
  return objects.file(code.ossBucketName ?? '', code.ossObjectName ?? '');
}
