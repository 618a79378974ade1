/** Taking the lease for a new rollout, and recognising a rollout whose run is gone. */
import { randomBytes } from 'node:crypto';
import type { Endpoint } from '../agentrun/api.js';
import { AgentRunError } from '../agentrun/errors.js';
import { SERVICE } from '../agentrun/service.js';
import { waitForEndpoint } from '../agentrun/wait.js';
import { InputError } from '../inputs.js';
import { deleteEndpoint } from '../preview/remove.js';
import type { RolloutContext } from './context.js';
import { leaseDescription, leaseHeld, readLease, type Lease } from './lease.js';
import { Phase, type RolloutMarker } from './marker.js';
import type { RecordedGates } from './recorded.js';

const MAX_ROUNDS = 4;

/**
 * Whether the run driving a progressing rollout is gone: its stage started longer ago than the bake and
 * an endpoint write take. Only `advance` and `rollback` take such a rollout over.
 */
export function holderGone(ctx: RolloutContext, marker: RolloutMarker): boolean {
  return (
    marker.phase !== Phase.progressing ||
    ctx.clock.now() >= marker.since + ctx.options.intervalMs + ctx.wait.timeoutMs
  );
}

/** A rollout could not start: another one holds the agent. */
export class RolloutRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutRefused';
  }
}

/** What holds the lease when this run could not take it. */
export interface LeaseHolder {
  lease?: Lease;
  marker?: RolloutMarker;
}

/**
 * Takes the lease for a new rollout: deletes a released candidate endpoint, then creates it afresh with
 * this run's lease, pointing at `version` until the candidate is published. Resolves to the endpoint,
 * or to the holder when another rollout has it.
 */
export async function takeLease(
  ctx: RolloutContext,
  lease: Lease,
  version: string,
  marker: () => Promise<RolloutMarker | undefined>,
): Promise<{ endpoint: Endpoint } | { holder: LeaseHolder }> {
  const description = leaseDescription(lease);
  if (description.length > SERVICE.limits.description.maxLength) {
    throw new InputError(
      `The rollout records its gate settings on endpoint ${ctx.options.canaryEndpoint}, whose description holds ${SERVICE.limits.description.maxLength} characters; these need ${description.length}. Shorten gate-command (a script file), probe-body or gate-logs-query.`,
    );
  }
  const name = ctx.options.canaryEndpoint;
  // A released endpoint is deleted in one round, and the create that decides follows in the next.
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const existing = (await ctx.api.listEndpoints(ctx.runtimeId)).find(
      (e) => e.agentRuntimeEndpointName === name,
    );
    if (existing) {
      const held = readLease(existing.description);
      const production = await marker();
      if (leaseHeld(held, production) || round === MAX_ROUNDS) {
        return { holder: { lease: held, marker: production } };
      }
      ctx.logger.info(`Endpoint ${name} is left from an ended rollout: deleting it to start a new one.`);
      await deleteEndpoint(ctx.api, ctx.runtimeId, existing.agentRuntimeEndpointId, {
        clock: ctx.clock,
        timeoutMs: ctx.wait.timeoutMs,
      });
      continue;
    }
    let created: Endpoint;
    try {
      created = await ctx.api.createEndpoint(ctx.runtimeId, {
        agentRuntimeEndpointName: name,
        description,
        targetVersion: version,
      });
    } catch (error) {
      if (error instanceof AgentRunError && error.kind === 'Conflict') continue;
      throw error;
    }
    // A create retried after a lost answer finds the endpoint by name: it must be this run's.
    if (created.description !== description) continue;
    return {
      endpoint: await waitForEndpoint(ctx.api, ctx.runtimeId, created.agentRuntimeEndpointId, ctx.wait),
    };
  }
  // Every round lost to endpoints that came and went: someone else is starting rollouts right now.
  const production = await marker();
  return { holder: { marker: production } };
}

/** A fresh lease for this run. */
export function newLease(ctx: RolloutContext, gates: RecordedGates): Lease {
  return {
    owner: ctx.owner,
    start: Math.floor(ctx.clock.now() / 1000) * 1000,
    token: randomBytes(4).toString('hex'),
    gates,
  };
}

/** Gives up a lease this run took but did not use (the rollout never began). */
export async function dropLease(ctx: RolloutContext, endpoint: Endpoint): Promise<void> {
  await deleteEndpoint(ctx.api, ctx.runtimeId, endpoint.agentRuntimeEndpointId, {
    clock: ctx.clock,
    timeoutMs: ctx.wait.timeoutMs,
  });
}
