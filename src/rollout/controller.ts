/**
 * The staged canary's commands: a bounded state machine over the production endpoint, each command a
 * few calls of the one tick in step.ts. Rollback and abort take precedence: a running rollout re-reads
 * the marker before every step and stops when someone else changed it.
 */
import type { Endpoint } from '../agentrun/api.js';
import { LATEST } from '../agentrun/model.js';
import { waitForEndpoint } from '../agentrun/wait.js';
import { readRollout, settledRollout, type RolloutContext, type RolloutState } from './context.js';
import { leaseDescription, type Lease } from './lease.js';
import { inProgress, Phase, type RolloutMarker } from './marker.js';
import { withRecordedGates } from './recorded.js';
import { reportOf, statusText, type RolloutReport, type StageReport } from './report.js';
import { describeSplit, promotionTarget } from './stages.js';
import { rollBack, rollingBackOnError, rolloutRun, stepRollout, writeProduction } from './step.js';
import { holderGone } from './take.js';

/** The window probed when a stage's bake has already elapsed (resume, `advance`, `promote`). */
const CHECK_WINDOW_MS = 30_000;

/** Never longer than the rollout's own bake: a check is a fresh look, not a second bake. */
const checkWindow = (ctx: RolloutContext) => Math.min(ctx.options.intervalMs, CHECK_WINDOW_MS);

/**
 * The context a command acts on a recorded rollout with: the gates the rollout began with (recorded
 * with its lease), overridden by this run's explicit inputs.
 */
export async function recordedContext(ctx: RolloutContext): Promise<RolloutContext> {
  const { lease } = await readRollout(ctx);
  if (!lease) return ctx;
  return { ...ctx, options: withRecordedGates(ctx.options, lease.gates, ctx.logger) };
}

/**
 * Starts a rollout of `candidate` under `lease`: the candidate endpoint (the lease) serves it alone,
 * then production moves to the first stage. Returns the marker written.
 */
export async function beginRollout(
  ctx: RolloutContext,
  lease: { endpoint: Endpoint; lease: Lease },
  stable: string,
  candidate: string,
): Promise<RolloutMarker> {
  const name = ctx.options.canaryEndpoint;
  await ctx.api.updateEndpoint(ctx.runtimeId, lease.endpoint.agentRuntimeEndpointId, {
    agentRuntimeEndpointName: name,
    description: leaseDescription({ ...lease.lease, candidate }),
    targetVersion: candidate,
  });
  const ready = await waitForEndpoint(
    ctx.api,
    ctx.runtimeId,
    lease.endpoint.agentRuntimeEndpointId,
    ctx.wait,
  );
  ctx.logger.info(`Endpoint ${name} serves version ${candidate} alone: ${ready.endpointPublicUrl}`);
  const { endpoint } = await readRollout(ctx);
  const marker: RolloutMarker = {
    phase: ctx.options.mode === 'manual' ? Phase.paused : Phase.progressing,
    candidate,
    stable,
    stage: 0,
    steps: ctx.options.steps,
    since: ctx.clock.now(),
    owner: ctx.owner,
  };
  await writeProduction(ctx, endpoint, marker);
  return marker;
}

/**
 * Runs the rollout from the marker's stage: bakes each stage under the gates and moves on, to the
 * end (auto) or until the first stage has baked (manual). A failed gate rolls back and throws.
 */
export async function driveRollout(
  ctx: RolloutContext,
  start: RolloutMarker,
  firstWindowMs?: number,
): Promise<RolloutReport> {
  const run = rolloutRun(ctx, start);
  const stages: StageReport[] = [];
  let marker = start;
  let window = firstWindowMs;
  return rollingBackOnError(
    ctx,
    () => run.at,
    stages,
    async () => {
      for (;;) {
        // A resumed stage bakes what is left of it, and never less than a fresh check window.
        const remaining = marker.since + ctx.options.intervalMs - ctx.clock.now();
        const tick = await stepRollout(
          run,
          marker,
          window ?? Math.max(remaining, checkWindow(ctx)),
          stages,
          false,
        );
        window = undefined;
        if ('done' in tick) return tick.done;
        marker = tick.next;
      }
    },
  );
}

/**
 * `advance`: once the stage's bake has elapsed, checks the gates on a fresh window and moves one stage;
 * the move to the last stage (100%) is the promotion. Before the bake has elapsed, or while the run
 * that drives the rollout is alive, it reports why and changes nothing.
 */
