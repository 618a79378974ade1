import type {
  AgentRuntime,
  AgentRuntimeEndpoint,
  AgentRuntimeVersion,
  CreateAgentRuntimeEndpointInput,
  CreateAgentRuntimeInput,
  UpdateAgentRuntimeEndpointInput,
  UpdateAgentRuntimeInput,
  Workspace,
} from './model.js';

type WithFields<T, K extends keyof T> = T & { [P in K]-?: NonNullable<T[P]> };

/** A runtime as the client returns it: the API model, with the fields every caller needs checked present. */
export type Runtime = WithFields<AgentRuntime, 'agentRuntimeId' | 'agentRuntimeName' | 'status'>;
/** An endpoint as the client returns it. */
export type Endpoint = WithFields<
  AgentRuntimeEndpoint,
  'agentRuntimeEndpointId' | 'agentRuntimeEndpointName'
>;
/** A published version as the client returns it. */
export type Version = WithFields<AgentRuntimeVersion, 'agentRuntimeVersion'>;

/** A workspace as the client returns it. */
export type FoundWorkspace = WithFields<Workspace, 'workspaceId'>;

/** The s.yaml's `workspace`: by id, or by name (created with the other fields when missing). */
export interface WorkspaceRef {
  id?: string;
  name?: string;
  description?: string;
  resourceGroupId?: string;
}

/**
 * The AgentRun operations the product uses. `AgentRunClient` implements them over the signed OpenAPI;
 * everything above it depends on this interface only.
 */
export interface AgentRunApi {
  getRuntime(runtimeId: string): Promise<Runtime>;
  /**
   * The runtime named exactly `name` in `workspace` (the account's default workspace when undefined),
   * or undefined — also when a workspace named by name does not exist yet.
   */
  findRuntime(name: string, workspace?: WorkspaceRef): Promise<Runtime | undefined>;
  /**
   * The workspace `ref` names (the default one when undefined); one named by name that does not exist
   * is created when `create` is set, and is otherwise undefined. An unknown id is an error.
   */
  resolveWorkspace(ref: WorkspaceRef | undefined, create: boolean): Promise<FoundWorkspace | undefined>;
  createRuntime(input: CreateAgentRuntimeInput): Promise<Runtime>;
  updateRuntime(runtimeId: string, input: UpdateAgentRuntimeInput): Promise<Runtime>;
  deleteRuntime(runtimeId: string): Promise<void>;
  /** Publishes the runtime's current configuration as a new immutable version. */
  publishVersion(runtimeId: string, description: string): Promise<Version>;
  listVersions(runtimeId: string): Promise<Version[]>;
  listEndpoints(runtimeId: string): Promise<Endpoint[]>;
  getEndpoint(runtimeId: string, endpointId: string): Promise<Endpoint>;
  createEndpoint(runtimeId: string, input: CreateAgentRuntimeEndpointInput): Promise<Endpoint>;
  updateEndpoint(
    runtimeId: string,
    endpointId: string,
    input: UpdateAgentRuntimeEndpointInput,
  ): Promise<Endpoint>;
  deleteEndpoint(runtimeId: string, endpointId: string): Promise<void>;
}
