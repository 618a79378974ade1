/**
 * Validated agentrun props → the CreateAgentRuntime / UpdateAgentRuntime body. Pure. Each mapping
 * rule is a named function that says where it comes from (devsapp/agentrun `src/impl/agentrun.ts`
 * `normalizeAgentConfig` and `createAgentRuntime`, unless noted).
 */
import { DEFAULTS, type AgentProps, type AgentrunProps } from '../config/schema.js';
import type {
  CodeConfiguration,
  ContainerConfiguration,
  CreateAgentRuntimeInput,
  HealthCheckConfiguration,
  LogConfiguration,
  NetworkConfiguration,
  ProtocolConfiguration,
} from '../agentrun/model.js';
import { SERVICE, type ServiceDefaulted } from '../agentrun/service.js';
import { AUTO_LOG, autoLogProject } from '../logs/layout.js';
import { PlanError, type PlanContext } from './types.js';

/** Builds the full desired runtime body. Throws {@link PlanError} when the account id is needed but unknown. */
export function buildRuntimeInput(props: AgentrunProps, context: PlanContext = {}): CreateAgentRuntimeInput {
  const { agent } = props;
  const role = executionRoleArn(agent.role, context.accountId);
  const log = logConfiguration(props, context.accountId);
  return {
    agentRuntimeName: agent.name,
    // Always sent, empty when unset, so that removing it from the file clears it.
    description: agent.description ?? '',
    ...artifact(agent),
    ...sized(agent),
    ...(agent.enableSessionIsolation !== undefined && {
      enableSessionIsolation: agent.enableSessionIsolation,
    }),
    ...(agent.disableSessionAffinity !== undefined && {
      disableSessionAffinity: agent.disableSessionAffinity,
    }),
    networkConfiguration: networkConfiguration(agent),
    ...(agent.nasConfig !== undefined && { nasConfig: agent.nasConfig }),
    ...(agent.ossMountConfig !== undefined && { ossMountConfig: agent.ossMountConfig }),
    environmentVariables: environmentVariables(agent),
    ...(role !== undefined && { executionRoleArn: role }),
    ...(agent.credentialName !== undefined && { credentialName: agent.credentialName }),
    ...(log !== undefined && { logConfiguration: log }),
    ...(agent.protocolConfiguration !== undefined && { protocolConfiguration: protocolConfiguration(agent) }),
    ...(agent.healthCheckConfiguration !== undefined && {
      healthCheckConfiguration: healthCheckConfiguration(agent),
    }),
    ...(agent.armsConfiguration !== undefined && { armsConfiguration: agent.armsConfiguration }),
  };
}

/**
 * Sizes and limits the s.yaml sets. One it omits is not sent, as `s deploy` sends none: the service
 * decides (SERVICE.defaults) on create, and an update keeps what the runtime has.
 */
function sized(agent: AgentProps): Partial<Record<ServiceDefaulted, number>> {
  const given: Record<ServiceDefaulted, number | undefined> = {
    cpu: agent.cpu,
    memory: agent.memory,
    diskSize: agent.diskSize,
    port: agent.port,
    sessionConcurrencyLimitPerInstance: agent.instanceConcurrency,
    sessionIdleTimeoutSeconds: agent.sessionIdleTimeoutSeconds,
  };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}

/** `code` → artifactType Code, `customContainerConfig` → Container; the schema guarantees exactly one. */
function artifact(
  agent: AgentProps,
): Pick<CreateAgentRuntimeInput, 'artifactType' | 'codeConfiguration' | 'containerConfiguration'> {
  if (agent.code !== undefined)
    return { artifactType: 'Code', codeConfiguration: codeConfiguration(agent.code) };
  if (agent.customContainerConfig !== undefined) {
    return {
      artifactType: 'Container',
      containerConfiguration: containerConfiguration(agent.customContainerConfig),
    };
  }
  throw new PlanError(['agent'], 'expected `code` or `customContainerConfig`');
}

/**
 * The user's checksum is sent only when given. OSS names from the file go in as they are; a local `src`
 * is packaged and added at deploy time (src/deploy/runtime.ts). Without a command the component sends
 * `[]`, which nothing can start (SERVICE.codeNeedsCommand): that is refused here instead.
 */
function codeConfiguration(code: NonNullable<AgentProps['code']>): CodeConfiguration {
  if (SERVICE.codeNeedsCommand && !code.command?.length) {
    throw new PlanError(
      ['agent', 'code'],
      `\`code.command\` is missing: say how to start the agent, e.g. \`command: [python3, main.py]\` (it runs in /code)`,
    );
  }
  return {
    language: code.language,
    command: code.command,
    ...(code.ossBucketName !== undefined && { ossBucketName: code.ossBucketName }),
    ...(code.ossObjectName !== undefined && { ossObjectName: code.ossObjectName }),
    ...(code.checksum !== undefined && { checksum: code.checksum }),
  };
}

