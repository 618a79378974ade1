/**
 * The `agentrun` component props: one zod schema that is both the TypeScript type and the check.
 *
 * Field names, ranges and enums follow the devsapp/agentrun component (`src/common/schema.json`,
 * `README.md`, `src/interface/index.ts`) unless a comment says otherwise, so a file that `s deploy`
 * accepts is accepted here. Every error message is "expected …"; the validator appends the bad value.
 */
import { z } from 'zod';

/** Regions with an AgentRun control-plane host (component `src/common/constant.ts`). */
export const REGIONS = [
  'cn-beijing',
  'cn-hangzhou',
  'cn-shanghai',
  'cn-zhangjiakou',
  'cn-shenzhen',
  'cn-guangzhou',
  'cn-chengdu',
  'cn-hongkong',
  'ap-southeast-1',
  'ap-southeast-5',
  'us-west-1',
  'eu-west-1',
  'eu-central-1',
  'ap-northeast-1',
] as const;
export type Region = (typeof REGIONS)[number];

/**
 * `code.language` values the component's schema accepts. `custom` (listed in its README) is rejected
 * by that schema, so we reject it too: use `customContainerConfig` instead.
 */
export const LANGUAGES = [
  'python3.10',
  'python3.12',
  'nodejs18',
  'nodejs20',
  'java8',
  'java11',
  'java17',
] as const;
export type Language = (typeof LANGUAGES)[number];

/** Accepted, but missing from the API metadata enum: server acceptance is unconfirmed (agentrun-api.md §3.4). */
export const UNCONFIRMED_LANGUAGES: readonly Language[] = ['java17'];

/** Component schema says HTTP/HTTPS, API metadata says HTTP/MCP; only HTTP is in both (agentrun-api.md §3.7). */
export const PROTOCOL_TYPES = ['HTTP', 'HTTPS', 'MCP'] as const;

export const IMAGE_REGISTRY_TYPES = ['ACR', 'ACREE', 'CUSTOM'] as const;

/** The component's schema enum for `diskSize` (MB). */
export const DISK_SIZES = [512, 10240] as const;

/**
 * Defaults the component fills in itself, in one place. Where it sends nothing for an omitted key (`cpu`,
 * `memory`, `diskSize`, `port`, `instanceConcurrency`, `sessionIdleTimeoutSeconds`), neither does the
 * deploy: the service decides (SERVICE.defaults).
 */
export const DEFAULTS = {
  internetAccess: true,
  endpointVersion: 'LATEST',
  protocolType: 'HTTP',
  healthCheck: {
    httpGetUrl: '/health',
    initialDelaySeconds: 30,
    periodSeconds: 30,
    timeoutSeconds: 3,
    failureThreshold: 3,
    successThreshold: 1,
  },
} as const;

/** Shared by runtime, endpoint and credential names (component schema patterns). */
const RUNTIME_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,127}$/;
const SHORT_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;
/** Full ARN or a bare role name that the deployer expands with the account id (component schema). */
const ROLE = /^(acs:ram::[0-9]+:role\/)?[a-zA-Z][a-zA-Z0-9_/-]{0,127}$/;
const VERSION_NUMBER = /^[1-9][0-9]*$/;

const expected = (what: string) => ({ error: `expected ${what}` });

function str(what = 'a string') {
  return z.string(expected(what));
}

function nonEmpty(what = 'a non-empty string') {
  return str(what).min(1, expected(what));
}

function matching(pattern: RegExp, what: string) {
  return str(what).regex(pattern, expected(what));
}

function bool() {
  return z.boolean(expected('true or false'));
}

/** A number in [min, max]; `integer` also rejects fractions. One message for every way it can fail. */
function numberIn(min: number, max: number, integer = false) {
  const what = `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`;
  const n = z.number(expected(what)).min(min, expected(what)).max(max, expected(what));
  // multipleOf(1), not int(): a failed int() check stops the cross-field checks of the enclosing object.
  return integer ? n.multipleOf(1, expected(what)) : n;
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, expected(`one of ${values.join(', ')}`));
}

