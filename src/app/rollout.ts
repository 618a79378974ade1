/**
 * What the rollout commands share: finding the runtime and its production endpoint from the s.yaml,
 * the rollout context, and publishing the report (log, job summary, outputs) whatever the outcome.
 */
import type { AgentRunApi, Endpoint, Runtime, Version } from '../agentrun/api.js';
import { LATEST } from '../agentrun/model.js';
import { routingWrite, splitWeights } from '../agentrun/service.js';
import { isFailed, waitForEndpoint } from '../agentrun/wait.js';
import { withTargetCode } from '../deploy/code.js';
import { Outputs, type ResourceReport } from '../deploy/report.js';
import { recorded, type Fingerprint } from '../deploy/fingerprint.js';
import { desiredRuntime, newest } from '../deploy/runtime.js';
import type { Credentials } from '../credentials/index.js';
import { InputError } from '../inputs.js';
import type { DeployTarget } from '../plan/types.js';
import { RolloutError, readRollout, type RolloutContext } from '../rollout/context.js';
import { beginRollout, driveRollout, recordedContext } from '../rollout/controller.js';
import { runOwner, type Lease } from '../rollout/lease.js';
import { inProgress, Phase, type RolloutMarker } from '../rollout/marker.js';
import { recordGates } from '../rollout/recorded.js';
import {
  CanaryResult,
  describeInProgress,
  logReport,
  reportJson,
  reportMarkdown,
  reportOf,
  type RolloutReport,
} from '../rollout/report.js';
import { dropLease, newLease, RolloutRefused, takeLease } from '../rollout/take.js';
import { asDeployed, errorLogSource, logDiagnosis } from './logs.js';
import { apiFor, codeOptions, credentialsFor, plannedTargets, type CommandContext } from './context.js';
import { deployTargets } from './deploying.js';
import { deployDetails } from './summary.js';
import { code, headline, liveAt } from '../markdown.js';

/** Outputs of the rollout commands (action.yml). */
export const RolloutOutputs = { Result: 'canary-result', Report: 'canary-report' } as const;

/** The one resource a rollout acts on, its API client and its production endpoint's name. */
interface RolloutScope {
  target: DeployTarget;
  credentials: Credentials;
  api: AgentRunApi;
  production: string;
}

async function rolloutScope(context: CommandContext): Promise<RolloutScope> {
  const { targets } = await plannedTargets(context);
  if (targets.length !== 1) {
    throw new InputError(
      `A canary rolls out one resource at a time; name it with the resource input (this s.yaml selects ${targets.map((t) => t.resource).join(', ')}).`,
    );
  }
  const target = targets[0]!;
  const { rollout } = context.settings;
  // The main endpoint: the one that carries the s.yaml's weights, else the first.
  const main =
    target.endpoints.find((e) => (e.routingConfiguration?.versionWeights?.length ?? 0) > 0) ??
    target.endpoints[0];
  const production = rollout.productionEndpoint ?? main?.agentRuntimeEndpointName;
  if (!production) {
    throw new InputError(
      `Resource ${target.resource} has no endpoint; set production-endpoint or add one to the s.yaml.`,
    );
  }
  if (production === rollout.canaryEndpoint) {
    throw new InputError(
      `canary-endpoint and the production endpoint are both ${production}; give the canary its own name.`,
    );
  }
  const credentials = await credentialsFor(context);
  return { target, credentials, api: apiFor(context, credentials)(target.region), production };
}

function rolloutContext(context: CommandContext, scope: RolloutScope, runtime: Runtime): RolloutContext {
  const { settings, host, deps, spec } = context;
  const explain = logDiagnosis(context, scope.credentials);
  // The logConfiguration a deploy gave the runtime, read when a gate or a diagnosis needs it.
  const fresh = () => scope.api.getRuntime(runtime.agentRuntimeId);
  return {
    api: scope.api,
    runtimeId: runtime.agentRuntimeId,
    runtimeName: runtime.agentRuntimeName,
    productionEndpoint: scope.production,
    options: settings.rollout,
    clock: deps.clock,
    logger: host.logger,
    wait: { timeoutMs: settings.timeoutMs, clock: deps.clock },
    runner: deps.runner,
    cwd: spec.dir,
    env: { ...spec.env, ...host.env },
    owner: runOwner(host.env),
    errorLogs: errorLogSource(context, scope.credentials, scope.target.region, fresh),
    diagnose: async (version) => explain({ region: scope.target.region, runtime: await fresh() }, version),
  };
}

