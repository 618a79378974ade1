/**
 * Request bodies of the AgentRun API (2025-09-10) as the plan builds them, and the plan itself.
 * Type aliases rather than interfaces so they stay assignable to the client's index-signature types.
 */
import type { Language, Region } from '../config/schema.js';
import type { ActionEntry } from '../config/index.js';
import type { KeyPath, Problem } from '../config/types.js';

/**
 * `codeConfiguration`. The plan sets language and command (and the OSS names when the file names an
 * object); the packaging step adds `zipFile` or the uploaded OSS names, and `checksum`.
 */
export type CodeConfiguration = {
  language: Language;
  command: string[];
  zipFile?: string;
  ossBucketName?: string;
  ossObjectName?: string;
  checksum?: string;
};

export type ContainerConfiguration = {
  image: string;
  command: string[];
  imageRegistryType?: 'ACR' | 'ACREE' | 'CUSTOM';
  acrInstanceId?: string;
  port?: number;
  registryConfig?: Record<string, unknown>;
};

export type NetworkMode = 'PUBLIC' | 'PRIVATE' | 'PUBLIC_AND_PRIVATE';

export type NetworkConfiguration = {
  networkMode: NetworkMode;
  vpcId?: string;
  /** Lowercase `s`, unlike the YAML's `vSwitchIds`. */
  vswitchIds?: string[];
  securityGroupId?: string;
};

export type LogConfiguration = { project: string; logstore: string };

export type HealthCheckConfiguration = {
  httpGetUrl: string;
  initialDelaySeconds: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  successThreshold: number;
};

export type ProtocolConfiguration = {
  type: string;
  protocolSettings: { type?: string; name?: string; config?: string }[];
};

/** Body of CreateAgentRuntime; UpdateAgentRuntime gets the same full desired state. */
export type CreateAgentRuntimeInput = {
  agentRuntimeName: string;
  description: string;
  artifactType: 'Code' | 'Container';
  codeConfiguration?: CodeConfiguration;
  containerConfiguration?: ContainerConfiguration;
  cpu: number;
  memory: number;
  diskSize: number;
  port: number;
  sessionConcurrencyLimitPerInstance: number;
  sessionIdleTimeoutSeconds: number;
  enableSessionIsolation?: boolean;
  disableSessionAffinity?: boolean;
  networkConfiguration: NetworkConfiguration;
  nasConfig?: Record<string, unknown>;
  ossMountConfig?: Record<string, unknown>;
  environmentVariables: Record<string, string>;
  executionRoleArn?: string;
  credentialName?: string;
  logConfiguration?: LogConfiguration;
  protocolConfiguration?: ProtocolConfiguration;
  healthCheckConfiguration?: HealthCheckConfiguration;
  armsConfiguration?: Record<string, unknown>;
  workspaceId?: string;
};

export type VersionWeight = { version: string; weight: number };

/** Body of CreateAgentRuntimeEndpoint / UpdateAgentRuntimeEndpoint. */
export type EndpointInput = {
  agentRuntimeEndpointName: string;
  description: string;
  targetVersion: string;
  routingConfiguration: { versionWeights: VersionWeight[] };
};

/** Where the code comes from: a path relative to the s.yaml directory, or an existing OSS object. */
export type CodeSource = { src: string } | { oss: { bucketName: string; objectName: string } };

/** Desired state of one `agentrun` resource. */
export type ResourcePlan = {
  resource: string;
  region: Region;
  runtime: CreateAgentRuntimeInput;
  endpoints: EndpointInput[];
  /** Absent for container images. */
  code?: CodeSource;
  /** `logConfig: auto`: the SLS project/logstore to ensure before the runtime is created. */
  autoLog?: LogConfiguration;
  /** Workspace to resolve (by id or name) into the body's `workspaceId`. */
  workspace?: { id?: string; name?: string; description?: string; resourceGroupId?: string };
};

/** What `buildPlan` produces for a whole file. */
export type Plan = {
  resources: ResourcePlan[];
  /** Resources of other components: resolved, not deployed. */
  skipped: { resource: string; component: string }[];
  warnings: Problem[];
  /** Values to mask whenever the plan is shown. */
  secretValues: readonly string[];
};

/** Options known only at deploy time. */
export type PlanContext = {
  /** Expands bare role names and names the `logConfig: auto` project. */
  accountId?: string;
};

/** A mapping that cannot be done with what is known; `path` is relative to the resource's props. */
export class PlanError extends Error {
  constructor(
    readonly path: KeyPath,
    message: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

/** One agentrun resource, ready to deploy: its request bodies and where its code is. */
export interface DeployTarget {
  resource: string;
  region: string;
  runtime: CreateAgentRuntimeInput;
  endpoints: EndpointInput[];
  /** `code.src` (directory or .zip), relative to the s.yaml; absent for container images and OSS code. */
  codeSrc?: string;
  actions: Record<string, ActionEntry[]>;
  /** The s.yaml `flow:` stage: stages deploy one after the other, and a failed one stops the rest. */
  stage?: number;
}
