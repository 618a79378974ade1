/**
 * The AgentRun 2025-09-10 runtime API, field by field as the official SDK models define it
 * (aliyun/alibabacloud-typescript-sdk `agentrun-20250910/src/models/*.ts`, @alicloud/agentrun20250910
 * 5.9.4). Each model is a zod schema that gives both the TypeScript type the plan and the client use
 * and the shape the emulator accepts and answers with.
 *
 * Required-ness: the SDK's `validate()` checks nothing, so a field is required here when its doc comment
 * says "This parameter is required." (create: name, artifactType, networkConfiguration, and the code or
 * container configuration that artifactType names) and an official client always sends it. The doc
 * comments also mark `cpu`, `memory` and `port` (and `cpu` on update), but `s deploy` leaves each out
 * when the s.yaml does (devsapp/agentrun `src/impl/agentrun.ts`), so they are optional here and the
 * service picks them (SERVICE.defaults).
 * Objects are strict: a field the SDK does not have cannot be sent through it, and refusing one catches
 * a misspelt field of ours. What the service does beyond these shapes is in `service.ts`.
 */
import { z } from 'zod';

/** The draft configuration: what an endpoint serves when it targets no published version. */
export const LATEST = 'LATEST';

/**
 * Runtime and endpoint statuses, as agentrun-sdk-nodejs enumerates them (`src/utils/model.ts`). The SDK
 * models' doc comments mention only READY, CREATING and FAILED for runtimes and ACTIVE for endpoints.
 */
