import { MissingCredentialsError } from '../../credentials/index.js';
import { diffTarget, renderDiff, type ResourceDiff } from '../../deploy/diff.js';
import { withTargetCode } from '../../deploy/code.js';
import { Outputs } from '../../deploy/report.js';
import { planToJson, renderPlan } from '../../plan/index.js';
import { apiFor, codeOptions, credentialsFor, plannedTargets, type CommandContext } from '../context.js';
import { buildDependencies } from '../build.js';
import { commentPlan, isPullRequestRun } from '../github.js';
import { comparedWith, planOutcome, planSummary } from '../summary.js';
import { planAutoLogs } from '../logs.js';

/** What `plan` found: the desired state, and what a deploy would change when credentials were at hand. */
export interface PlanResult {
  plan: unknown;
  changes?: ResourceDiff[];
}

/**
 * `plan`: the desired state, and — when credentials are at hand — what a deploy would change.
 * Nothing is written to AgentRun.
 */
export async function plan(context: CommandContext): Promise<PlanResult> {
  const { host } = context;
  const { plan: desired, targets } = await plannedTargets(context);
  const desiredText = renderPlan(desired);
  host.print(desiredText);
  const json = planToJson(desired);
  host.setOutput(Outputs.Plan, json);
  const credentials = await credentialsFor(context).catch((error: unknown) => {
    if (error instanceof MissingCredentialsError) return undefined;
    throw error;
  });
  if (!credentials) {
    host.logger.info('No credentials given: showing the desired state only, not what a deploy would change.');
    await commentPlan(context, desiredText, desired.secretValues, {
      outcome: planOutcome(undefined),
      comparedWith: 'nothing',
    });
    await host.writeSummary?.(planSummary(desired, undefined));
    return { plan: JSON.parse(json) };
  }
  const api = apiFor(context, credentials);
  const autoLogs = await planAutoLogs(context, targets, credentials);
  // The code's identity, and so whether it changed, includes the built dependencies.
  const dependencies = await buildDependencies(context, autoLogs.targets);
  const options = { ...codeOptions(context), ...dependencies.packaging };
  const diffs: ResourceDiff[] = [];
  // On a pull request the question is what merging it would change in production.
  const onPullRequest = await isPullRequestRun(context);
  try {
    for (const target of dependencies.targets) {
      diffs.push(
        await withTargetCode(target, options, (code) =>
          diffTarget(api(target.region), target, code, onPullRequest),
        ),
      );
    }
  } finally {
    await dependencies.cleanup();
  }
  const changes = [renderDiff(diffs), ...autoLogs.lines].join('\n');
  host.print(changes);
  await commentPlan(context, changes, desired.secretValues, {
    outcome: planOutcome(diffs),
    comparedWith: comparedWith(diffs),
  });
  await host.writeSummary?.(planSummary(desired, diffs));
  return { plan: JSON.parse(json), changes: diffs };
}