export async function advanceRollout(ctx: RolloutContext): Promise<RolloutReport> {
  const { marker } = await requireRollout(ctx);
  const stay = (reason: string) => reportOf(ctx.runtimeName, marker, [], reason);
  if (marker.phase === Phase.aborted)
    return stay('The rollout was aborted: only promote or rollback move it.');
  const remaining = marker.since + ctx.options.intervalMs - ctx.clock.now();
  if (remaining > 0) return stay(`Stage ${marker.stage + 1} bakes ${Math.ceil(remaining / 1000)} s more.`);
  if (marker.owner !== ctx.owner && !holderGone(ctx, marker)) {
    return stay(
      `Workflow run ${marker.owner ?? 'unknown'} drives the rollout; advance takes over only once it is gone.`,
    );
  }
  const stages: StageReport[] = [];
  const run = rolloutRun(ctx, marker);
  return rollingBackOnError(
    ctx,
    () => run.at,
    stages,
    async () => {
      const tick = await stepRollout(run, marker, checkWindow(ctx), stages, true);
      if ('done' in tick) return tick.done;
      throw new Error('A single advance moves at most one stage.');
    },
  );
}

/**
 * `promote`: moves to the stage `promote-to` names (next, a percent — added as a stage if it is not
 * one — or full) and checks it on a fresh window; 100% finishes the rollout.
 */
export async function promoteRollout(ctx: RolloutContext): Promise<RolloutReport> {
  const { marker: from, endpoint } = await requireRollout(ctx);
  const to = ctx.options.promoteTo;
  const steps =
    typeof to === 'number' && !from.steps.includes(to)
      ? [...from.steps, to].sort((a, b) => a - b)
      : from.steps;
  const stage = promotionTarget(steps, steps.indexOf(from.steps[from.stage]!), to);
  ctx.logger.info(`Promoting version ${from.candidate} from ${from.steps[from.stage]}% to ${steps[stage]}%.`);
  const marker: RolloutMarker = {
    ...from,
    phase: Phase.paused,
    steps,
    stage,
    since: ctx.clock.now(),
    owner: ctx.owner,
  };
  await rollingBackOnError(
    ctx,
    () => from,
    [],
    async () => {
      await writeProduction(ctx, endpoint, marker);
      return reportOf(ctx.runtimeName, marker, [], 'Promoted.');
    },
  );
  return driveRollout(ctx, marker, checkWindow(ctx));
}

/** `rollback`: production back to the stable version alone; also reverts a finished promotion. */
export async function rollbackRollout(ctx: RolloutContext): Promise<RolloutReport> {
  const state = await settledRollout(ctx);
  const marker = state.marker;
  if (!marker || (!inProgress(marker) && marker.phase !== Phase.promoted)) {
    throw new Error(
      `There is no rollout of ${ctx.runtimeName} to roll back on endpoint ${ctx.productionEndpoint}.`,
    );
  }
  return rollBack(ctx, state, marker, [], [], 'Rolled back on request.');
}

/** `abort`: stops the rollout where it is; the weights stay as they are. */
export async function abortRollout(ctx: RolloutContext): Promise<RolloutReport> {
  const { marker, endpoint } = await requireRollout(ctx);
  const aborted = { ...marker, phase: Phase.aborted, since: ctx.clock.now(), owner: ctx.owner };
  await writeProduction(ctx, endpoint, aborted);
  return reportOf(
    ctx.runtimeName,
    aborted,
    [],
    'Aborted on request: the weights stay; promote or rollback move it on.',
  );
}

/** `status`: the rollout as the platform holds it. */
export async function rolloutStatus(ctx: RolloutContext): Promise<{ text: string; marker?: RolloutMarker }> {
  const { endpoint, marker, lease } = await readRollout(ctx);
  const split = describeSplit({
    targetVersion: endpoint.targetVersion ?? LATEST,
    routingConfiguration: endpoint.routingConfiguration,
  });
  const about = {
    runtime: ctx.runtimeName,
    production: ctx.productionEndpoint,
    split,
    now: ctx.clock.now(),
    intervalMs: ctx.options.intervalMs,
  };
  return { text: statusText(about, marker, lease), marker };
}

async function requireRollout(ctx: RolloutContext): Promise<RolloutState & { marker: RolloutMarker }> {
  const state = await settledRollout(ctx);
  if (!state.marker || !inProgress(state.marker)) {
    throw new Error(
      `There is no rollout of ${ctx.runtimeName} in progress on endpoint ${ctx.productionEndpoint}.`,
    );
  }
  return { ...state, marker: state.marker };
}