export const Status = {
  creating: 'CREATING',
  createFailed: 'CREATE_FAILED',
  ready: 'READY',
  updating: 'UPDATING',
  updateFailed: 'UPDATE_FAILED',
  deleting: 'DELETING',
  deleteFailed: 'DELETE_FAILED',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

const text = z.string();
const integer = z.number().int();
const list = <T extends z.ZodType>(item: T) => z.array(item);

export const codeConfiguration = z.strictObject({
  /** CRC-64 (ECMA-182, as crc64-ecma182.js computes it) of the package, as a decimal string. */
  checksum: text.optional(),
  command: list(text).optional(),
  language: text.optional(),
  ossBucketName: text.optional(),
  ossObjectName: text.optional(),
  /** The zip, base64-encoded. */
  zipFile: text.optional(),
});
export type CodeConfiguration = z.infer<typeof codeConfiguration>;

const registryConfig = z.strictObject({
  authConfig: z.strictObject({ password: text.optional(), userName: text.optional() }).optional(),
  certConfig: z
    .strictObject({ insecure: z.boolean().optional(), rootCaCertBase64: text.optional() })
    .optional(),
  networkConfig: z
    .strictObject({ securityGroupId: text.optional(), vSwitchId: text.optional(), vpcId: text.optional() })
    .optional(),
});

export const containerConfiguration = z.strictObject({
  acrInstanceId: text.optional(),
  command: list(text).optional(),
  image: text.optional(),
  imageRegistryType: z.enum(['ACR', 'ACREE', 'CUSTOM']).optional(),
  port: integer.optional(),
  registryConfig: registryConfig.optional(),
});
export type ContainerConfiguration = z.infer<typeof containerConfiguration>;

/** The modes agentrun-sdk-nodejs enumerates (`NetworkMode`); the SDK model types it as a string. */
export const NETWORK_MODES = ['PUBLIC', 'PRIVATE', 'PUBLIC_AND_PRIVATE'] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

export const networkConfiguration = z.strictObject({
  networkMode: z.enum(NETWORK_MODES).optional(),
  securityGroupId: text.optional(),
  vpcId: text.optional(),
  /** Lowercase `s`, unlike the s.yaml's `vSwitchIds`. */
  vswitchIds: list(text).optional(),
});
export type NetworkConfiguration = z.infer<typeof networkConfiguration>;

export const logConfiguration = z.strictObject({ logstore: text.optional(), project: text.optional() });
export type LogConfiguration = z.infer<typeof logConfiguration>;

const protocolSettings = z.strictObject({
  type: text.optional(),
  name: text.optional(),
  /** The protocol's settings as a JSON string. */
  config: text.optional(),
  // Deprecated in the SDK, still accepted.
  A2AAgentCard: text.optional(),
  a2aAgentCard: text.optional(),
  a2aAgentCardUrl: text.optional(),
  headers: text.optional(),
  inputBodyJsonSchema: text.optional(),
  method: text.optional(),
  outputBodyJsonSchema: text.optional(),
  path: text.optional(),
  pathPrefix: text.optional(),
  requestContentType: text.optional(),
  responseContentType: text.optional(),
});

export const protocolConfiguration = z.strictObject({
  protocolSettings: list(protocolSettings).optional(),
  /** Deprecated since January 2026 in favour of `protocolSettings[].type`; still sent by `s deploy`. */
  type: text.optional(),
});
export type ProtocolConfiguration = z.infer<typeof protocolConfiguration>;

export const healthCheckConfiguration = z.strictObject({
  failureThreshold: integer.optional(),
  httpGetUrl: text.optional(),
  initialDelaySeconds: integer.optional(),
  periodSeconds: integer.optional(),
  successThreshold: integer.optional(),
  timeoutSeconds: integer.optional(),
});
export type HealthCheckConfiguration = z.infer<typeof healthCheckConfiguration>;

export const armsConfiguration = z.strictObject({
  armsLicenseKey: text.optional(),
  cmsWorkspace: text.optional(),
  enableArms: z.boolean().optional(),
});

export const nasConfig = z.strictObject({
  groupId: integer.optional(),
  mountPoints: list(
    z.strictObject({
      enableTLS: z.boolean().optional(),
      mountDir: text.optional(),
      serverAddr: text.optional(),
    }),
  ).optional(),
  userId: integer.optional(),
});

export const ossMountConfig = z.strictObject({
  mountPoints: list(
    z.strictObject({
      bucketName: text.optional(),
      bucketPath: text.optional(),
      endpoint: text.optional(),
      mountDir: text.optional(),
      readOnly: z.boolean().optional(),
    }),
  ).optional(),
});

const scheduledPolicy = z.strictObject({
  endTime: text.optional(),
  name: text.optional(),
  scheduleExpression: text.optional(),
  startTime: text.optional(),
  target: integer.optional(),
  timeZone: text.optional(),
});

const scalingConfig = z.strictObject({
  minInstances: integer.optional(),
  scheduledPolicies: list(scheduledPolicy).optional(),
});

export const versionWeight = z.strictObject({
  version: text.optional(),
  /** Share of the endpoint's traffic, 0.0–1.0. */
  weight: z.number().optional(),
});
export type VersionWeight = z.infer<typeof versionWeight>;

export const routingConfiguration = z.strictObject({ versionWeights: list(versionWeight).optional() });
export type RoutingConfiguration = z.infer<typeof routingConfiguration>;

/** Fields that a runtime's create input, update input and GET response share. */
const runtimeSettings = {
  agentRuntimeName: text.optional(),
  artifactType: z.enum(['Code', 'Container']).optional(),
  codeConfiguration: codeConfiguration.optional(),
  containerConfiguration: containerConfiguration.optional(),
  cpu: z.number().optional(),
  credentialName: text.optional(),
  description: text.optional(),
  disableOndemand: z.boolean().optional(),
  disableSessionAffinity: z.boolean().optional(),
  /** Units differ between the SDK's docs (GB on update) and `s deploy` (512 or 10240, MB). */
  diskSize: z.number().optional(),
  edition: text.optional(),
  enableSessionIsolation: z.boolean().optional(),
  environmentVariables: z.record(text, text).optional(),
  executionRoleArn: text.optional(),
  externalAgentEndpointUrl: text.optional(),
  headerFieldName: text.optional(),
  healthCheckConfiguration: healthCheckConfiguration.optional(),
  logConfiguration: logConfiguration.optional(),
  memory: z.number().optional(),
  nasConfig: nasConfig.optional(),
  networkConfiguration: networkConfiguration.optional(),
  ossMountConfig: ossMountConfig.optional(),
  port: integer.optional(),
  protocolConfiguration: protocolConfiguration.optional(),
  sessionAffinityType: z.enum(['NONE', 'HEADER_FIELD', 'GENERATED_COOKIE', 'COOKIE']).optional(),
  sessionConcurrencyLimitPerInstance: integer.optional(),
  sessionIdleTimeoutSeconds: integer.optional(),
  systemTags: list(text).optional(),
  workspaceId: text.optional(),
};

/** CreateAgentRuntimeInput. */
export const createAgentRuntimeInput = z
  .strictObject({
    ...runtimeSettings,
    agentRuntimeName: text,
    artifactType: runtimeSettings.artifactType.unwrap(),
    networkConfiguration: networkConfiguration,
    armsConfiguration: armsConfiguration.optional(),
    /** Deprecated in the SDK. */
    credentialId: text.optional(),
    /** Deprecated in the SDK. */
    resourceGroupId: text.optional(),
  })
  .refine((input) => input.artifactType !== 'Code' || input.codeConfiguration !== undefined, {
    message: 'codeConfiguration is required when artifactType is Code',
    path: ['codeConfiguration'],
  })
  .refine((input) => input.artifactType !== 'Container' || input.containerConfiguration !== undefined, {
    message: 'containerConfiguration is required when artifactType is Container',
    path: ['containerConfiguration'],
  });
export type CreateAgentRuntimeInput = z.infer<typeof createAgentRuntimeInput>;

/** UpdateAgentRuntimeInput. */
export const updateAgentRuntimeInput = z.strictObject({
  ...runtimeSettings,
  armsConfiguration: armsConfiguration.optional(),
  /** Best-effort eviction of running sessions so the new settings apply sooner. */
  forceEvictInstances: z.boolean().optional(),
});
export type UpdateAgentRuntimeInput = z.infer<typeof updateAgentRuntimeInput>;

/** AgentRuntime: what Get, List, Create, Update and Delete answer with. */
export const agentRuntime = z.strictObject({
  ...runtimeSettings,
  agentRuntimeArn: text.optional(),
  agentRuntimeId: text.optional(),
  agentRuntimeVersion: text.optional(),
  createdAt: text.optional(),
  lastUpdatedAt: text.optional(),
  /** Deprecated in the SDK. */
  resourceGroupId: text.optional(),
  status: text.optional(),
  statusReason: text.optional(),
});
export type AgentRuntime = z.infer<typeof agentRuntime>;

/** PublishRuntimeVersionInput. */
export const publishRuntimeVersionInput = z.strictObject({
  description: text.optional(),
  publisher: text.optional(),
});
export type PublishRuntimeVersionInput = z.infer<typeof publishRuntimeVersionInput>;

/** AgentRuntimeVersion. Version numbers are decimal strings; the list may also show LATEST. */
export const agentRuntimeVersion = z.strictObject({
  agentRuntimeArn: text.optional(),
  agentRuntimeId: text.optional(),
  agentRuntimeName: text.optional(),
  agentRuntimeVersion: text.optional(),
  description: text.optional(),
  lastUpdatedAt: text.optional(),
});
export type AgentRuntimeVersion = z.infer<typeof agentRuntimeVersion>;

const endpointSettings = {
  agentRuntimeEndpointName: text.optional(),
  description: text.optional(),
  disablePublicNetworkAccess: z.boolean().optional(),
  routingConfiguration: routingConfiguration.optional(),
  targetVersion: text.optional(),
};

/** CreateAgentRuntimeEndpointInput: no field is documented as required, not even the name. */
export const createAgentRuntimeEndpointInput = z.strictObject({
  ...endpointSettings,
  scalingConfig: scalingConfig.optional(),
});
export type CreateAgentRuntimeEndpointInput = z.infer<typeof createAgentRuntimeEndpointInput>;

/** UpdateAgentRuntimeEndpointInput. */
export const updateAgentRuntimeEndpointInput = z.strictObject({
  ...endpointSettings,
  scalingConfig: scalingConfig.optional(),
  deleteScalingConfig: z.boolean().optional(),
});
export type UpdateAgentRuntimeEndpointInput = z.infer<typeof updateAgentRuntimeEndpointInput>;

/** AgentRuntimeEndpoint. */
export const agentRuntimeEndpoint = z.strictObject({
  ...endpointSettings,
  agentRuntimeEndpointArn: text.optional(),
  agentRuntimeEndpointId: text.optional(),
  agentRuntimeId: text.optional(),
  endpointPublicUrl: text.optional(),
  scalingStatus: z
    .strictObject({
      currentError: text.optional(),
      currentInstances: integer.optional(),
      minInstances: integer.optional(),
      scheduledPolicies: list(scheduledPolicy).optional(),
      targetInstances: integer.optional(),
    })
    .optional(),
  status: text.optional(),
  statusReason: text.optional(),
});
export type AgentRuntimeEndpoint = z.infer<typeof agentRuntimeEndpoint>;

/** The `data` of every List* answer. */
export const page = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    items: list(item).optional(),
    pageNumber: integer.optional(),
    pageSize: integer.optional(),
    total: integer.optional(),
  });
