import type { AgentRunApi } from '../agentrun/api.js';
import { AgentRunError } from '../agentrun/errors.js';
import type { Clock } from '../system/clock.js';
import type { DeployTarget } from '../plan/types.js';
import { previewEndpointName, previewRuntimeName } from './names.js';

export interface RemoveOptions {
  pr: number;
  endpointPattern: string;
  api(region: string): AgentRunApi;
  clock: Clock;
  timeoutMs: number;
}

/** What a cleanup removed for one resource. */
export interface Removal {
  target: DeployTarget;
  /** What was removed, as the log names it: `endpoint pr-2 of agent`, `runtime agent-pr-2`. */
  removed: string[];
  /** The runtime the preview ran in: its own `<name>-pr-<n>` when it had one, else the agent's. */
  runtimeName: string;
}

const POLL_MS = 1_000;

/**
 * Removes a PR's preview of each resource, in whichever mode it was deployed: the preview endpoint on
 * the agent's runtime, and the separate preview runtime with its endpoints. What is already gone is
 * skipped, so a re-run after a partial cleanup finishes it.
 */
export async function removePreviews(
  targets: readonly DeployTarget[],
  options: RemoveOptions,
): Promise<Removal[]> {
  const removals: Removal[] = [];
  for (const target of targets) {
    const client = options.api(target.region);
    const removed: string[] = [];
    const endpointName = previewEndpointName(options.endpointPattern, options.pr);
    const runtime = await client.findRuntime(target.runtime.agentRuntimeName);
    if (runtime) {
      const endpoint = (await client.listEndpoints(runtime.agentRuntimeId)).find(
        (e) => e.agentRuntimeEndpointName === endpointName,
      );
      if (endpoint) {
        await deleteEndpoint(client, runtime.agentRuntimeId, endpoint.agentRuntimeEndpointId, options);
        removed.push(`endpoint ${endpointName} of ${runtime.agentRuntimeName}`);
      }
    }
    const preview = await client.findRuntime(previewRuntimeName(target.runtime.agentRuntimeName, options.pr));
    let runtimeName = target.runtime.agentRuntimeName;
    if (preview) {
      runtimeName = preview.agentRuntimeName;
      for (const endpoint of await client.listEndpoints(preview.agentRuntimeId)) {
        await deleteEndpoint(client, preview.agentRuntimeId, endpoint.agentRuntimeEndpointId, options);
      }
      await ignoringNotFound(client.deleteRuntime(preview.agentRuntimeId));
      await waitGone(
        () => client.getRuntime(preview.agentRuntimeId),
        `runtime ${preview.agentRuntimeName}`,
        options,
      );
      removed.push(`runtime ${preview.agentRuntimeName}`);
    }
    removals.push({ target, removed, runtimeName });
  }
  return removals;
}

/** Deletes an endpoint and waits until it is gone; one already gone is no error. */
export async function deleteEndpoint(
  client: AgentRunApi,
  runtimeId: string,
  endpointId: string,
  options: Pick<RemoveOptions, 'clock' | 'timeoutMs'>,
): Promise<void> {
  await ignoringNotFound(client.deleteEndpoint(runtimeId, endpointId));
  await waitGone(() => client.getEndpoint(runtimeId, endpointId), `endpoint ${endpointId}`, options);
}

async function ignoringNotFound(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof AgentRunError && error.kind === 'NotFound')) throw error;
  }
}

/** Deletes are asynchronous: polls until the resource is gone (a runtime keeps its endpoints until then). */
async function waitGone(
  get: () => Promise<{ status?: string; statusReason?: string }>,
  what: string,
  { clock, timeoutMs }: Pick<RemoveOptions, 'clock' | 'timeoutMs'>,
): Promise<void> {
  const start = clock.now();
  for (;;) {
    let status: string | undefined;
    try {
      const found = await get();
      status = found.status;
      if (status === 'DELETE_FAILED')
        throw new Error(`Deleting ${what} failed: ${found.statusReason ?? 'no reason given'}`);
    } catch (error) {
      if (error instanceof AgentRunError && error.kind === 'NotFound') return;
      throw error;
    }
    if (clock.now() - start >= timeoutMs)
      throw new Error(`${what} is still ${status ?? 'there'} after the timeout.`);
    await clock.sleep(POLL_MS);
  }
}