/**
 * The rollout context of a deployed runtime, for the commands that act on a rollout: with the gates
 * the rollout began with, where this run gives no input of its own.
 */
export async function openRollout(context: CommandContext): Promise<RolloutContext> {
  const scope = await rolloutScope(context);
  const name = scope.target.runtime.agentRuntimeName;
  const runtime = await scope.api.findRuntime(name, scope.target.workspace);
  if (!runtime) throw new Error(`Agent runtime ${name} does not exist: deploy it first.`);
  return recordedContext(rolloutContext(context, scope, runtime));
}

/** Ends a run that may not start a rollout: `canary-result: refused`, and the job fails. */
function refuse(context: CommandContext, message: string): never {
  context.host.setOutput(RolloutOutputs.Result, CanaryResult.refused);
  throw new RolloutRefused(message);
}

/** Runs a rollout step and publishes its report; a rolled-back rollout's report too, before it fails. */
export async function reporting(
  context: CommandContext,
  ctx: RolloutContext,
  step: () => Promise<RolloutReport>,
  deployed: readonly ResourceReport[] = [],
): Promise<RolloutReport> {
  try {
    const report = await step();
    await publish(context, ctx, report, deployed);
    return report;
  } catch (error) {
    if (error instanceof RolloutError) await publish(context, ctx, error.report, deployed);
    throw error;
  }
}

async function publish(
  { host }: CommandContext,
  ctx: RolloutContext,
  report: RolloutReport,
  deployed: readonly ResourceReport[],
): Promise<void> {
  logReport(host.logger, report);
  host.setOutput(RolloutOutputs.Result, report.result);
  host.setOutput(RolloutOutputs.Report, reportJson(report));
  // The summary is a convenience: failing to write it (or to read the URLs) must not hide the outcome.
  const summary = async () => {
    const endpoints = await ctx.api.listEndpoints(ctx.runtimeId).catch(() => []);
    const urlOf = (name: string) =>
      endpoints.find((e) => e.agentRuntimeEndpointName === name)?.endpointPublicUrl;
    const places = {
      production: ctx.productionEndpoint,
      productionUrl: urlOf(ctx.productionEndpoint),
      candidateEndpoint: ctx.options.canaryEndpoint,
      candidateUrl: urlOf(ctx.options.canaryEndpoint),
    };
    const candidate = deployed.length ? `#### Candidate deploy\n\n${deployDetails(deployed)}` : '';
    await host.writeSummary?.(reportMarkdown(report, places, candidate));
  };
  await summary().catch((error: unknown) => {
    host.logger.warning(`Could not write the job summary: ${(error as Error).message}`);
  });
}

/**
 * `deploy` with `strategy: canary`: takes the agent's rollout lease, publishes the candidate, checks it
 * is this job's code, then moves production to it stage by stage under the gates. Production on LATEST
 * is first pinned to the version it serves, so updating the runtime never reaches production
 * unannounced. A re-run of the same run and candidate resumes; anything else while a rollout holds the
 * agent is refused, naming that rollout.
 */