export type Page<T> = { items?: T[]; pageNumber?: number; pageSize?: number; total?: number };

/**
 * Workspace (`Workspace.ts`): runtimes belong to one. Every account has a default one (`isDefault`),
 * which devsapp/agentrun looks runtimes up in when the s.yaml names none.
 */
export const workspace = z.strictObject({
  createdAt: text.optional(),
  description: text.optional(),
  isDefault: z.boolean().optional(),
  name: text.optional(),
  resourceGroupId: text.optional(),
  updatedAt: text.optional(),
  workspaceArn: text.optional(),
  workspaceId: text.optional(),
});
export type Workspace = z.infer<typeof workspace>;

/** CreateWorkspaceInput. */
export const createWorkspaceInput = z.strictObject({
  description: text.optional(),
  enablePresetModel: z.boolean().optional(),
  name: text.optional(),
  resourceGroupId: text.optional(),
});
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceInput>;

/** ListWorkspacesOutput: the `data` of ListWorkspaces, whose items are under `workspaces`. */
export const listWorkspacesOutput = z.strictObject({
  pageNumber: integer.optional(),
  pageSize: integer.optional(),
  total: integer.optional(),
  workspaces: list(workspace).optional(),
});
export type ListWorkspacesOutput = z.infer<typeof listWorkspacesOutput>;
