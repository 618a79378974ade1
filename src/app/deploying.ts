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
import type { Host } from './host.js';
import { deploySummary } from './summary.js';
import { apiFor, codeOptions, type CommandContext } from './context.js';
import { recordingDeployment } from './github.js';

/** Builds the targets' dependencies, deploys them, and reports their outputs and summary rows. */
export async function deployTargets(
  context: CommandContext,
  targets: readonly DeployTarget[],
  credentials: Credentials,
): Promise<{ results: ResourceResult[]; reports: ResourceReport[] }> {
  const { host } = context;
  host.logger.info(`Credentials: ${credentials.source}`);
  const dependencies = await buildDependencies(context, targets);
  let results: ResourceResult[];
  try {
    results = await recordingDeployment(
      context,
      () => deployAll(dependencies.targets, deployOptions(context, credentials, dependencies)),
      (deployed) => deployed[0]?.endpoints[0]?.endpoint.endpointPublicUrl,
    );
  } catch (error) {
    // The resources that did deploy still get their outputs and summary rows, beside the error.
    if (error instanceof DeployError) await report(error.results, host, dependencies, error);
    throw error;
  } finally {
    await dependencies.cleanup();
  }
  return { results, reports: await report(results, host, dependencies) };
}

/** How the deploy engine runs for this command's settings and host, with the built dependencies. */
export function deployOptions(
  context: CommandContext,
  credentials: Credentials,
  dependencies: Dependencies,
): DeployOptions {
  const { spec, settings, host, deps } = context;
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
    api: apiFor(context, credentials),
    // A rollout in progress owns its production endpoint's split.
    hold: rolloutHold,
    runner: deps.runner,
    clock: deps.clock,
  };
}

async function report(
  results: readonly ResourceResult[],
  host: Host,
  dependencies: Dependencies,
  error?: DeployError,
): Promise<ResourceReport[]> {
  if (results.length) {
    for (const [name, value] of Object.entries(deployOutputs(results))) host.setOutput(name, value);
  }
  const reports = resourceReports(results);
  await host.writeSummary?.(deploySummary(reports, error) + dependencies.summary());
  return reports;
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