export async function canaryDeploy(context: CommandContext): Promise<RolloutReport | ResourceReport[]> {
  const { host } = context;
  const { logger } = host;
  const scope = await rolloutScope(context);
  const { target, credentials, api, production } = scope;
  const existing = await api.findRuntime(target.runtime.agentRuntimeName, target.workspace);
  const endpoint =
    existing &&
    (await api.listEndpoints(existing.agentRuntimeId)).find((e) => e.agentRuntimeEndpointName === production);
  if (!existing || !endpoint) {
    logger.info(
      `No production endpoint ${production} serves yet: nothing to compare a canary with, so this deploy goes straight to it.`,
    );
    const { reports } = await deployTargets(context, [target], credentials);
    host.setOutput(RolloutOutputs.Result, CanaryResult.promoted);
    return reports;
  }
  const ctx = rolloutContext(context, scope, existing);
  const state = await readRollout(ctx);
  const { marker, lease: current } = state;
  if (marker && inProgress(marker)) return resume(context, scope, ctx, { marker, lease: current });
  // The lease comes first: a job that loses it has changed nothing.
  const lease = newLease(ctx, recordGates(ctx.options));
  const taken = await takeLease(
    ctx,
    lease,
    endpoint.targetVersion ?? LATEST,
    async () => (await readRollout(ctx)).marker,
  );
  if ('holder' in taken) {
    refuse(context, describeInProgress(existing.agentRuntimeName, ctx.options.canaryEndpoint, taken.holder));
  }
  const held = { endpoint: taken.endpoint, lease };
  let candidate: string;
  let stable: string;
  let candidateReports: ResourceReport[] = [];
  try {
    stable = await stableVersion(ctx, existing, endpoint);
    const others = target.endpoints.filter(
      (e) =>
        e.agentRuntimeEndpointName !== production &&
        e.agentRuntimeEndpointName !== ctx.options.canaryEndpoint,
    );
    const deployed = await deployTargets(context, [{ ...target, endpoints: others }], credentials, false);
    candidateReports = deployed.reports;
    // The agent's URL stays production's, which this run moves rather than reconciles.
    if (endpoint.endpointPublicUrl) host.setOutput(Outputs.Url, endpoint.endpointPublicUrl);
    const version = deployed.results[0]?.version;
    if (!version) throw new InputError('A canary needs a published version: set publish: true.');
    candidate = version.agentRuntimeVersion;
    if (candidate === stable) {
      logger.info(`Version ${candidate} already serves production: nothing to roll out.`);
      await dropLease(ctx, held.endpoint);
      const live = liveAt(production, `version ${candidate}`, endpoint.endpointPublicUrl);
      await host.writeSummary?.(
        [
          headline('done', `No change — ${code(existing.agentRuntimeName)} ${live}`),
          '',
          deployDetails(deployed.reports),
        ].join('\n'),
      );
      host.setOutput(RolloutOutputs.Result, CanaryResult.promoted);
      return deployed.reports;
    }
    if (!carries(version, deployed.results[0]!.fingerprint)) {
      refuse(
        context,
        `Version ${candidate} of ${existing.agentRuntimeName} was not published from this job's s.yaml and code: another deploy changed the runtime meanwhile. Nothing was rolled out; run this job again.`,
      );
    }
  } catch (error) {
    await releasing(ctx, held.endpoint);
    throw error;
  }
  logger.info(
    `Canary of version ${candidate} against stable version ${stable}, stages ${ctx.options.steps.join(', ')}%.`,
  );
  return reporting(
    context,
    ctx,
    async () => driveRollout(ctx, await beginning(ctx, held, stable, candidate)),
    candidateReports,
  );
}

/** beginRollout; a rollout that never reached production gives its lease back. */
async function beginning(
  ctx: RolloutContext,
  held: { endpoint: Endpoint; lease: Lease },
  stable: string,
  candidate: string,
): Promise<RolloutMarker> {
  try {
    return await beginRollout(ctx, held, stable, candidate);
  } catch (error) {
    const { marker } = await readRollout(ctx);
    if (marker?.candidate !== candidate || !inProgress(marker)) await releasing(ctx, held.endpoint);
    throw error;
  }
}

/** Gives the lease back after an error, which stays the one reported. */
async function releasing(ctx: RolloutContext, endpoint: Endpoint): Promise<void> {
  await dropLease(ctx, endpoint).catch((error: unknown) => {
    ctx.logger.warning(
      `Could not release the rollout lease (endpoint ${ctx.options.canaryEndpoint}): ${(error as Error).message}. Delete that endpoint before the next rollout.`,
    );
  });
}

/**
 * A deploy that finds a rollout in progress: the run that owns it, with the candidate's own code,
 * resumes it (or reports it waiting); anything else is refused.
 */
