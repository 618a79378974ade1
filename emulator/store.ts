import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CreateAgentRuntimeEndpointInput, RoutingConfiguration } from '../src/agentrun/model.js';
import { LATEST, type RuntimeConfig, type Status } from './requests.js';

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

/** The routing an endpoint asks for; validation has made sure every weight names its version and share. */
export function routingOf(endpoint: Pick<EndpointRecord, 'targetVersion' | 'routingConfiguration'>): Routing {
  return {
    targetVersion: endpoint.targetVersion,
    versionWeights: (endpoint.routingConfiguration?.versionWeights ?? []).map((w) => ({
      version: w.version ?? '',
      weight: w.weight ?? 0,
    })),
  };
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
  scalingConfig?: CreateAgentRuntimeEndpointInput['scalingConfig'];
  status: Status;
  statusReason: string;
  endpointPublicUrl: string;
  serving?: Routing;
  createdAt: string;
  lastUpdatedAt: string;
}

/** A workspace (the `Workspace` model's fields the emulator keeps). */
export interface WorkspaceRecord {
  id: string;
  name: string;
  description: string;
  resourceGroupId?: string;
  isDefault: boolean;
  createdAt: string;
}

/** The account's default workspace: every account has one, runtimes created without a workspace go there. */
export const DEFAULT_WORKSPACE: Omit<WorkspaceRecord, 'createdAt'> = {
  id: 'ws-default',
  name: 'default',
  description: 'Default workspace',
  isDefault: true,
};

interface Snapshot {
  runtimes: RuntimeRecord[];
  endpoints: EndpointRecord[];
  /** Absent in state files written before workspaces. */
  workspaces?: WorkspaceRecord[];
}

/**
 * All emulator state, in memory. With a state file every change is written out (atomically, by
 * rename) so a demo survives a restart; the records are plain JSON for that reason.
 */
export class Store {
  readonly runtimes = new Map<string, RuntimeRecord>();
  readonly endpoints = new Map<string, EndpointRecord>();
  readonly workspaces = new Map<string, WorkspaceRecord>();
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(private readonly file?: string) {
    this.addDefaultWorkspace();
  }

  private addDefaultWorkspace(): void {
    this.workspaces.set(DEFAULT_WORKSPACE.id, { ...DEFAULT_WORKSPACE, createdAt: new Date().toISOString() });
  }

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
    for (const workspace of snapshot.workspaces ?? []) this.workspaces.set(workspace.id, workspace);
  }

  /**
   * Persists after a change (no-op without a state file). The state holds every version's package, so
   * writes are asynchronous and coalesced: at most one in flight, and the last state always lands.
   */
  save(): void {
    if (this.file === undefined) return;
    this.dirty = true;
    this.writing ??= this.writeOut(this.file);
  }

  /** Resolves once every change saved so far is on disk. */
  async flush(): Promise<void> {
    await this.writing;
  }

  private async writeOut(file: string): Promise<void> {
    // Let the rest of this turn's changes (a status and its record, say) join the first write.
    await nextTurn();
    while (this.dirty) {
      this.dirty = false;
      const snapshot: Snapshot = {
        runtimes: [...this.runtimes.values()],
        endpoints: [...this.endpoints.values()],
        workspaces: [...this.workspaces.values()],
      };
      const temp = `${file}.tmp`;
      try {
        await writeFile(temp, JSON.stringify(snapshot));
        await rename(temp, file);
      } catch (error) {
        // No caller to fail: the change is already made in memory. The next change tries again.
        console.error(`agentrun-emulator: cannot write the state file ${file}: ${(error as Error).message}`);
      }
    }
    // Cleared in the same turn as the last dirty check, so a save() can never fall in between.
    this.writing = undefined;
  }

  clear(): void {
    this.runtimes.clear();
    this.endpoints.clear();
    this.workspaces.clear();
    this.addDefaultWorkspace();
    this.save();
  }

  /** The runtime named so in the workspace: names are unique per workspace (SERVICE.workspaces). */
  runtimeByName(name: string, workspaceId: string): RuntimeRecord | undefined {
    return [...this.runtimes.values()].find(
      (r) => r.config.agentRuntimeName === name && workspaceOf(r) === workspaceId,
    );
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

/** The workspace a runtime belongs to; runtimes of state files from before workspaces are in the default. */
export function workspaceOf(runtime: RuntimeRecord): string {
  return runtime.config.workspaceId ?? DEFAULT_WORKSPACE.id;
}
