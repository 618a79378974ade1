/**
 * Request models of the AgentRun 2025-09-10 runtime API (agentrun-api.md §2–§3), as zod schemas: each
 * gives both the TypeScript type and the server-side check. Ranges are the ones the API metadata and the
 * official component document; unknown fields are dropped, as the generated SDK models do.
 */
import { z } from 'zod';
import { invalid } from './errors.js';

/** Runtime and endpoint status values (agentrun-api.md §4). */
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

/** The draft configuration every endpoint may target. */
export const LATEST = 'LATEST';

const NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,127}$/;
const ENDPOINT_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const int = (min: number, max: number) => z.number().int().min(min).max(max);

const codeFields = z.object({
  language: z.string().min(1).optional(),
  command: z.array(z.string().min(1)).min(1),
  zipFile: z.string().min(1).regex(BASE64, 'must be base64').optional(),
  ossBucketName: z.string().min(1).optional(),
  ossObjectName: z.string().min(1).optional(),
  checksum: z
    .string()
    .regex(/^\d{1,20}$/, 'must be the CRC-64 as a decimal string')
    .optional(),
});

/** An update may leave the package out (it keeps the deployed one), but never give two. */
const codeUpdate = codeFields
  .refine((c) => c.zipFile === undefined || c.ossBucketName === undefined, {
    message: 'give exactly one of zipFile or ossBucketName + ossObjectName',
  })
  .refine((c) => (c.ossBucketName === undefined) === (c.ossObjectName === undefined), {
    message: 'ossBucketName and ossObjectName go together',
  });

const codeConfiguration = codeUpdate.refine((c) => c.zipFile !== undefined || c.ossBucketName !== undefined, {
  message: 'give exactly one of zipFile or ossBucketName + ossObjectName',
});

const containerConfiguration = z.object({
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  imageRegistryType: z.enum(['ACR', 'ACREE', 'CUSTOM']).optional(),
  acrInstanceId: z.string().optional(),
  port: int(1, 65535).optional(),
  registryConfig: z.record(z.string(), z.unknown()).optional(),
});

const networkConfiguration = z
  .object({
    networkMode: z.enum(['PUBLIC', 'PRIVATE', 'PUBLIC_AND_PRIVATE']),
    vpcId: z.string().optional(),
    vswitchIds: z.array(z.string()).optional(),
    securityGroupId: z.string().optional(),
  })
  .refine((n) => n.networkMode === 'PUBLIC' || n.vpcId !== undefined, {
    message: 'vpcId is required for PRIVATE and PUBLIC_AND_PRIVATE',
  });

const healthCheckConfiguration = z.object({
  httpGetUrl: z.string().startsWith('/').max(2048).optional(),
  initialDelaySeconds: int(0, 120).optional(),
  periodSeconds: int(1, 120).optional(),
  timeoutSeconds: int(1, 3).optional(),
  failureThreshold: int(1, 120).optional(),
  successThreshold: int(1, 120).optional(),
});

const looseObject = z.record(z.string(), z.unknown());