async function resume(
  context: CommandContext,
  scope: RolloutScope,
  start: RolloutContext,
  { marker, lease }: { marker: RolloutMarker; lease?: Lease },
): Promise<RolloutReport> {
  const { logger } = context.host;
  const ctx = await recordedContext(start);
  const inProgressText = describeInProgress(ctx.runtimeName, ctx.options.canaryEndpoint, { marker, lease });
  const versions = await scope.api.listVersions(ctx.runtimeId);
  const version = versions.find((v) => v.agentRuntimeVersion === marker.candidate);
  if (!carries(version, await jobFingerprint(context, scope))) refuse(context, inProgressText);
  if (marker.phase !== Phase.progressing) {
    logger.info(inProgressText);
    const why = marker.phase === Phase.paused ? 'It waits for promote or advance.' : 'It was aborted.';
    return reporting(context, ctx, () => Promise.resolve(reportOf(ctx.runtimeName, marker, [], why)));
  }
  if (marker.owner !== undefined && marker.owner !== ctx.owner) refuse(context, inProgressText);
  logger.info(
    `Resuming the rollout of version ${marker.candidate} at stage ${marker.stage + 1}/${marker.steps.length} (${marker.steps[marker.stage]}%).`,
  );
  return reporting(context, ctx, () => driveRollout(ctx, marker));
}

/** The digests of this job's configuration and code, as a version it publishes records them. */
async function jobFingerprint(context: CommandContext, scope: RolloutScope): Promise<Fingerprint> {
  const target = await asDeployed(context, scope.target, scope.credentials);
  return withTargetCode(target, codeOptions(context), (code) =>
    Promise.resolve(desiredRuntime(target.runtime, code, target.workspace).fingerprint),
  );
}

/** Whether `version` was published from exactly this configuration and code. */
function carries(version: Version | undefined, print: Fingerprint): boolean {
  const published = recorded(version);
  return published !== undefined && published.config === print.config && published.code === print.code;
}

/**
 * The published version production serves. On LATEST that is the runtime's current configuration,
 * published now unless the newest version already is it, and production is pinned to it.
 */
async function stableVersion(ctx: RolloutContext, runtime: Runtime, endpoint: Endpoint): Promise<string> {
  const target = endpoint.targetVersion ?? LATEST;
  const weights = splitWeights(endpoint);
  if (target !== LATEST && weights.length === 0) return target;
  const last = newest(await ctx.api.listVersions(runtime.agentRuntimeId));
  // A runtime left *_FAILED by an earlier deploy cannot be published; that update never was, so the
  // newest version is the last configuration that deployed well. The candidate's update repairs it, as
  // a plain deploy's does.
  if (target === LATEST && isFailed(runtime.status) && !last) {
    throw new Error(
      `Agent runtime ${runtime.agentRuntimeName} is ${runtime.status} and has no published version to keep production on: deploy it once with strategy: direct.`,
    );
  }
  // A version published after the runtime's last change holds exactly what LATEST runs.
  const current =
    target !== LATEST
      ? target
      : last &&
          (isFailed(runtime.status) || (last.lastUpdatedAt ?? '') >= (runtime.lastUpdatedAt ?? '\uffff'))
        ? last.agentRuntimeVersion
        : (await ctx.api.publishVersion(runtime.agentRuntimeId, 'Snapshot of LATEST, pinned before a canary'))
            .agentRuntimeVersion;
  await ctx.api.updateEndpoint(runtime.agentRuntimeId, endpoint.agentRuntimeEndpointId, {
    agentRuntimeEndpointName: endpoint.agentRuntimeEndpointName,
    description: endpoint.description,
    ...routingWrite({ targetVersion: current }, endpoint),
  });
  await waitForEndpoint(ctx.api, runtime.agentRuntimeId, endpoint.agentRuntimeEndpointId, ctx.wait);
  ctx.logger.info(
    target === LATEST
      ? `Production endpoint ${endpoint.agentRuntimeEndpointName} served LATEST: pinned to version ${current}, which holds that configuration, so updating the runtime cannot reach production unannounced.`
      : `Production endpoint ${endpoint.agentRuntimeEndpointName} had weights from the s.yaml: now on version ${current} alone before the canary.`,
  );
  return current;
}
