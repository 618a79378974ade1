import { MissingCredentialsError } from '../../credentials/index.js';
import { diffTarget, renderDiff } from '../../deploy/diff.js';
import { withPackage } from '../../deploy/index.js';
import { Outputs } from '../../deploy/report.js';
import { planToJson, renderPlan } from '../../plan/index.js';
import { apiFor, credentialsFor, plannedTargets, type CommandContext } from '../context.js';
import { commentPlan } from '../github.js';

/**
 * `plan`: the desired state, and — when credentials are at hand — what a deploy would change.
 * Nothing is written to AgentRun.
 */
export async function plan(context: CommandContext): Promise<void> {
  const { spec, settings, host } = context;
  const { plan: desired, targets } = await plannedTargets(context);
  const desiredText = renderPlan(desired);
  host.print(desiredText);
  host.setOutput(Outputs.Plan, planToJson(desired));
  const credentials = await credentialsFor(context).catch((error: unknown) => {
    if (error instanceof MissingCredentialsError) return undefined;
    throw error;
  });
  if (!credentials) {
    host.logger.info('No credentials given: showing the desired state only, not what a deploy would change.');
    await commentPlan(context, desiredText, desired.secretValues);
    return;
  }
  const api = apiFor(context, credentials);
  const packaging = {
    baseDir: spec.dir,
    maxInlineBytes: settings.maxInlineBytes,
    tempDir: host.tempDir,
    logger: host.logger,
  };
  const diffs = [];
  for (const target of targets) {
    diffs.push(await withPackage(target, packaging, (pkg) => diffTarget(api(target.region), target, pkg)));
  }
  const changes = renderDiff(diffs);
  host.print(changes);
  await commentPlan(context, changes, desired.secretValues);
}
