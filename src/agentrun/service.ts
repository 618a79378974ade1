/**
 * How the AgentRun service behaves where its models (model.ts) do not say. The client and the emulator
 * both follow this one table, so correcting an entry corrects both. Sources:
 *   A  aliyun/alibabacloud-typescript-sdk `agentrun-20250910/src` (models and doc comments)
 *   B  Serverless-Devs/agentrun-sdk-nodejs (`src/agent-runtime/*`, `src/utils/*`)
 *   C  devsapp/agentrun, the `s deploy` component (`src/impl/agentrun.ts`, `src/common/schema.json`)
 * UNCONFIRMED marks a choice no source confirms.
 */
import {
  agentRuntime,
  createAgentRuntimeInput,
  type AgentRuntimeEndpoint,
  type RoutingConfiguration,
  type VersionWeight,
} from './model.js';

export const SERVICE = {
  /**
   * Create-input fields a GET never returns, so a deploy must not compare them: those the AgentRuntime
   * model lacks (A: `armsConfiguration`, `credentialId`), and the code package. UNCONFIRMED: whether GET
   * echoes `codeConfiguration.checksum`; no-op detection relies on the fingerprint of published
   * versions instead, and the emulator leaves it out to prove it.
   */
  notEchoed: [
    ...missingFrom(createAgentRuntimeInput.shape, agentRuntime.shape),
    'codeConfiguration.zipFile',
    'codeConfiguration.checksum',
  ],
  /**
   * UNCONFIRMED: an update keeps every top-level field it does not send, for runtimes and endpoints (an
   * endpoint update without `routingConfiguration` keeps its split). A marks only `cpu` as required on
   * update, which a replacing update could not honour. The action sends the full desired configuration,
   * less the sizes the s.yaml leaves to the service (`defaults`) and routing without a split.
   */
  updateKeepsUnsentFields: true,
  /**
   * Settings with no service default (A documents none). Since an update keeps what it does not send, one
   * the s.yaml stops setting stays on the runtime; a deploy says so rather than pretend it was cleared.
   */
  keptWhenRemoved: [
    'credentialName',
    'executionRoleArn',
    'healthCheckConfiguration',
    'logConfiguration',
    'nasConfig',
    'ossMountConfig',
  ],
  /**
   * UNCONFIRMED: what the service gives a runtime created without these fields. C documents these values
   * as the s.yaml's defaults (README table, `schema.json` `default`) yet sends nothing when the file
   * omits the key, so the service decides; A documents no default (and marks `cpu`, `memory` and `port`
   * required, which C's requests contradict), and agentrun-sdk-python fills in others of its own (port
   * 9000, cpu 2, memory 4096). The action leaves them out as C does; the emulator answers with these.
   */
  defaults: {
    cpu: 1,
    memory: 2048,
    diskSize: 512,
    port: 8000,
    sessionConcurrencyLimitPerInstance: 10,
    sessionIdleTimeoutSeconds: 3600,
  },
  /**
   * UNCONFIRMED: how a write takes a split off an endpoint. No official client clears one: C and
   * `s endpoint publish` (C `src/subCommands/endpoint.ts`) send `routingConfiguration` only with a
   * weight, and B passes through what it is given; an update keeps what it does not send
   * (updateKeepsUnsentFields), so leaving routing out would keep the split; an empty `versionWeights`,
   * though A's model allows it, is sent by no official client. What is left is a request C itself
   * sends: a weight on the `targetVersion` itself. All of the traffic (weight 1) on that version means
   * one version under every reading of the weights, whether `targetVersion` takes the rest or the
   * weights must add up to 1.
   */
  singleVersionWeights: (version: string): VersionWeight[] => [{ version, weight: 1 }],
  /** An endpoint serves in these states: A's example is ACTIVE, B and C treat endpoints like runtimes. */
  endpointServing: ['READY', 'ACTIVE'],
  /** List filters: A gives `fuzzy` as the example `searchMode`; C sends `exact` to find a runtime by name. */
  searchModes: ['fuzzy', 'exact'],
  /** UNCONFIRMED: the mode used when none is sent. */
  defaultSearchMode: 'fuzzy',
  /** C asks for 100 items a page; UNCONFIRMED that more is refused. */
  maxPageSize: 100,
  /**
   * Weighted routing: each `versionWeights` entry takes its share (0.0–1.0, A), and `targetVersion` the
   * rest (UNCONFIRMED, as are refusing a sum over 1 and refusing versions that were never published).
   * C routes a weight to the same version as `targetVersion`, so that must be accepted.
   */
  weights: { min: 0, max: 1 },
  /**
   * Ranges `s` checks before it calls the API (C `schema.json`); UNCONFIRMED that the service checks the
   * same. The s.yaml validation applies them too, so a deploy never meets them here.
   */
  limits: {
    agentRuntimeName: /^[a-zA-Z][a-zA-Z0-9_-]{0,127}$/,
    agentRuntimeEndpointName: /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/,
    cpu: { min: 0.05, max: 16 },
    memory: { min: 128, max: 32768 },
    port: { min: 1, max: 65535 },
    sessionConcurrencyLimitPerInstance: { min: 1, max: 200 },
    sessionIdleTimeoutSeconds: { min: 60, max: 86400 },
    description: { maxLength: 256 },
  },
  /**
   * UNCONFIRMED, all plausible for a resource with a status machine and modelled by the emulator: a
   * change while CREATING/UPDATING/DELETING is refused with HTTP 409 whose message does not say
   * "already exists" (B maps every 409 to "already exists", the answer to a duplicate name); a version is published only from a
   * READY runtime; a runtime that still has endpoints cannot be deleted (B deletes them first).
   */
  busyStatuses: ['CREATING', 'UPDATING', 'DELETING'],
  /**
   * UNCONFIRMED: a Code runtime needs `codeConfiguration.command`; no source documents a default entry
   * point (C sends `[]` when the s.yaml has none, B nothing). The s.yaml validation asks for one, and
   * the emulator fails a runtime without one as the service would fail to start it.
   */
  codeNeedsCommand: true,
  /**
   * UNCONFIRMED: an endpoint is created with a name (A documents no field of the input as required, but
   * the data plane addresses endpoints by name).
   */
  endpointNeedsName: true,
  /**
   * Workspaces (C `src/utils/agentRuntimeQuery.ts` `resolveWorkspaceId`, `src/impl/agentrun.ts`
   * `getWorkspace`): an id is used as given (C checks it with GetWorkspace), a name is looked up with
   * ListWorkspaces `name=` and created with its description and resource group when missing, and
   * without either the account's default workspace (`isDefault`) is the one. A runtime is looked up by
   * exact name *within* that workspace (ListAgentRuntimes `workspaceIds=`). C sends `workspaceId` on
   * create and update only when the s.yaml names a workspace, so the service must put a runtime created
   * without one into the default workspace (UNCONFIRMED, as is a name being unique per workspace only).
   */
  workspaces: {
    listFilter: 'workspaceIds',
    createMissingByName: true,
  },
  /**
   * UNCONFIRMED: fields the models do not have are refused. The SDK cannot send them, so one arriving
   * here is a misspelling worth an error rather than silence.
   */
  refusesUnknownFields: true,
} as const;

