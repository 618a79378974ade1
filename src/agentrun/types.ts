/** AgentRun API models (version 2025-09-10), as far as the deploy action reads or writes them. */

export interface VersionWeight {
  version: string;
  weight: number;
}

export interface RoutingConfiguration {
  versionWeights?: VersionWeight[];
}

export interface AgentRuntime {
  agentRuntimeId: string;
  agentRuntimeName: string;
  agentRuntimeArn?: string;
  agentRuntimeVersion?: string;
  artifactType?: 'Code' | 'Container';
  codeConfiguration?: {
    language?: string;
    command?: string[];
    checksum?: string;
    ossBucketName?: string;
    ossObjectName?: string;
  };
  /** CREATING, READY, UPDATING, DELETING, or a failure: CREATE_FAILED, UPDATE_FAILED, DELETE_FAILED, FAILED. */
  status: string;
  statusReason?: string;
  createdAt?: string;
  lastUpdatedAt?: string;
  [field: string]: unknown;
}

export interface AgentRuntimeVersion {
  agentRuntimeId?: string;
  agentRuntimeName?: string;
  agentRuntimeArn?: string;
  agentRuntimeVersion: string;
  description?: string;
  lastUpdatedAt?: string;
}

export interface AgentRuntimeEndpoint {
  agentRuntimeEndpointId: string;
  agentRuntimeEndpointName: string;
  agentRuntimeEndpointArn?: string;
  agentRuntimeId?: string;
  description?: string;
  targetVersion?: string;
  routingConfiguration?: RoutingConfiguration;
  endpointPublicUrl?: string;
  status?: string;
  statusReason?: string;
}

/** Body of CreateAgentRuntime / UpdateAgentRuntime: the full desired configuration. */
export interface AgentRuntimeInput {
  agentRuntimeName: string;
  artifactType: 'Code' | 'Container';
  codeConfiguration?: Record<string, unknown>;
  containerConfiguration?: Record<string, unknown>;
  cpu: number;
  memory: number;
  port: number;
  [field: string]: unknown;
}

/** Body of CreateAgentRuntimeEndpoint / UpdateAgentRuntimeEndpoint. */
export interface AgentRuntimeEndpointInput {
  agentRuntimeEndpointName: string;
  description?: string;
  targetVersion?: string;
  routingConfiguration?: RoutingConfiguration;
  [field: string]: unknown;
}

export interface Page<T> {
  items: T[];
  pageNumber?: number;
  pageSize?: number;
  total?: number;
}
