/**
 * One tick of the rollout, written once: bake the stage under the gates, read the platform again,
 * judge, then move to the next stage, finish, or roll back. `drive` loops over it; `advance` calls it
 * once. Each transition is one endpoint write carrying both the routing and the marker that explains
 * it, so the platform always holds a state any later run can resume from.
 */
import type { Endpoint } from '../agentrun/api.js';
import { waitForEndpoint } from '../agentrun/wait.js';
import {
  RolloutError,
  readRollout,
  settledRollout,
  type RolloutContext,
  type RolloutState,
} from './context.js';
import { describeGate, type GateResult } from './gates.js';
import { inProgress, Phase, writeMarker, type RolloutMarker } from './marker.js';
import { probeEndpoint, type ProbeSample } from './probe.js';
import { gateProviders } from './providers/index.js';
import type { GateProvider } from './providers/provider.js';
import { reportOf, routingOf, type RolloutReport, type StageReport } from './report.js';
import { describeSplit } from './stages.js';

/** A rollout run: the context, the gate providers built once for it, and where it is. */
export interface RolloutRun {
  ctx: RolloutContext;
  providers: GateProvider[];
  /** The stage the run bakes, or is moving to: what an error on the way is reported at. */
  at: RolloutMarker;
}

export function rolloutRun(ctx: RolloutContext, at: RolloutMarker): RolloutRun {
  return { ctx, providers: gateProviders(ctx.options, ctx), at };
}

/** What a tick leads to: the run's end, or the next stage to bake. */
export type Tick = { done: RolloutReport } | { next: RolloutMarker };

/**
 * Bakes `marker`'s stage for `windowMs` and acts on the verdict. `once` (advance) moves at most one
 * stage and treats the move to the last stage as the promotion; otherwise (drive) a rollout not
 * progressing on its own pauses after its stage.
 */
export async function stepRollout(
  run: RolloutRun,
  marker: RolloutMarker,
  windowMs: number,
  stages: StageReport[],
  once: boolean,
): Promise<Tick> {
  const { ctx } = run;
  run.at = marker;
  const stage = await bakeStage(run, marker, windowMs);
  stages.push(stage);
  const current = await readRollout(ctx);
  if (!sameRollout(current.marker, marker)) return { done: interrupted(ctx, marker, current, stages) };
  if (stage.verdict === 'failed') return failStage(ctx, current, marker, stages, stage.gates);
  const last = marker.steps.length - 1;
  if (marker.stage === last) return { done: await finish(ctx, current.endpoint, marker, stages) };
  const next = { ...marker, stage: marker.stage + 1, since: ctx.clock.now(), owner: ctx.owner };
  if (!once && marker.phase !== Phase.progressing) {
    return { done: reportOf(ctx.runtimeName, marker, stages, 'Waiting for promote or advance.') };
  }
  run.at = next;
  if (once && next.stage === last) return { done: await finish(ctx, current.endpoint, next, stages) };
  await writeProduction(ctx, current.endpoint, next);
  if (!once) return { next };
  return {
    done: reportOf(
      ctx.runtimeName,
      next,
      stages,
      `Moved to stage ${next.stage + 1}; the next advance after its bake.`,
    ),
  };
}

/** Probes both endpoints for `windowMs` at the marker's stage, then asks every gate provider. */
async function bakeStage(run: RolloutRun, marker: RolloutMarker, windowMs: number): Promise<StageReport> {
  const { ctx } = run;
  const endpoints = await ctx.api.listEndpoints(ctx.runtimeId);
  const urlOf = (name: string) => {
    const url = endpoints.find((e) => e.agentRuntimeEndpointName === name)?.endpointPublicUrl;
    if (!url) throw new Error(`Endpoint ${name} of ${ctx.runtimeName} has no public URL to probe.`);
    return url;
  };
  const candidateUrl = urlOf(ctx.options.canaryEndpoint);
  const productionUrl = urlOf(ctx.productionEndpoint);
  const weight = marker.steps[marker.stage]!;
  const { gates: limits, probe } = ctx.options;
  ctx.logger.info(
    `Stage ${marker.stage + 1}/${marker.steps.length}: ${weight}% on version ${marker.candidate}; probing for ${(windowMs / 1000).toFixed(1)} s at ${probe.rps}/s per endpoint`,
  );
  // Once one endpoint has failed too often in a row the stage has failed: stop both early.
  let failedEarly = false;
  const stop = (samples: readonly ProbeSample[]) => {
    let run = 0;
    for (const sample of samples) if (sample) run = sample.ok ? 0 : run + 1;
    failedEarly ||= run >= limits.maxConsecutiveFailures;
    return failedEarly;
  };
  const from = new Date(ctx.clock.now());
  const [candidate, production] = await Promise.all([
    probeEndpoint('candidate', candidateUrl, probe, windowMs, ctx.clock, stop),
    probeEndpoint('production', productionUrl, probe, windowMs, ctx.clock, stop),
  ]);
  const window = {
    from,
    to: new Date(ctx.clock.now()),
    runtime: ctx.runtimeName,
    marker,
    weight,
    candidateUrl,
    productionUrl,
    probes: { candidate, production },
  };
  const gates: GateResult[] = [];
  for (const provider of run.providers)
    gates.push(...(await provider.evaluate({ ...window, earlier: gates })));
  const verdict = gates.every((g) => g.passed) ? 'passed' : 'failed';
  for (const s of [candidate, production]) {
    ctx.logger.info(
      `  ${s.endpoint}: ${s.count} probes, ${(s.successRate * 100).toFixed(1)}% ok, p50 ${Math.round(s.p50Ms)} ms, p95 ${Math.round(s.p95Ms)} ms, ${s.maxConsecutiveFailures} failures in a row at most`,
    );
  }
  for (const gate of gates.filter((g) => g.skipped)) ctx.logger.info(`  ${describeGate(gate)}`);
  ctx.logger.info(`  stage ${marker.stage + 1}: ${verdict}`);
  return {
    stage: marker.stage + 1,
    weight,
    bakeMs: windowMs,
    probes: [candidate, production],
    gates,
    verdict,
  };
}

