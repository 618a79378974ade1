import type { AgentRunClient } from '../agentrun/client.js';
import type { AgentRuntimeEndpoint, AgentRuntimeEndpointInput } from '../agentrun/types.js';
import { isEndpointServing, isFailed, waitForEndpoint, type WaitOptions } from '../agentrun/wait.js';
import { changedFields } from './compare.js';

export interface EndpointResult {
  endpoint: AgentRuntimeEndpoint;
  action: 'created' | 'updated' | 'unchanged';
}

/**
 * Makes each endpoint of the s.yaml exist as written. Endpoints that are not in the s.yaml are left
 * alone: they may belong to a pull-request preview or a canary in progress.
 */
export async function reconcileEndpoints(
  client: AgentRunClient,
  runtimeId: string,
  desired: readonly AgentRuntimeEndpointInput[],
  wait: WaitOptions,
): Promise<EndpointResult[]> {
  if (desired.length === 0) return [];
  const existing = await client.listEndpoints(runtimeId);
  const results: EndpointResult[] = [];
  for (const input of desired) {
    const current = existing.find(
      (endpoint) => endpoint.agentRuntimeEndpointName === input.agentRuntimeEndpointName,
    );
    let endpoint: AgentRuntimeEndpoint;
    let action: EndpointResult['action'];
    if (!current) {
      endpoint = await client.createEndpoint(runtimeId, input);
      action = 'created';
    } else if (changedFields(input, { ...current }).length > 0 || isFailed(current.status)) {
      // A failed endpoint matches the file yet serves nothing; applying it again is the only repair.
      endpoint = await client.updateEndpoint(runtimeId, current.agentRuntimeEndpointId, input);
      action = 'updated';
    } else {
      endpoint = current;
      action = 'unchanged';
    }
    if (action !== 'unchanged' || !isEndpointServing(endpoint)) {
      endpoint = await waitForEndpoint(client, runtimeId, endpoint.agentRuntimeEndpointId, wait);
    }
    results.push({ endpoint, action });
  }
  return results;
}
