import { renameSync, readFileSync, writeFileSync } from 'node:fs';
import { LATEST, type RoutingConfiguration, type RuntimeConfig, type Status } from './model.js';

/** An immutable published snapshot of a runtime's configuration and code. */
export interface VersionRecord {
  version: string;
  description: string;
  config: RuntimeConfig;
  createdAt: string;
}

/** A runtime: its draft (LATEST) configuration, status and published versions. */
export interface RuntimeRecord {
  id: string;
  config: RuntimeConfig;
  status: Status;
  statusReason: string;
  createdAt: string;
  lastUpdatedAt: string;
  versions: VersionRecord[];
}

/** What the data plane routes to: set when an endpoint becomes READY, kept while it updates. */
export interface Routing {
  targetVersion: string;
  versionWeights: { version: string; weight: number }[];
}

/** An endpoint of a runtime. */
export interface EndpointRecord {
  id: string;
  runtimeId: string;
  name: string;
  description: string;
  targetVersion: string;
  routingConfiguration?: RoutingConfiguration;
  disablePublicNetworkAccess: boolean;
  status: Status;
  statusReason: string;
  endpointPublicUrl: string;
  serving?: Routing;
  createdAt: string;
  lastUpdatedAt: string;
}

interface Snapshot {
  runtimes: RuntimeRecord[];
  endpoints: EndpointRecord[];
}

/**
 * All emulator state, in memory. With a state file every change is written through (atomically, by
 * rename) so a demo survives a restart; the records are plain JSON for that reason.
 */
export class Store {
  readonly runtimes = new Map<string, RuntimeRecord>();
  readonly endpoints = new Map<string, EndpointRecord>();

  constructor(private readonly file?: string) {}

  /** Loads the state file if there is one; a missing file is an empty state. */
  load(): void {
    if (this.file === undefined) return;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const snapshot = JSON.parse(text) as Snapshot;
    for (const runtime of snapshot.runtimes) this.runtimes.set(runtime.id, runtime);
    for (const endpoint of snapshot.endpoints) this.endpoints.set(endpoint.id, endpoint);
  }

  /** Persists after a change (no-op without a state file). */
  save(): void {
    if (this.file === undefined) return;
    const snapshot: Snapshot = {
      runtimes: [...this.runtimes.values()],
      endpoints: [...this.endpoints.values()],
    };
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(snapshot));
    renameSync(temp, this.file);
  }

  clear(): void {
    this.runtimes.clear();
    this.endpoints.clear();
    this.save();
  }

  runtimeByName(name: string): RuntimeRecord | undefined {
    return [...this.runtimes.values()].find((r) => r.config.agentRuntimeName === name);
  }

  endpointsOf(runtimeId: string): EndpointRecord[] {
    return [...this.endpoints.values()].filter((e) => e.runtimeId === runtimeId);
  }

  /** The configuration of `version` (`LATEST` or a published number), if it exists. */
  configOf(runtime: RuntimeRecord, version: string): RuntimeConfig | undefined {
    if (version === LATEST) return runtime.config;
    return runtime.versions.find((v) => v.version === version)?.config;
  }
}
