import type { AgentRunApi, Endpoint } from '../agentrun/api.js';
import { changedFields } from '../agentrun/compare.js';
import type { DeployTarget } from '../plan/types.js';
import type { TargetCode } from './code.js';
import { endpointBody, fileDecides } from './routing.js';
import { recorded } from './fingerprint.js';
import { desiredRuntime, newest, runtimeChanges } from './runtime.js';

export type Change = 'create' | 'update' | 'unchanged';

/** What a deploy of one resource would do, read from the API without changing anything. */
export interface ResourceDiff {
  resource: string;
  runtimeName: string;
  runtime: Change;
  /** What would change, in the words of {@link runtimeChanges}. */
  changes: string[];
  endpoints: { name: string; change: Change; changes: string[] }[];
  /** What the runtime was compared with, when not its current state: `version 2, which production serves`. */
  comparedWith?: string;
}

/**
 * Compares one target (and its code's fingerprint) with the deployed runtime and endpoints. With
 * `againstProduction` (a pull request's plan) the code and configuration are compared with the version
 * the s.yaml's first endpoint is pinned to, when it is: a preview may have updated the runtime itself,
 * and "unchanged" must mean "as production serves it", not "as the last preview left it".
 */
export async function diffTarget(
  client: AgentRunApi,
  target: DeployTarget,
  code: Pick<TargetCode, 'id'>,
  againstProduction = false,
): Promise<ResourceDiff> {
  const desired = desiredRuntime(target.runtime, code, target.workspace);
  const current = await client.findRuntime(desired.body.agentRuntimeName, target.workspace);
  const deployed = current ? await client.listEndpoints(current.agentRuntimeId) : [];
  const versions = current ? await client.listVersions(current.agentRuntimeId) : [];
  const productionName = target.endpoints[0]?.agentRuntimeEndpointName;
  const pinned = deployed.find((e) => e.agentRuntimeEndpointName === productionName)?.targetVersion;
  const served = againstProduction ? versions.find((v) => v.agentRuntimeVersion === pinned) : undefined;
  const baseline = recorded(served);
  if (current && served && baseline) {
    const changes = [
      ...(desired.fingerprint.code !== undefined && baseline.code !== desired.fingerprint.code
        ? ['code']
        : []),
      ...(baseline.config !== desired.fingerprint.config ? ['settings'] : []),
    ];
    return {
      ...endpointDiff(target, deployed),
      resource: target.resource,
      runtimeName: desired.body.agentRuntimeName,
      runtime: changes.length ? 'update' : 'unchanged',
      changes,
      comparedWith: `version ${served.agentRuntimeVersion}, which endpoint ${productionName} serves`,
    };
  }
  const changes = current ? runtimeChanges(desired, current, newest(versions)) : [];
  return {
    ...endpointDiff(target, deployed),
    resource: target.resource,
    runtimeName: desired.body.agentRuntimeName,
    runtime: !current ? 'create' : changes.length ? 'update' : 'unchanged',
    changes,
  };
}

function endpointDiff(target: DeployTarget, deployed: readonly Endpoint[]): Pick<ResourceDiff, 'endpoints'> {
  return {
    endpoints: target.endpoints.map((endpoint) => {
      const existing = deployed.find((e) => e.agentRuntimeEndpointName === endpoint.agentRuntimeEndpointName);
      const endpointChanges = existing
        ? changedFields(endpointBody(endpoint, existing, fileDecides).body, { ...existing })
        : [];
      return {
        name: endpoint.agentRuntimeEndpointName,
        change: !existing ? 'create' : endpointChanges.length ? 'update' : 'unchanged',
        changes: endpointChanges,
      };
    }),
  };
}

/** The diff as log lines, e.g. `my-agent: runtime production-agent will be updated (cpu, environmentVariables)`. */
export function renderDiff(diffs: readonly ResourceDiff[]): string {
  const phrase = (change: Change, changes: string[]) =>
    change === 'unchanged'
      ? 'is unchanged'
      : `will be ${change}d${changes.length ? ` (${changes.join(', ')})` : ''}`;
  return diffs
    .flatMap((diff) => [
      `${diff.resource}: runtime ${diff.runtimeName} ${phrase(diff.runtime, diff.changes)}`,
      ...diff.endpoints.map((e) => `  endpoint ${e.name} ${phrase(e.change, e.changes)}`),
    ])
    .join('\n');
}
