import type { AgentRunApi } from '../agentrun/api.js';
import { changedFields } from '../agentrun/compare.js';
import type { DeployTarget } from '../plan/types.js';
import type { TargetCode } from './code.js';
import { endpointBody, fileDecides } from './routing.js';
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
}

/** Compares one target (and its code's fingerprint) with the deployed runtime and endpoints. */
export async function diffTarget(
  client: AgentRunApi,
  target: DeployTarget,
  code: Pick<TargetCode, 'id'>,
): Promise<ResourceDiff> {
  const desired = desiredRuntime(target.runtime, code, target.workspace);
  const current = await client.findRuntime(desired.body.agentRuntimeName, target.workspace);
  const deployed = current ? await client.listEndpoints(current.agentRuntimeId) : [];
  const versions = current ? await client.listVersions(current.agentRuntimeId) : [];
  const changes = current ? runtimeChanges(desired, current, newest(versions)) : [];
  return {
    resource: target.resource,
    runtimeName: desired.body.agentRuntimeName,
    runtime: !current ? 'create' : changes.length ? 'update' : 'unchanged',
    changes,
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
