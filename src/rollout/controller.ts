/**
 * The staged canary: a bounded state machine over the production endpoint. Each transition is one
 * endpoint write carrying both the routing and the marker that explains it, so the platform always
 * holds a consistent state that any later run can resume from. Rollback and abort take precedence:
 * a running rollout re-reads the marker before every step and stops when someone else changed it.
 */
import type { AgentRunApi, Endpoint } from '../agentrun/api.js';
import { LATEST } from '../agentrun/model.js';
import { SERVICE } from '../agentrun/service.js';
import { waitForEndpoint, type WaitOptions } from '../agentrun/wait.js';
import type { Logger } from '../log.js';
import type { Clock } from '../system/clock.js';
import type { CommandRunner } from '../system/runner.js';
import { commandGate, evaluateGates, type GateResult } from './gates.js';
import { inProgress, Phase, readMarker, writeMarker, type RolloutMarker } from './marker.js';
import type { RolloutOptions } from './options.js';
import { probeEndpoint, type ProbeSample } from './probe.js';
import { CanaryResult, reportLines, type RolloutReport, type StageReport } from './report.js';
import { describeSplit, promotionTarget, routingAt, type Routing } from './stages.js';

/** Everything a rollout step needs: one runtime's endpoints, the options, and the outside world. */
export interface RolloutContext {
  api: AgentRunApi;
  runtimeId: string;
  runtimeName: string;
  productionEndpoint: string;
  options: RolloutOptions;
  clock: Clock;
  logger: Logger;
  wait: WaitOptions;
  runner: CommandRunner;
  /** Where `gate-command` runs, and the environment it inherits. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The candidate's decisive log line when a stage fails, if its runtime keeps logs. */
  diagnose?(version: string): Promise<string | undefined>;
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

/** The window probed when a stage's bake has already elapsed (resume, `advance`, `promote`). */
const CHECK_WINDOW_MS = 30_000;

const checkWindow = (ctx: RolloutContext) => Math.min(ctx.options.intervalMs, CHECK_WINDOW_MS);

/** The production endpoint and the rollout marker it carries. */
export interface RolloutState {
  endpoint: Endpoint;
  marker?: RolloutMarker;
}

export async function readRollout(ctx: RolloutContext): Promise<RolloutState> {
  const endpoint = (await ctx.api.listEndpoints(ctx.runtimeId)).find(
    (e) => e.agentRuntimeEndpointName === ctx.productionEndpoint,
  );
  if (!endpoint) {
    throw new Error(
      `Agent runtime ${ctx.runtimeName} has no endpoint ${ctx.productionEndpoint} to roll out to.`,
    );
  }
  return { endpoint, marker: readMarker(endpoint.description) };
}

/**
 * The rollout once no write to the production endpoint is running: a command issued while another run
 * moves a stage acts on the stage that run wrote, and does not collide with it.
 */
async function settledRollout(ctx: RolloutContext): Promise<RolloutState> {
  const state = await readRollout(ctx);
  const busy: readonly string[] = SERVICE.busyStatuses;
  if (!busy.includes(state.endpoint.status ?? '')) return state;
  await waitForEndpoint(ctx.api, ctx.runtimeId, state.endpoint.agentRuntimeEndpointId, ctx.wait);
  return readRollout(ctx);
}

/** The refusal when a different rollout holds production. */
export function describeInProgress(runtimeName: string, marker: RolloutMarker): string {
  return (
    `A rollout of ${runtimeName} is in progress: version ${marker.candidate} at ` +
    `${marker.steps[marker.stage]}% (stage ${marker.stage + 1}/${marker.steps.length}, ${marker.phase} since ` +
    `${new Date(marker.since).toISOString()}), stable version ${marker.stable}. ` +
    'Finish it with the promote, rollback or abort command first.'
  );
}

/**
 * Starts a rollout of `candidate`: the candidate-only endpoint serves it alone, then production moves
 * to the first stage. Returns the marker written.
 */
export async function beginRollout(
  ctx: RolloutContext,
  stable: string,
  candidate: string,
): Promise<RolloutMarker> {
  await pointCandidateEndpoint(ctx, candidate);
  const { endpoint } = await readRollout(ctx);
  const marker: RolloutMarker = {
    phase: ctx.options.mode === 'manual' ? Phase.paused : Phase.progressing,
    candidate,
    stable,
    stage: 0,
    steps: ctx.options.steps,
    since: ctx.clock.now(),
  };
  await writeProduction(ctx, endpoint, marker);
  return marker;
}

/** Makes the candidate-only endpoint (created if missing) route everything to `candidate`. */
async function pointCandidateEndpoint(ctx: RolloutContext, candidate: string): Promise<Endpoint> {
  const name = ctx.options.canaryEndpoint;
  const existing = (await ctx.api.listEndpoints(ctx.runtimeId)).find(
    (e) => e.agentRuntimeEndpointName === name,
  );
  const input = {
    agentRuntimeEndpointName: name,
    description: `Candidate-only endpoint of the canary rollout (version ${candidate})`,
    targetVersion: candidate,
    routingConfiguration: { versionWeights: [] },
  };
  const id = existing
    ? (await ctx.api.updateEndpoint(ctx.runtimeId, existing.agentRuntimeEndpointId, input),
      existing.agentRuntimeEndpointId)
    : (await ctx.api.createEndpoint(ctx.runtimeId, input)).agentRuntimeEndpointId;
  const ready = await waitForEndpoint(ctx.api, ctx.runtimeId, id, ctx.wait);
  ctx.logger.info(`Endpoint ${name} serves version ${candidate} alone: ${ready.endpointPublicUrl}`);
  return ready;
}

/** Writes the routing of the marker's stage (or its end state) together with the marker. */
async function writeProduction(
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

/** The routing a marker stands for. */
export function routingOf(marker: RolloutMarker): Routing {
  if (marker.phase === Phase.rolledBack) return routingAt(marker.stable, marker.candidate, 0);
  if (marker.phase === Phase.promoted) return routingAt(marker.stable, marker.candidate, 100);
  return routingAt(marker.stable, marker.candidate, marker.steps[marker.stage]!);
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
  const stages: StageReport[] = [];
  let marker = start;
  let window = firstWindowMs;
  return rollingBackOnError(
    ctx,
    () => marker,
    stages,
    async () => {
      for (;;) {
        // A resumed stage bakes what is left of it, and never less than a fresh check window.
        const remaining = marker.since + ctx.options.intervalMs - ctx.clock.now();
        const stage = await bakeStage(ctx, marker, window ?? Math.max(remaining, checkWindow(ctx)));
        window = undefined;
        stages.push(stage);
        const current = await readRollout(ctx);
        if (!sameRollout(current.marker, marker)) return interrupted(ctx, marker, current, stages);
        if (stage.verdict === 'failed') return failStage(ctx, current, marker, stages, stage.gates);
        if (marker.stage === marker.steps.length - 1) return finish(ctx, current.endpoint, marker, stages);
        if (marker.phase !== Phase.progressing) {
          return pause(ctx, marker, stages, 'Waiting for promote or advance.');
        }
        marker = { ...marker, stage: marker.stage + 1, since: ctx.clock.now() };
        await writeProduction(ctx, current.endpoint, marker);
      }
    },
  );
}

/**
 * `advance`: once the stage's bake has elapsed, checks the gates on a fresh window and moves one stage
 * (or finishes at the last); before that, reports the time left and changes nothing.
 */
export async function advanceRollout(ctx: RolloutContext): Promise<RolloutReport> {
  const state = await requireRollout(ctx);
  const marker = state.marker;
  if (marker.phase === Phase.aborted) {
    return pause(ctx, marker, [], 'The rollout was aborted: only promote or rollback move it.');
  }
  const remaining = marker.since + ctx.options.intervalMs - ctx.clock.now();
  if (remaining > 0) {
    return pause(ctx, marker, [], `Stage ${marker.stage + 1} bakes ${Math.ceil(remaining / 1000)} s more.`);
  }
  const stages: StageReport[] = [];
  return rollingBackOnError(
    ctx,
    () => marker,
    stages,
    async () => {
      const stage = await bakeStage(ctx, marker, checkWindow(ctx));
      stages.push(stage);
      const current = await readRollout(ctx);
      if (!sameRollout(current.marker, marker)) return interrupted(ctx, marker, current, stages);
      if (stage.verdict === 'failed') return failStage(ctx, current, marker, stages, stage.gates);
      if (marker.stage === marker.steps.length - 1) return finish(ctx, current.endpoint, marker, stages);
      const next = { ...marker, stage: marker.stage + 1, since: ctx.clock.now() };
      await writeProduction(ctx, current.endpoint, next);
      return pause(ctx, next, stages, `Moved to stage ${next.stage + 1}; the next advance after its bake.`);
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
  const marker: RolloutMarker = { ...from, phase: Phase.paused, steps, stage, since: ctx.clock.now() };
  await rollingBackOnError(
    ctx,
    () => from,
    [],
    async () => {
      await writeProduction(ctx, endpoint, marker);
      return pause(ctx, marker, [], 'Promoted.');
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
  const aborted = { ...marker, phase: Phase.aborted };
  await writeProduction(ctx, endpoint, aborted);
  return pause(ctx, aborted, [], 'Aborted on request: the weights stay; promote or rollback move it on.');
}

/** `status`: the rollout as the platform holds it. */
export async function rolloutStatus(ctx: RolloutContext): Promise<{ text: string; marker?: RolloutMarker }> {
  const { endpoint, marker } = await readRollout(ctx);
  const actual = {
    targetVersion: endpoint.targetVersion ?? LATEST,
    routingConfiguration: endpoint.routingConfiguration,
  };
  const split = describeSplit(actual);
  if (!marker)
    return {
      text: `No rollout of ${ctx.runtimeName} recorded on ${ctx.productionEndpoint}. Production: ${split}.`,
    };
  const elapsed = Math.max(0, ctx.clock.now() - marker.since);
  const remaining = Math.max(0, ctx.options.intervalMs - elapsed);
  const next = {
    [Phase.progressing]: 'advance, promote, abort or rollback',
    [Phase.paused]: 'promote, advance, abort or rollback',
    [Phase.aborted]: 'promote or rollback',
    [Phase.promoted]: 'rollback (reverts to the stable version)',
    [Phase.rolledBack]: 'a new deploy',
  }[marker.phase];
  const text = [
    `Rollout of ${ctx.runtimeName}: ${marker.phase}`,
    `  candidate ${marker.candidate}, stable ${marker.stable}`,
    `  stage ${marker.stage + 1}/${marker.steps.length} (${marker.steps.join(', ')}%): ${marker.steps[marker.stage]}% wanted`,
    `  production ${ctx.productionEndpoint}: ${split}`,
    ...(describeSplit(routingOf(marker)) === split
      ? []
      : [
          `  drift: the marker stands for ${describeSplit(routingOf(marker))}; someone changed the endpoint by hand`,
        ]),
    ...(inProgress(marker)
      ? [
          `  stage started ${new Date(marker.since).toISOString()}: ${Math.round(elapsed / 1000)} s baked, ${Math.ceil(remaining / 1000)} s to go`,
        ]
      : []),
    ...(marker.reason ? [`  reason: ${marker.reason}`] : []),
    `  next: ${next}`,
  ].join('\n');
  return { text, marker };
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

/** Probes both endpoints for `windowMs` at the marker's stage, then the gate command. */
async function bakeStage(ctx: RolloutContext, marker: RolloutMarker, windowMs: number): Promise<StageReport> {
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
  const stats = await Promise.all([
    probeEndpoint('candidate', candidateUrl, probe, windowMs, ctx.clock, stop),
    probeEndpoint('production', productionUrl, probe, windowMs, ctx.clock, stop),
  ]);
  const gates = stats.flatMap((s) => evaluateGates(s, limits));
  if (limits.command && gates.every((g) => g.passed)) {
    gates.push(await runGateCommand(ctx, limits.command, { candidateUrl, productionUrl, marker, weight }));
  }
  const verdict = gates.every((g) => g.passed) ? 'passed' : 'failed';
  for (const s of stats) {
    ctx.logger.info(
      `  ${s.endpoint}: ${s.count} probes, ${(s.successRate * 100).toFixed(1)}% ok, p50 ${Math.round(s.p50Ms)} ms, p95 ${Math.round(s.p95Ms)} ms, ${s.maxConsecutiveFailures} failures in a row at most`,
    );
  }
  ctx.logger.info(`  stage ${marker.stage + 1}: ${verdict}`);
  return { stage: marker.stage + 1, weight, bakeMs: windowMs, probes: stats, gates, verdict };
}

async function runGateCommand(
  ctx: RolloutContext,
  command: string,
  about: { candidateUrl: string; productionUrl: string; marker: RolloutMarker; weight: number },
): Promise<GateResult> {
  const result = await ctx.runner.shell(command, {
    cwd: ctx.cwd,
    env: {
      ...ctx.env,
      CANARY_URL: about.candidateUrl,
      PRODUCTION_URL: about.productionUrl,
      CANARY_VERSION: about.marker.candidate,
      STABLE_VERSION: about.marker.stable,
      CANARY_WEIGHT: String(about.weight),
    },
    onLine: (line) => ctx.logger.info(`  gate-command: ${line}`),
  });
  return commandGate(command, result.exitCode, result.signal);
}

const failedGates = (gates: readonly GateResult[]) => gates.filter((g) => !g.passed);

function sameRollout(now: RolloutMarker | undefined, before: RolloutMarker): boolean {
  return now?.candidate === before.candidate && now.phase === before.phase && now.stage === before.stage;
}

/** Production back to stable with no weights; the candidate endpoint is left for debugging. */
async function rollBack(
  ctx: RolloutContext,
  state: RolloutState,
  marker: RolloutMarker,
  stages: StageReport[],
  failed: GateResult[],
  reason: string,
): Promise<RolloutReport> {
  const rolledBack: RolloutMarker = { ...marker, phase: Phase.rolledBack, reason };
  await writeProduction(ctx, state.endpoint, rolledBack);
  return reportOf(ctx, rolledBack, CanaryResult.rolledBack, stages, failed, reason);
}

/** A stage failed its gates: roll back, and fail the run with the report. */
async function failStage(
  ctx: RolloutContext,
  state: RolloutState,
  marker: RolloutMarker,
  stages: StageReport[],
  gates: readonly GateResult[],
): Promise<never> {
  const failed = failedGates(gates);
  const named = failed.map((g) => `${g.gate} on ${g.subject}`).join(', ');
  const said = await ctx.diagnose?.(marker.candidate);
  const reason =
    `Stage ${marker.stage + 1} (${marker.steps[marker.stage]}%) failed ${named}.` +
    (said === undefined ? '' : ` ${said.replace(/[^.!?]$/, '$&.')}`);
  throw new RolloutError(await rollBack(ctx, state, marker, stages, failed, reason));
}

/**
 * Runs a step that moves traffic. An error on the way (an API failure, an endpoint that never gets
 * ready) rolls production back to the stable version before it is reported, as a failed gate does —
 * unless another run has meanwhile ended or replaced the rollout.
 */
async function rollingBackOnError(
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

async function finish(
  ctx: RolloutContext,
  endpoint: Endpoint,
  marker: RolloutMarker,
  stages: StageReport[],
): Promise<RolloutReport> {
  const promoted = { ...marker, phase: Phase.promoted, since: ctx.clock.now() };
  await writeProduction(ctx, endpoint, promoted);
  return reportOf(ctx, promoted, CanaryResult.promoted, stages, [], 'Every stage passed its gates.');
}

function pause(
  ctx: RolloutContext,
  marker: RolloutMarker,
  stages: StageReport[],
  reason: string,
): RolloutReport {
  return reportOf(ctx, marker, CanaryResult.paused, stages, [], reason);
}

/** The report of a rollout left as it is (paused or aborted), without a stage run. */
export function pausedReport(ctx: RolloutContext, marker: RolloutMarker, reason: string): RolloutReport {
  return pause(ctx, marker, [], reason);
}

/** Someone else moved the rollout (abort, rollback, promote) while this run baked: theirs stands. */
function interrupted(
  ctx: RolloutContext,
  marker: RolloutMarker,
  current: RolloutState,
  stages: StageReport[],
): RolloutReport {
  const now = current.marker ?? marker;
  const result =
    now.phase === Phase.rolledBack
      ? CanaryResult.rolledBack
      : now.phase === Phase.promoted
        ? CanaryResult.promoted
        : CanaryResult.paused;
  return reportOf(
    ctx,
    now,
    result,
    stages,
    [],
    `Another run changed the rollout to ${now.phase}; this run stopped.`,
  );
}

function reportOf(
  ctx: RolloutContext,
  marker: RolloutMarker,
  result: CanaryResult,
  stages: StageReport[],
  failed: GateResult[],
  reason: string,
): RolloutReport {
  return {
    runtime: ctx.runtimeName,
    candidate: marker.candidate,
    stable: marker.stable,
    result,
    stages,
    failedGates: failed,
    reason,
    serving: describeSplit(routingOf(marker)),
  };
}

/** Logs the report; the last line says what production serves. */
export function logReport(logger: Logger, report: RolloutReport): void {
  for (const line of reportLines(report)) logger.info(line);
  logger.info(`Canary ${report.result}: ${report.reason} Production serves ${report.serving}.`);
}
