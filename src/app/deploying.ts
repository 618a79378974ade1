/**
 * Deploying targets, as the deploy command and a canary's candidate both do: dependencies built, the
 * engine run with this command's settings, outputs and the job summary written.
 */
import { unsupportedHooks } from '../deploy/hooks.js';
import { DeployError, deployAll, type DeployOptions, type ResourceResult } from '../deploy/index.js';
import { deployOutputs, resourceReports, type ResourceReport } from '../deploy/report.js';
import type { ResolvedSpec } from '../config/index.js';
import type { Credentials } from '../credentials/index.js';
import type { DeployTarget } from '../plan/types.js';
import { rolloutHold } from '../rollout/hold.js';
import { buildDependencies, type Dependencies } from './build.js';
import { logDiagnosis, withAutoLogs } from './logs.js';
import type { Host } from './host.js';
import { deploySummary, type FailedResource } from './summary.js';
import { AgentRunError } from '../agentrun/errors.js';
import { LATEST } from '../agentrun/model.js';
import { splitWeights } from '../agentrun/service.js';
import { newest } from '../deploy/runtime.js';
import { apiFor, armsLicenseKeyFor, codeOptions, uploaderFor, type CommandContext } from './context.js';
import { recordingDeployment } from './github.js';

/** Builds the targets' dependencies, deploys them, and reports their outputs and summary rows. */
export async function deployTargets(
  context: CommandContext,
  targets: readonly DeployTarget[],
  credentials: Credentials,
  /** Whether a deploy that succeeds writes the job summary; a canary's candidate leaves it to the rollout's. */
  summarise = true,
): Promise<{ results: ResourceResult[]; reports: ResourceReport[] }> {
  const { host } = context;
  const summary = summarise ? host : { ...host, writeSummary: undefined };
  host.logger.info(`Credentials: ${credentials.source}`);
  const dependencies = await buildDependencies(context, await withAutoLogs(context, targets, credentials));
  let results: ResourceResult[];
  try {
    results = await recordingDeployment(
      context,
      () => deployAll(dependencies.targets, deployOptions(context, credentials, dependencies)),
      (deployed) => deployed[0]?.endpoints[0]?.endpoint.endpointPublicUrl,
    );
  } catch (error) {
    // The resources that did deploy still get their outputs and summary rows, beside the error.
    if (error instanceof DeployError) {
      const failed = await leftBehind(context, credentials, targets, error);
      await report(error.results, host, context, dependencies, { error, failed });
    }
    throw error;
  } finally {
    await dependencies.cleanup();
  }
  return { results, reports: await report(results, summary, context, dependencies) };
}

/** How the deploy engine runs for this command's settings and host, with the built dependencies. */
export function deployOptions(
  context: CommandContext,
  credentials: Credentials,
  dependencies: Dependencies,
): DeployOptions {
  const { spec, settings, host, deps } = context;
  const api = apiFor(context, credentials);
  return {
    ...codeOptions(context),
    ...dependencies.packaging,
    globalActions: spec.actions,
    runHooks: !settings.skipActions,
    publish: settings.publish,
    parallel: settings.parallel,
    timeoutMs: settings.timeoutMs,
    trigger: host.trigger,
    env: spec.env,
    api,
    uploader: uploaderFor(context, credentials, api),
    armsLicenseKey: armsLicenseKeyFor(context, credentials),
    // A rollout in progress owns its production endpoint's split.
    hold: rolloutHold,
    runner: deps.runner,
    clock: deps.clock,
    diagnose: logDiagnosis(context, credentials),
  };
}

async function report(
  results: readonly ResourceResult[],
  host: Host,
  { settings }: CommandContext,
  dependencies: Dependencies,
  failure?: { error: DeployError; failed: FailedResource[] },
): Promise<ResourceReport[]> {
  if (results.length) {
    for (const [name, value] of Object.entries(deployOutputs(results))) host.setOutput(name, value);
  }
  const reports = resourceReports(results);
  await host.writeSummary?.(
    deploySummary(reports, failure?.error, failure?.failed, settings.resources) + dependencies.summary(),
  );
  return reports;
}

/**
 * What each resource that failed left behind, read back for the summary: its runtime's status and what
 * its endpoints serve now. A read that fails leaves the resource out; the error still says what failed.
 */
async function leftBehind(
  context: CommandContext,
  credentials: Credentials,
  targets: readonly DeployTarget[],
  error: DeployError,
): Promise<FailedResource[]> {
  const api = apiFor(context, credentials);
  // A resource that never reached the API, or whose calls the API refused outright, changed nothing,
  // and reading it back would only fail the same way.
  const unreachable = (cause: unknown) =>
    cause === undefined ||
    (cause instanceof AgentRunError &&
      ['Auth', 'UnknownHost', 'Network', 'Timeout', 'Throttled'].includes(cause.kind));
  const failed = targets.filter(
    (t) =>
      !error.results.some((r) => r.target.resource === t.resource) &&
      !unreachable(error.causes.get(t.resource)),
  );
  const read = async (target: DeployTarget): Promise<FailedResource | undefined> => {
    const client = api(target.region);
    const runtime = await client.findRuntime(target.runtime.agentRuntimeName, target.workspace);
    const base = { resource: target.resource, runtime: target.runtime.agentRuntimeName };
    if (!runtime) return { ...base, endpoints: [] };
    const [endpoints, versions] = await Promise.all([
      client.listEndpoints(runtime.agentRuntimeId),
      client.listVersions(runtime.agentRuntimeId),
    ]);
    const ours = new Set(target.endpoints.map((e) => e.agentRuntimeEndpointName));
    return {
      ...base,
      status: runtime.status,
      newestVersion: newest(versions)?.agentRuntimeVersion,
      endpoints: endpoints
        .filter((e) => ours.has(e.agentRuntimeEndpointName))
        .map((e) => ({
          name: e.agentRuntimeEndpointName,
          version: e.targetVersion ?? LATEST,
          weights: splitWeights(e),
          url: e.endpointPublicUrl ?? '',
        })),
    };
  };
  const found = await Promise.all(failed.map((target) => read(target).catch(() => undefined)));
  return found.filter((f): f is FailedResource => f !== undefined);
}

/** Hook entries that need Serverless Devs fail the run before anything is deployed. */
export function checkHooks(spec: ResolvedSpec): void {
  const unsupported = [spec.actions, ...spec.resources.map((r) => r.actions)].flatMap(unsupportedHooks);
  if (unsupported.length) {
    throw new Error(
      `These s.yaml actions need Serverless Devs and cannot run here: ${unsupported.join('; ')}. ` +
        'Replace them with `run:` commands, or set skip-actions: true.',
    );
  }
}
