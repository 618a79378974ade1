/**
 * What is deployed for each resource of the s.yaml, read from the API without changing anything: the
 * runtime's status, its versions and who published them, its endpoints and their splits, where its
 * logs go, and the rollout its production endpoint records. `info` prints it; `s info` shows the same.
 */
import type { AgentRunApi, Endpoint, Version } from '../agentrun/api.js';
import { LATEST, type LogConfiguration, type VersionWeight } from '../agentrun/model.js';
import { splitWeights } from '../agentrun/service.js';
import { recorded, withoutMarker, type Fingerprint } from '../deploy/fingerprint.js';
import type { DeployTarget } from '../plan/types.js';
import { inProgress, readMarker, userDescription, type RolloutMarker } from '../rollout/marker.js';

/** The product's name as it shows who published a version. */
export const PUBLISHER = 'agentrun-deploy';

export interface VersionInfo {
  version: string;
  publishedAt?: string;
  /**
   * {@link PUBLISHER} when the description carries its fingerprint; undefined for another client
   * (`s version publish`, the console, an SDK). The API does not return the `publisher` a publish may
   * send, so the description is the only trace.
   */
  publishedBy?: string;
  /** The description its publisher wrote, without the fingerprint. */
  description: string;
  fingerprint?: Fingerprint;
}

export interface EndpointInfo {
  name: string;
  status?: string;
  statusReason?: string;
  targetVersion: string;
  /** Traffic sent away from `targetVersion`, each a share from 0 to 1. */
  weights: VersionWeight[];
  url?: string;
  /** The description as written, without a rollout's marker. */
  description: string;
}

/** A rollout recorded on an endpoint. */
export interface RolloutInfo extends RolloutMarker {
  endpoint: string;
  inProgress: boolean;
}

export interface ResourceInfo {
  resource: string;
  region: string;
  runtimeName: string;
  /** Absent when no runtime of that name exists: nothing was deployed yet. */
  runtime?: {
    id: string;
    status: string;
    statusReason?: string;
    artifactType?: string;
    lastUpdatedAt?: string;
    /** Absent when the runtime sends its logs nowhere. */
    logConfiguration?: LogConfiguration;
  };
  /** Newest first. */
  versions: VersionInfo[];
  endpoints: EndpointInfo[];
  rollouts: RolloutInfo[];
}

/** Reads what is deployed for `target`. */
export async function readInfo(api: AgentRunApi, target: DeployTarget): Promise<ResourceInfo> {
  const runtimeName = target.runtime.agentRuntimeName;
  const base = { resource: target.resource, region: target.region, runtimeName };
  const runtime = await api.findRuntime(runtimeName, target.workspace);
  if (!runtime) return { ...base, versions: [], endpoints: [], rollouts: [] };
  const [versions, endpoints] = await Promise.all([
    api.listVersions(runtime.agentRuntimeId),
    api.listEndpoints(runtime.agentRuntimeId),
  ]);
  const log = runtime.logConfiguration;
  return {
    ...base,
    runtime: {
      id: runtime.agentRuntimeId,
      status: runtime.status,
      ...(runtime.statusReason && { statusReason: runtime.statusReason }),
      ...(runtime.artifactType && { artifactType: runtime.artifactType }),
      ...(runtime.lastUpdatedAt && { lastUpdatedAt: runtime.lastUpdatedAt }),
      ...((log?.project || log?.logstore) && { logConfiguration: log }),
    },
    versions: versions
      .filter((v) => /^\d+$/.test(v.agentRuntimeVersion))
      .sort((a, b) => Number(b.agentRuntimeVersion) - Number(a.agentRuntimeVersion))
      .map(versionInfo),
    endpoints: endpoints.map(endpointInfo),
    rollouts: endpoints.flatMap(rolloutOn),
  };
}

function versionInfo(version: Version): VersionInfo {
  const fingerprint = recorded(version);
  return {
    version: version.agentRuntimeVersion,
    ...(version.lastUpdatedAt && { publishedAt: version.lastUpdatedAt }),
    ...(fingerprint && { publishedBy: PUBLISHER, fingerprint }),
    description: withoutMarker(version.description),
  };
}

function endpointInfo(endpoint: Endpoint): EndpointInfo {
  return {
    name: endpoint.agentRuntimeEndpointName,
    ...(endpoint.status && { status: endpoint.status }),
    ...(endpoint.statusReason && { statusReason: endpoint.statusReason }),
    targetVersion: endpoint.targetVersion ?? LATEST,
    weights: splitWeights(endpoint),
    ...(endpoint.endpointPublicUrl && { url: endpoint.endpointPublicUrl }),
    description: userDescription(endpoint.description),
  };
}

function rolloutOn(endpoint: Endpoint): RolloutInfo[] {
  const marker = readMarker(endpoint.description);
  if (!marker) return [];
  return [{ ...marker, endpoint: endpoint.agentRuntimeEndpointName, inProgress: inProgress(marker) }];
}
