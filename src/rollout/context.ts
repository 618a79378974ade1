/** What every rollout step runs with, and how it reads the rollout back from the platform. */
import type { AgentRunApi, Endpoint } from '../agentrun/api.js';
import { SERVICE } from '../agentrun/service.js';
import { waitForEndpoint, type WaitOptions } from '../agentrun/wait.js';
import type { Logger } from '../log.js';
import type { Clock } from '../system/clock.js';
import type { CommandRunner } from '../system/runner.js';
import { readLease, type Lease } from './lease.js';
import { readMarker, type RolloutMarker } from './marker.js';
import type { RolloutOptions } from './options.js';
import type { ErrorLogSource } from './providers/provider.js';
import type { RolloutReport } from './report.js';

/** Everything a rollout step needs: one runtime's endpoints, the options, and the outside world. */
export interface RolloutContext {
  api: AgentRunApi;
  runtimeId: string;
  runtimeName: string;
  productionEndpoint: string;
  options: RolloutOptions;
  clock: Clock;
  logger: Logger;
  wait: WaitOptions & { timeoutMs: number };
  runner: CommandRunner;
  /** Where `gate-command` runs, and the environment it inherits. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The workflow run this is (see runOwner): what a lease and the marker name. */
  owner: string;
  /** The candidate's error lines in the runtime's logstore, for the error-log gate. */
  errorLogs?: ErrorLogSource;
}

/** A rollout that ended rolled back: the job fails, with the report attached. */
export class RolloutError extends Error {
  constructor(readonly report: RolloutReport) {
    super(
      `Canary of version ${report.candidate} rolled back: ${report.reason} Production serves ${report.serving}.`,
    );
    this.name = 'RolloutError';
  }
}

/** The production endpoint and the rollout marker it carries; the candidate endpoint's lease. */
export interface RolloutState {
  endpoint: Endpoint;
  marker?: RolloutMarker;
  lease?: Lease;
}

export async function readRollout(ctx: RolloutContext): Promise<RolloutState> {
  const endpoints = await ctx.api.listEndpoints(ctx.runtimeId);
  const named = (name: string) => endpoints.find((e) => e.agentRuntimeEndpointName === name);
  const endpoint = named(ctx.productionEndpoint);
  if (!endpoint) {
    throw new Error(
      `Agent runtime ${ctx.runtimeName} has no endpoint ${ctx.productionEndpoint} to roll out to.`,
    );
  }
  return {
    endpoint,
    marker: readMarker(endpoint.description),
    lease: readLease(named(ctx.options.canaryEndpoint)?.description),
  };
}

/**
 * The rollout once no write to the production endpoint is running: a command issued while another run
 * moves a stage acts on the stage that run wrote, and does not collide with it.
 */
export async function settledRollout(ctx: RolloutContext): Promise<RolloutState> {
  const state = await readRollout(ctx);
  const busy: readonly string[] = SERVICE.busyStatuses;
  if (!busy.includes(state.endpoint.status ?? '')) return state;
  await waitForEndpoint(ctx.api, ctx.runtimeId, state.endpoint.agentRuntimeEndpointId, ctx.wait);
  return readRollout(ctx);
}