/**
 * A canary share strictly between 0 and 1, as the component's schema has it (`src/common/schema.json`
 * lines 483-490: `exclusiveMinimum: 0`, `exclusiveMaximum: 1`): `weight: 0` would split nothing and
 * `weight: 1` would leave the main endpoint nothing, and `s deploy` refuses both.
 */
function canaryWeight() {
  const what = 'a number above 0 and below 1 (the share of the traffic, e.g. 0.1)';
  return z.number(expected(what)).gt(0, expected(what)).lt(1, expected(what));
}

const stringList = (what = 'a list of strings') => z.array(str(), expected(what));

const codeSchema = z.object({
  src: nonEmpty('a path to a directory, .zip or .jar file').optional(),
  ossBucketName: nonEmpty().optional(),
  ossObjectName: nonEmpty().optional(),
  language: oneOf(LANGUAGES),
  command: stringList('the start command as a list of strings').optional(),
  checksum: matching(/^[0-9]+$/, 'the CRC-64 of the package as a decimal string').optional(),
});

const registryConfigSchema = z.object({
  authConfig: z.object({ userName: str().optional(), password: str().optional() }).optional(),
  certConfig: z.object({ insecure: bool().optional(), rootCaCertBase64: str().optional() }).optional(),
  networkConfig: z
    .object({ vpcId: str().optional(), vSwitchId: str().optional(), securityGroupId: str().optional() })
    .optional(),
});

const containerSchema = z.object({
  image: nonEmpty('an image reference, e.g. registry.cn-hangzhou.aliyuncs.com/ns/app:tag'),
  command: stringList('the entrypoint as a list of strings').optional(),
  imageRegistryType: oneOf(IMAGE_REGISTRY_TYPES).optional(),
  acrInstanceId: matching(/^cri-[a-z0-9]+$/, 'an ACR EE instance id like cri-xxxx').optional(),
  port: numberIn(1, 65535, true).optional(),
  registryConfig: registryConfigSchema.optional(),
});

const vSwitchId = matching(/^vsw-[a-z0-9]+$/, 'a vSwitch id like vsw-xxxx');

const vpcSchema = z.object({
  vpcId: matching(/^vpc-[a-z0-9]+$/, 'a VPC id like vpc-xxxx'),
  // The component also takes a single id as a string and wraps it in a list.
  vSwitchIds: z.preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z
      .array(vSwitchId, expected('a non-empty list of vSwitch ids'))
      .min(1, expected('a non-empty list of vSwitch ids')),
  ),
  securityGroupId: matching(/^sg-[a-z0-9]+$/, 'a security group id like sg-xxxx'),
});

const nasSchema = z.object({
  userId: numberIn(0, 2 ** 31 - 1, true).optional(),
  groupId: numberIn(0, 2 ** 31 - 1, true).optional(),
  mountPoints: z
    .array(z.object({ serverAddr: nonEmpty(), mountDir: nonEmpty(), enableTLS: bool().optional() }))
    .min(1, expected('at least one mount point')),
});

const ossMountSchema = z.object({
  mountPoints: z
    .array(
      z.object({
        bucketName: nonEmpty(),
        bucketPath: str().optional(),
        endpoint: str().optional(),
        mountDir: nonEmpty(),
        readOnly: bool().optional(),
      }),
    )
    .min(1, expected('at least one mount point')),
});

const logObjectSchema = z.object({ project: nonEmpty(), logstore: nonEmpty() });

const protocolSchema = z.object({
  type: oneOf(PROTOCOL_TYPES).optional(),
  protocolSettings: z
    .array(z.object({ type: str().optional(), name: str().optional(), config: str().optional() }))
    .optional(),
});

/** Ranges of the API metadata (agentrun-api.md §3.8), narrower than the component's schema. */
const healthCheckSchema = z.object({
  httpGetUrl: str().max(2048, expected('a path of at most 2048 characters')).optional(),
  initialDelaySeconds: numberIn(0, 120, true).optional(),
  periodSeconds: numberIn(1, 120, true).optional(),
  timeoutSeconds: numberIn(1, 3, true).optional(),
  failureThreshold: numberIn(1, 120, true).optional(),
  successThreshold: numberIn(1, 120, true).optional(),
});

