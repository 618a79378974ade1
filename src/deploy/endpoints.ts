import type { AgentRunApi, Endpoint } from '../agentrun/api.js';
import { changedFields } from '../agentrun/compare.js';
import type { EndpointInput } from '../plan/types.js';
import {
  isEndpointServing,
  isFailed,
  WaitError,
  waitForEndpoint,
  waitForRuntime,
  type WaitOptions,
} from '../agentrun/wait.js';
import { retryingRaces } from './races.js';
import { endpointBody, type RoutingHold } from './routing.js';

export interface EndpointResult {
  endpoint: Endpoint;
  action: 'created' | 'updated' | 'unchanged';
  /** Why the deployed traffic split was kept rather than set from the s.yaml. */
  heldBy?: string;
}

const BUSY = new Set(['CREATING', 'UPDATING']);

/**
 * Makes each endpoint of the s.yaml exist as written. Endpoints that are not in the s.yaml are left
 * alone: they may belong to a pull-request preview or a canary in progress.
 */
export async function reconcileEndpoints(
  client: AgentRunApi,
  runtimeId: string,
  desired: readonly EndpointInput[],
  wait: WaitOptions,
  hold: RoutingHold,
): Promise<EndpointResult[]> {
  if (desired.length === 0) return [];
  let existing = await client.listEndpoints(runtimeId);
  const results: EndpointResult[] = [];
  for (const input of desired) {
    const named = () =>
      existing.find((endpoint) => endpoint.agentRuntimeEndpointName === input.agentRuntimeEndpointName);
    results.push(
      await retryingRaces(
        ['Conflict', 'Busy'],
        () => reconcileEndpoint(client, runtimeId, input, named(), wait, hold),
        // Another job created or changed it between our listing and our write: list again and bring
        // what is there to the file, waiting first for an operation still running on it. Endpoint
        // changes are refused while the runtime is busy too, e.g. with another job's update.
        async (error) => {
          if (error.kind === 'Busy') await settled(client, runtimeId, wait);
          existing = await client.listEndpoints(runtimeId);
        },
      ),
    );
  }
  return results;
}

/** Waits out an operation on the runtime; one that ends failed still takes endpoint changes. */
async function settled(client: AgentRunApi, runtimeId: string, wait: WaitOptions): Promise<void> {
  await waitForRuntime(client, runtimeId, wait).catch((error: unknown) => {
    if (!(error instanceof WaitError) || error.timedOut) throw error;
  });
}

async function reconcileEndpoint(
  client: AgentRunApi,
  runtimeId: string,
  input: EndpointInput,
  found: Endpoint | undefined,
  wait: WaitOptions,
  hold: RoutingHold,
): Promise<EndpointResult> {
  if (!found) {
    const created = await client.createEndpoint(runtimeId, input);
    return {
      endpoint: await waitForEndpoint(client, runtimeId, created.agentRuntimeEndpointId, wait),
      action: 'created',
    };
  }
  // One still busy from another job or an interrupted run is waited for before it is compared.
  const current = BUSY.has(found.status ?? '')
    ? await waitForEndpoint(client, runtimeId, found.agentRuntimeEndpointId, wait).catch((error: unknown) => {
        // Ended failed: repaired below. Still busy after `wait-timeout`: report that, not a 409.
        if (error instanceof WaitError && !error.timedOut) {
          return client.getEndpoint(runtimeId, found.agentRuntimeEndpointId);
        }
        throw error;
      })
    : found;
  const { body, heldBy } = endpointBody(input, current, hold);
  // A failed endpoint may match the file yet serve nothing; applying it again is the only repair.
  if (changedFields(body, current).length > 0 || isFailed(current.status)) {
    await client.updateEndpoint(runtimeId, current.agentRuntimeEndpointId, body);
    return {
      endpoint: await waitForEndpoint(client, runtimeId, current.agentRuntimeEndpointId, wait),
      action: 'updated',
      heldBy,
    };
  }
  const endpoint = isEndpointServing(current)
    ? current
    : await waitForEndpoint(client, runtimeId, current.agentRuntimeEndpointId, wait);
  return { endpoint, action: 'unchanged', heldBy };
}
