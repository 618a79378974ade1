import type {
  AgentRuntime,
  AgentRuntimeEndpoint,
  AgentRuntimeEndpointInput,
  AgentRuntimeInput,
  AgentRuntimeVersion,
} from './types.js';

/**
 * The AgentRun operations the product uses. `AgentRunClient` implements them over the signed OpenAPI;
 * everything above it depends on this interface only.
 */
export interface AgentRunApi {
  getRuntime(runtimeId: string): Promise<AgentRuntime>;
  /** The runtime named exactly `name`, or undefined. */
  findRuntime(name: string): Promise<AgentRuntime | undefined>;
  createRuntime(input: AgentRuntimeInput): Promise<AgentRuntime>;
  updateRuntime(runtimeId: string, input: AgentRuntimeInput): Promise<AgentRuntime>;
  /** Publishes the runtime's current configuration as a new immutable version. */
  publishVersion(runtimeId: string, description: string): Promise<AgentRuntimeVersion>;
  listVersions(runtimeId: string): Promise<AgentRuntimeVersion[]>;
  listEndpoints(runtimeId: string): Promise<AgentRuntimeEndpoint[]>;
  getEndpoint(runtimeId: string, endpointId: string): Promise<AgentRuntimeEndpoint>;
  createEndpoint(runtimeId: string, input: AgentRuntimeEndpointInput): Promise<AgentRuntimeEndpoint>;
  updateEndpoint(
    runtimeId: string,
    endpointId: string,
    input: AgentRuntimeEndpointInput,
  ): Promise<AgentRuntimeEndpoint>;
}