const VERSION_EXPECTED = 'LATEST or a published version number (1, 2, …)';

const endpointSchema = z.object({
  name: matching(SHORT_NAME, 'a name of 1-64 letters, digits, _ or -, starting with a letter'),
  version: z
    .union(
      [
        z.literal('LATEST', expected(VERSION_EXPECTED)),
        str(VERSION_EXPECTED).regex(VERSION_NUMBER, expected(VERSION_EXPECTED)),
        z
          .number(expected(VERSION_EXPECTED))
          .multipleOf(1, expected(VERSION_EXPECTED))
          .min(1, expected(VERSION_EXPECTED)),
      ],
      expected(VERSION_EXPECTED),
    )
    .default(DEFAULTS.endpointVersion),
  description: str().max(256, expected('at most 256 characters')).optional(),
  weight: canaryWeight().optional(),
});

export type EndpointProps = z.output<typeof endpointSchema>;

const endpointsSchema = z
  .array(endpointSchema, expected('a list of endpoints'))
  .min(1, expected('at least one endpoint (omit `endpoints` to create none)'))
  .superRefine(checkEndpoints, { when: (payload) => Array.isArray(payload.value) });

const agentSchema = z
  .object(
    {
      name: matching(RUNTIME_NAME, 'a name of 1-128 letters, digits, _ or -, starting with a letter'),
      description: str().max(256, expected('at most 256 characters')).optional(),
      code: codeSchema.superRefine(checkCode, { when: isRecordPayload }).optional(),
      customContainerConfig: containerSchema
        .superRefine(checkContainer, { when: isRecordPayload })
        .optional(),
      cpu: numberIn(0.05, 16).optional(),
      memory: numberIn(128, 32768, true).optional(),
      diskSize: z.literal(DISK_SIZES, expected(`a disk size in MB: ${DISK_SIZES.join(' or ')}`)).optional(),
      // Not an AgentRun setting; the component ignores it too (validate warns).
      timeout: numberIn(1, 86400, true).optional(),
      port: numberIn(1, 65535, true).optional(),
      instanceConcurrency: numberIn(1, 200, true).optional(),
      sessionIdleTimeoutSeconds: numberIn(60, 86400, true).optional(),
      enableSessionIsolation: bool().optional(),
      disableSessionAffinity: bool().optional(),
      role: matching(ROLE, 'a RAM role ARN (acs:ram::<account>:role/<name>) or a role name').optional(),
      credentialName: matching(SHORT_NAME, 'a credential name of 1-64 letters, digits, _ or -').optional(),
      internetAccess: bool().default(DEFAULTS.internetAccess),
      vpcConfig: vpcSchema.optional(),
      nasConfig: nasSchema.optional(),
      ossMountConfig: ossMountSchema.optional(),
      // The component's schema requires string values; numbers and booleans fail its check, so they fail ours.
      environmentVariables: z
        .record(
          str(),
          str('a string (quote numbers and booleans, e.g. "8000")'),
          expected('a map of NAME: value'),
        )
        .optional(),
      logConfig: z
        .union([z.literal('auto'), logObjectSchema], expected('`auto` or { project, logstore }'))
        .optional(),
      protocolConfiguration: protocolSchema.optional(),
      healthCheckConfiguration: healthCheckSchema.optional(),
      endpoints: endpointsSchema.optional(),
      workspace: z
        .object({
          id: str().optional(),
          name: str().optional(),
          description: str().optional(),
          resourceGroupId: str().optional(),
        })
        .optional(),
      // The API's ArmsConfiguration (src/agentrun/model.ts); other keys get the unknown-key warning.
      armsConfiguration: z
        .object({
          enableArms: bool().optional(),
          armsLicenseKey: str().optional(),
          cmsWorkspace: str().optional(),
        })
        .optional(),
      // Deployed by the component through fc3-domain; not by us (validate warns).
      customDomain: z.looseObject({ domainName: str() }).optional(),
    },
    expected('an object'),
  )
  .superRefine(checkAgent, { when: isRecordPayload });