/** Every field of CreateAgentRuntimeInput (agentrun-api.md §3.2); create requires the core ones. */
const runtimeFields = {
  agentRuntimeName: z.string().regex(NAME, 'must match ^[a-zA-Z][a-zA-Z0-9_-]{0,127}$'),
  artifactType: z.enum(['Code', 'Container']),
  codeConfiguration: codeConfiguration.optional(),
  containerConfiguration: containerConfiguration.optional(),
  cpu: z.number().min(0.05).max(16),
  memory: int(128, 32768),
  port: int(1, 65535),
  networkConfiguration: networkConfiguration.optional(),
  description: z.string().max(256).optional(),
  diskSize: z.union([z.literal(512), z.literal(10240)]).optional(),
  sessionConcurrencyLimitPerInstance: int(1, 200).optional(),
  sessionIdleTimeoutSeconds: int(60, 86400).optional(),
  environmentVariables: z.record(z.string(), z.string()).optional(),
  executionRoleArn: z
    .string()
    .regex(/^acs:ram::\d+:role\/.+$/, 'must be acs:ram::<accountId>:role/<name>')
    .optional(),
  credentialName: z.string().regex(ENDPOINT_NAME).optional(),
  credentialId: z.string().optional(),
  logConfiguration: z.object({ project: z.string().min(1), logstore: z.string().min(1) }).optional(),
  protocolConfiguration: z
    .object({ type: z.enum(['HTTP', 'HTTPS', 'MCP']), protocolSettings: z.array(looseObject).optional() })
    .optional(),
  healthCheckConfiguration: healthCheckConfiguration.optional(),
  enableSessionIsolation: z.boolean().optional(),
  disableSessionAffinity: z.boolean().optional(),
  disableOndemand: z.boolean().optional(),
  sessionAffinityType: z.enum(['NONE', 'HEADER_FIELD', 'GENERATED_COOKIE', 'COOKIE']).optional(),
  headerFieldName: z.string().optional(),
  nasConfig: looseObject.optional(),
  ossMountConfig: looseObject.optional(),
  armsConfiguration: looseObject.optional(),
  workspaceId: z.string().optional(),
  externalAgentEndpointUrl: z.string().optional(),
  edition: z.string().optional(),
  systemTags: z.array(z.string()).optional(),
  resourceGroupId: z.string().optional(),
};

/** A runtime's complete configuration: the create input, also what an update must add up to. */
export const runtimeConfig = z
  .object(runtimeFields)
  .refine((r) => r.artifactType !== 'Code' || r.codeConfiguration !== undefined, {
    message: 'codeConfiguration is required when artifactType is Code',
    path: ['codeConfiguration'],
  })
  .refine((r) => r.artifactType !== 'Container' || r.containerConfiguration !== undefined, {
    message: 'containerConfiguration is required when artifactType is Container',
    path: ['containerConfiguration'],
  });
export type RuntimeConfig = z.infer<typeof runtimeConfig>;

/**
 * UpdateAgentRuntimeInput: the whole new configuration, so the create rules apply, except that the
 * name may be left out and the code package may be left out (see `handleControl`).
 */
export const runtimeUpdate = z.object({
  ...runtimeFields,
  agentRuntimeName: runtimeFields.agentRuntimeName.optional(),
  codeConfiguration: codeUpdate.optional(),
});
export type RuntimeUpdate = z.infer<typeof runtimeUpdate>;

const versionWeight = z.object({ version: z.string().min(1), weight: z.number().min(0).max(1) });
const routingConfiguration = z.object({ versionWeights: z.array(versionWeight).max(10) });
export type RoutingConfiguration = z.infer<typeof routingConfiguration>;

const endpointFields = {
  agentRuntimeEndpointName: z.string().regex(ENDPOINT_NAME, 'must match ^[a-zA-Z][a-zA-Z0-9_-]{0,63}$'),
  description: z.string().max(256).optional(),
  targetVersion: z.string().min(1).optional(),
  routingConfiguration: routingConfiguration.optional(),
  disablePublicNetworkAccess: z.boolean().optional(),
  scalingConfig: looseObject.optional(),
};
/** CreateAgentRuntimeEndpointInput. */
export const endpointCreate = z.object(endpointFields);
export type EndpointInput = z.infer<typeof endpointCreate>;
/** UpdateAgentRuntimeEndpointInput: the whole new settings; only the name may be left out (it is kept). */
export const endpointUpdate = endpointCreate.partial({ agentRuntimeEndpointName: true });

/** PublishRuntimeVersionInput. */
export const publishInput = z.object({ description: z.string().max(256).optional() });

/**
 * Parses `input` or throws a 400 naming the field, the value received and what was expected, like
 * `codeConfiguration.command: Too small: expected array to have >=1 items (got [])`.
 */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const messages = result.error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
    const got = 'input' in issue && issue.input !== undefined ? ` (got ${preview(issue.input)})` : '';
    return `${where}: ${issue.message}${got}`;
  });
  throw invalid(`Invalid request: ${messages.join('; ')}`);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
