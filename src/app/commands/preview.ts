import { DeployError } from '../../deploy/index.js';
import { Outputs } from '../../deploy/report.js';
import type { PreviewRow, PreviewSection } from '../../github/comment.js';
import { renderPreview } from '../../github/comment.js';
import { forkRefusal } from '../../github/events.js';
import { previewDeployment, previewEnvironment } from '../../github/deployments.js';
import { bestEffort, deactivateDeployments, DeploymentRecord } from '../../github/report.js';
import { deployPreviews, placePreviews, type PreviewPlacement } from '../../preview/deploy.js';
import { previewVersionNote } from '../../preview/names.js';
import { apiFor, credentialsFor, plannedTargets, type CommandContext } from '../context.js';
import {
  commentSecrets,
  commitUrl,
  gitHubRun,
  pullRequestOf,
  skipRun,
  updatePullComment,
} from '../github.js';
import { buildDependencies } from '../build.js';
import { checkHooks, deployOptions } from '../deploying.js';
import { withAutoLogs } from '../logs.js';

/**
 * `preview`: deploys a pull request's code next to production — a version and an endpoint of its own
 * (or a runtime of its own) — and keeps the PR's comment and GitHub Deployment up to date.
 * Production endpoints are never edited.
 */
export async function preview(context: CommandContext): Promise<void> {
  const { settings, host, deps, spec } = context;
  const { logger } = host;
  const github = await gitHubRun(context);
  if (!github)
    throw new Error('command: preview runs in a GitHub Actions workflow: GITHUB_REPOSITORY is not set.');
  const pull = await pullRequestOf(settings, github);
  if (!pull) {
    throw new Error(
      'command: preview needs a pull request: run it on pull_request events, or set the pr-number input.',
    );
  }
  const refusal = forkRefusal(github.context.eventName, pull, settings.github.allowForkPreviews);
  if (refusal) return skipRun(host, refusal);
  if (pull.state === 'closed') {
    logger.info(`Pull request #${pull.number} is closed: nothing to preview.`);
    return;
  }
  if (!settings.skipActions) checkHooks(spec);
  const { targets } = await plannedTargets(context);
  const credentials = await credentialsFor(context);
  logger.info(`Credentials: ${credentials.source}`);
  // The build directories stay in the runner's temp dir, which the runner empties after the job.
  const dependencies = await buildDependencies(context, await withAutoLogs(context, targets, credentials));
  const api = apiFor(context, credentials);
  const placements = await placePreviews(
    dependencies.targets,
    { pr: pull.number, endpointPattern: settings.github.previewEndpoint, mode: settings.github.previewMode },
    api,
  );
  for (const { target, runtimeName, reason } of placements) {
    if (reason)
      logger.info(`${target.resource}: previewed in a runtime of its own, ${runtimeName}: ${reason}.`);
  }

  const secrets = commentSecrets(context);
  const show = async (rows: PreviewRow[]) => {
    const section: PreviewSection = {
      rows,
      sha: pull.headSha,
      commitUrl: commitUrl(github.context, pull.headSha),
      runUrl: github.context.runUrl,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    };
    await updatePullComment(context, github, pull.number, 'preview', renderPreview(section, secrets));
    return section;
  };
  const row = (placement: PreviewPlacement, fields: Partial<PreviewRow>): PreviewRow => ({
    agent: placement.runtimeName,
    endpoint: placement.endpointName,
    status: 'deploying',
    ...fields,
  });

  await show(placements.map((placement) => row(placement, {})));
  const githubApi = github.api;
  const record =
    githubApi &&
    (await bestEffort(logger, 'record the GitHub deployment', () =>
      DeploymentRecord.start(
        githubApi,
        previewDeployment(
          pull.number,
          pull.headSha,
          placements.map((p) => `${p.runtimeName}/${p.endpointName}`),
        ),
        github.context.runUrl,
      ),
    ));

  let results;
  try {
    results = await deployPreviews(
      placements,
      {
        ...deployOptions(context, credentials, dependencies),
        trigger: `${previewVersionNote(pull.number)} ${host.trigger}`,
        pr: pull.number,
      },
      { timeoutMs: settings.timeoutMs, clock: deps.clock },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const deployed = error instanceof DeployError ? error.results : [];
    await show(
      placements.map((placement) =>
        deployed.some((r) => r.target.resource === placement.target.resource)
          ? row(placement, {
              status: 'failed',
              reason: 'deployed, but not previewed: another resource failed',
            })
          : row(placement, { status: 'failed', reason: reasonFor(placement.target.resource, message) }),
      ),
    );
    await bestEffort(logger, 'finish the GitHub deployment', async () => record?.finish({ error: message }));
    throw error;
  }

  const rows = results.map((result) =>
    row(result, {
      status: 'ready',
      version: result.version.agentRuntimeVersion,
      url: result.endpoint.endpointPublicUrl,
    }),
  );
  const section = await show(rows);
  const url = results[0]?.endpoint.endpointPublicUrl;
  if (record && githubApi) {
    await bestEffort(logger, 'finish the GitHub deployment', async () => {
      await record.finish({ url });
      await deactivateDeployments(githubApi, previewEnvironment(pull.number), record.deployment.id);
    });
  }
  host.setOutput(Outputs.Url, url ?? '');
  host.setOutput(Outputs.Version, results[0]?.version.agentRuntimeVersion ?? '');
  await host.writeSummary?.(`${renderPreview(section, secrets)}\n`);
}

/** The line of a multi-resource deploy error about `resource`, else the whole message. */
function reasonFor(resource: string, message: string): string {
  const line = message.split('\n').find((l) => l.startsWith(`${resource}: `));
  return line ? line.slice(resource.length + 2) : message;
}