/** Schema of `resources.<name>.props` for `component: agentrun`. */
export const agentrunPropsSchema = z.object(
  {
    region: z.enum(REGIONS, expected(`an AgentRun region: ${REGIONS.join(', ')}`)),
    agent: agentSchema,
  },
  expected('an object with region and agent'),
);

/** Validated props with defaults applied. */
export type AgentrunProps = z.output<typeof agentrunPropsSchema>;
export type AgentProps = AgentrunProps['agent'];

type Ctx = z.RefinementCtx;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Cross-field rules must run even when a sibling field failed, so every problem shows in one run. */
function isRecordPayload(payload: { value: unknown }): boolean {
  return isRecord(payload.value);
}

/** The component's schema: `code` and `customContainerConfig` are a oneOf; NAS is reached through the VPC. */
function checkAgent(agent: Record<string, unknown>, ctx: Ctx): void {
  const hasCode = agent.code !== undefined;
  const hasContainer = agent.customContainerConfig !== undefined;
  if (hasCode && hasContainer) {
    ctx.addIssue({
      code: 'custom',
      path: ['customContainerConfig'],
      message: 'expected either `code` or `customContainerConfig`, not both',
    });
  } else if (!hasCode && !hasContainer) {
    ctx.addIssue({ code: 'custom', path: [], message: 'expected `code` or `customContainerConfig`' });
  }
  if (agent.nasConfig !== undefined && agent.vpcConfig === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['nasConfig'],
      message: 'expected `vpcConfig` too: NAS is mounted through the VPC',
    });
  }
}

/** The component's schema: code comes from `src` or from both OSS names, never both. */
function checkCode(code: Record<string, unknown>, ctx: Ctx): void {
  const hasOss = code.ossBucketName !== undefined || code.ossObjectName !== undefined;
  if (code.src !== undefined && hasOss) {
    ctx.addIssue({
      code: 'custom',
      path: ['src'],
      message: 'expected either `src` or `ossBucketName` + `ossObjectName`, not both',
    });
  } else if (code.src === undefined && !hasOss) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'expected `src` or `ossBucketName` + `ossObjectName`',
    });
  } else if (hasOss) {
    for (const key of ['ossBucketName', 'ossObjectName'] as const) {
      if (code[key] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'expected both `ossBucketName` and `ossObjectName`',
        });
      }
    }
  }
}

/** ACR Enterprise images need the instance id (agentrun-api.md §3.5). */
function checkContainer(container: Record<string, unknown>, ctx: Ctx): void {
  if (container.imageRegistryType === 'ACREE' && container.acrInstanceId === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['acrInstanceId'],
      message: 'expected `acrInstanceId` (cri-…) when imageRegistryType is ACREE',
    });
  }
}

/**
 * Names must be unique (endpoints are matched by name). Entries with a `weight` are canaries of the
 * first entry without one, so their weights together must leave that main endpoint a share.
 */
function checkEndpoints(endpoints: unknown[], ctx: Ctx): void {
  const seen = new Set<unknown>();
  endpoints.forEach((endpoint, index) => {
    if (!isRecord(endpoint) || typeof endpoint.name !== 'string') return;
    if (seen.has(endpoint.name)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `expected unique endpoint names, got ${JSON.stringify(endpoint.name)} twice`,
      });
    }
    seen.add(endpoint.name);
  });
  const weights = endpoints.map((endpoint) => (isRecord(endpoint) ? endpoint.weight : undefined));
  // Out-of-range weights are already reported on their own.
  const canaryWeights = weights.filter(
    (weight): weight is number => typeof weight === 'number' && weight > 0 && weight < 1,
  );
  if (weights.every((weight) => weight === undefined)) return;
  if (weights.every((weight) => weight !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: 'expected an endpoint without `weight` for the canary weights to split traffic from',
    });
  }
  const sum = canaryWeights.reduce((total, weight) => total + weight, 0);
  // Rounded so 0.1 + 0.2 + 0.7 is not reported as over 1.
  if (Math.round(sum * 1e9) / 1e9 > 1) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `expected the canary weights to sum to at most 1, got ${canaryWeights.join(' + ')} = ${Number(sum.toFixed(9))}`,
    });
  }
}