/** Optional container fields are sent only when set; without `command` the image's entry point runs. */
function containerConfiguration(
  container: NonNullable<AgentProps['customContainerConfig']>,
): ContainerConfiguration {
  return {
    image: container.image,
    ...(container.command !== undefined && { command: container.command }),
    ...(container.imageRegistryType !== undefined && { imageRegistryType: container.imageRegistryType }),
    ...(container.acrInstanceId !== undefined && { acrInstanceId: container.acrInstanceId }),
    ...(container.port !== undefined && { port: container.port }),
    ...(container.registryConfig !== undefined && { registryConfig: container.registryConfig }),
  };
}

/**
 * Component rule: a VPC plus internet → PUBLIC_AND_PRIVATE, a VPC alone → PRIVATE, no VPC → PUBLIC
 * (or PRIVATE, with no outbound network at all, when `internetAccess: false`). Unlike the component we
 * always send it, because the SDK documents it as required on create.
 */
export function networkConfiguration(
  agent: Pick<AgentProps, 'vpcConfig' | 'internetAccess'>,
): NetworkConfiguration {
  const { vpcConfig, internetAccess } = agent;
  if (vpcConfig === undefined) return { networkMode: internetAccess ? 'PUBLIC' : 'PRIVATE' };
  return {
    networkMode: internetAccess ? 'PUBLIC_AND_PRIVATE' : 'PRIVATE',
    vpcId: vpcConfig.vpcId,
    vswitchIds: vpcConfig.vSwitchIds,
    securityGroupId: vpcConfig.securityGroupId,
  };
}

/**
 * Always sent, `{}` when none: the body is the full desired state, so removing the last variable
 * from the file must clear it on update (whether omitted fields are kept is unconfirmed, §2.3).
 */
function environmentVariables(agent: AgentProps): Record<string, string> {
  return { ...agent.environmentVariables };
}

/** The component expands a bare role name to `acs:ram::<accountId>:role/<name>` (`normalizeRoleArn`). */
export function executionRoleArn(
  role: string | undefined,
  accountId: string | undefined,
): string | undefined {
  if (role === undefined || role.startsWith('acs:ram::')) return role;
  if (accountId === undefined) {
    throw new PlanError(
      ['agent', 'role'],
      `role name ${JSON.stringify(role)} needs the account id to become acs:ram::<account>:role/${role}; write the full ARN, or set the AccountID variable`,
    );
  }
  return `acs:ram::${accountId}:role/${role}`;
}

/**
 * `{project, logstore}` is sent as is. `auto` makes the component create SLS project
 * `aliyun-serverless-<accountId>-<region>` with logstore `default-logs` (`src/impl/sls.ts`) and use them;
 * without a known account id the deploy reads it from STS and fills the project in then.
 */
export function logConfiguration(
  props: AgentrunProps,
  accountId: string | undefined,
): LogConfiguration | undefined {
  const { logConfig } = props.agent;
  if (logConfig !== 'auto') return logConfig;
  if (accountId === undefined) return undefined;
  return { project: autoLogProject(accountId, props.region), logstore: AUTO_LOG.logstore };
}

/** The component fills `type` with HTTP and `protocolSettings` with [] when the block is present. */
function protocolConfiguration(agent: AgentProps): ProtocolConfiguration {
  const protocol = agent.protocolConfiguration ?? {};
  return { type: protocol.type ?? DEFAULTS.protocolType, protocolSettings: protocol.protocolSettings ?? [] };
}

/**
 * The component fills every missing field with its documented default. It uses `||`, which also
 * turns an explicit 0 into the default; we keep 0 (`initialDelaySeconds: 0` is valid, §3.8).
 */
function healthCheckConfiguration(agent: AgentProps): HealthCheckConfiguration {
  const given = agent.healthCheckConfiguration ?? {};
  const defaults = DEFAULTS.healthCheck;
  return {
    httpGetUrl: given.httpGetUrl ?? defaults.httpGetUrl,
    initialDelaySeconds: given.initialDelaySeconds ?? defaults.initialDelaySeconds,
    periodSeconds: given.periodSeconds ?? defaults.periodSeconds,
    timeoutSeconds: given.timeoutSeconds ?? defaults.timeoutSeconds,
    failureThreshold: given.failureThreshold ?? defaults.failureThreshold,
    successThreshold: given.successThreshold ?? defaults.successThreshold,
  };
}