/** Writes the routing of the marker's stage (or its end state) together with the marker. */
export async function writeProduction(
  ctx: RolloutContext,
  endpoint: Endpoint,
  marker: RolloutMarker,
): Promise<Endpoint> {
  const routing = routingOf(marker);
  await ctx.api.updateEndpoint(ctx.runtimeId, endpoint.agentRuntimeEndpointId, {
    agentRuntimeEndpointName: endpoint.agentRuntimeEndpointName,
    description: writeMarker(endpoint.description, marker),
    targetVersion: routing.targetVersion,
    routingConfiguration: routing.routingConfiguration,
  });
  const written = await waitForEndpoint(ctx.api, ctx.runtimeId, endpoint.agentRuntimeEndpointId, ctx.wait);
  ctx.logger.info(
    `Production endpoint ${ctx.productionEndpoint}: ${describeSplit(routing)} (${marker.phase})`,
  );
  return written;
}

function sameRollout(now: RolloutMarker | undefined, before: RolloutMarker): boolean {
  return now?.candidate === before.candidate && now.phase === before.phase && now.stage === before.stage;
}

/** Production back to stable with no weights; the candidate endpoint is left for debugging. */
export async function rollBack(
  ctx: RolloutContext,
  state: RolloutState,
  marker: RolloutMarker,
  stages: StageReport[],
  failed: GateResult[],
  reason: string,
): Promise<RolloutReport> {
  const rolledBack: RolloutMarker = { ...marker, phase: Phase.rolledBack, reason, owner: ctx.owner };
  await writeProduction(ctx, state.endpoint, rolledBack);
  return reportOf(ctx.runtimeName, rolledBack, stages, reason, failed);
}

/** A stage failed its gates: roll back, and fail the run with the report naming each gate and endpoint. */
async function failStage(
  ctx: RolloutContext,
  state: RolloutState,
  marker: RolloutMarker,
  stages: StageReport[],
  gates: readonly GateResult[],
): Promise<never> {
  const failed = gates.filter((g) => !g.passed);
  const reason = `Stage ${marker.stage + 1} (${marker.steps[marker.stage]}%) failed ${failed.map(describeGate).join('; ')}.`;
  throw new RolloutError(await rollBack(ctx, state, marker, stages, failed, reason));
}

async function finish(
  ctx: RolloutContext,
  endpoint: Endpoint,
  marker: RolloutMarker,
  stages: StageReport[],
): Promise<RolloutReport> {
  const promoted = { ...marker, phase: Phase.promoted, since: ctx.clock.now(), owner: ctx.owner };
  await writeProduction(ctx, endpoint, promoted);
  return reportOf(ctx.runtimeName, promoted, stages, 'Every stage passed its gates.');
}

/** Someone else moved the rollout (abort, rollback, promote) while this run baked: theirs stands. */
export function interrupted(
  ctx: RolloutContext,
  marker: RolloutMarker,
  current: RolloutState,
  stages: StageReport[],
): RolloutReport {
  const now = current.marker ?? marker;
  return reportOf(
    ctx.runtimeName,
    now,
    stages,
    `Another run changed the rollout to ${now.phase}; this run stopped.`,
  );
}

/**
 * Runs a step that moves traffic. An error on the way (an API failure, an endpoint that never gets
 * ready) rolls production back to the stable version before it is reported, as a failed gate does —
 * unless another run has meanwhile ended or replaced the rollout.
 */
export async function rollingBackOnError(
  ctx: RolloutContext,
  marker: () => RolloutMarker,
  stages: StageReport[],
  step: () => Promise<RolloutReport>,
): Promise<RolloutReport> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof RolloutError) throw error;
    const at = marker();
    const message = error instanceof Error ? error.message : String(error);
    let report: RolloutReport;
    try {
      const state = await settledRollout(ctx);
      const now = state.marker;
      if (!now || now.candidate !== at.candidate || !inProgress(now)) throw error;
      // Another run aborted or promoted it meanwhile (and our write collided with theirs): theirs stands.
      if (now.phase !== at.phase) return interrupted(ctx, at, state, stages);
      const reason = `Error at stage ${at.stage + 1} (${at.steps[at.stage]}%): ${message}`;
      report = await rollBack(ctx, state, now, stages, [], reason);
    } catch (rollbackError) {
      if (rollbackError === error) throw error;
      throw new Error(
        `${message}\nRolling production back to version ${at.stable} failed too: ${(rollbackError as Error).message}. ` +
          'Run the rollback command once AgentRun answers again.',
      );
    }
    throw new RolloutError(report);
  }
}