/**
 * The weights that send traffic away from an endpoint's `targetVersion`: none when it serves one version,
 * including the routing SERVICE.singleVersionWeights leaves behind.
 */
export function splitWeights(
  routing: Pick<AgentRuntimeEndpoint, 'targetVersion' | 'routingConfiguration'>,
): VersionWeight[] {
  return (routing.routingConfiguration?.versionWeights ?? []).filter(
    (w) => w.version !== routing.targetVersion && (w.weight ?? 0) > 0,
  );
}

/**
 * The routing fields of an endpoint write that puts `routing.targetVersion` first and the split (if
 * any) on top, for an endpoint deployed as `current`. `routingConfiguration` is sent only when there is
 * a split, as the official clients send it, or to take away a split `current` would keep.
 */
export function routingWrite(
  routing: { targetVersion: string; routingConfiguration?: RoutingConfiguration },
  current: Pick<AgentRuntimeEndpoint, 'targetVersion' | 'routingConfiguration'> | undefined,
): { targetVersion: string; routingConfiguration?: RoutingConfiguration } {
  const { targetVersion } = routing;
  const weights = routing.routingConfiguration?.versionWeights ?? [];
  if (weights.length > 0) return { targetVersion, routingConfiguration: { versionWeights: weights } };
  // Without routing, the endpoint keeps its weights: any but the single-version ones are replaced.
  const kept = current?.routingConfiguration?.versionWeights ?? [];
  const single = SERVICE.singleVersionWeights(targetVersion);
  const same = (a: VersionWeight, b: VersionWeight) => a.version === b.version && a.weight === b.weight;
  if (kept.length === 0 || (kept.length === single.length && kept.every((w, i) => same(w, single[i]!)))) {
    return { targetVersion };
  }
  return { targetVersion, routingConfiguration: { versionWeights: single } };
}

/** The runtime fields the service picks when a create leaves them out. */
export type ServiceDefaulted = keyof typeof SERVICE.defaults;

/** The fields of SERVICE.defaults that `body` leaves to the service, in the table's order. */
export function serviceDefaulted(body: Readonly<Record<string, unknown>>): ServiceDefaulted[] {
  return (Object.keys(SERVICE.defaults) as ServiceDefaulted[]).filter((field) => body[field] === undefined);
}

/** Dotted field names of `shape` that `response` does not have. */
function missingFrom(shape: Record<string, unknown>, response: Record<string, unknown>): string[] {
  return Object.keys(shape).filter((field) => !(field in response));
}

/** Whether `field` (dotted, e.g. `codeConfiguration.checksum`) is one a GET does not return. */
export function isEchoed(field: string): boolean {
  return !(SERVICE.notEchoed as readonly string[]).includes(field);
}
