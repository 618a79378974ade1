import type { AgentRunApi } from '../../agentrun/api.js';
import type { GitHubApi } from '../../github/api.js';
import { renderPreview, type PreviewSection } from '../../github/comment.js';
import { previewEnvironment } from '../../github/deployments.js';
import { bestEffort, deactivateDeployments } from '../../github/report.js';
import { previewEndpointName, previewNumberOf } from '../../preview/names.js';
import { removePreviews } from '../../preview/remove.js';
import { headline } from '../../markdown.js';
import type { DeployTarget } from '../../plan/types.js';
import { apiFor, credentialsFor, plannedTargets, type CommandContext } from '../context.js';
import {
  commentSecrets,
  commitUrl,
  gitHubRun,
  pullRequestOf,
  updatePullComment,
  type GitHubRun,
} from '../github.js';

/**
 * `preview-cleanup`: removes a closed pull request's preview (its endpoint or runtime), marks its
 * GitHub deployments inactive and says so in its comment. Without a pull request in the event (a
 * scheduled run), it sweeps the previews of every PR closed at least `older-than` ago.
 */
export async function previewCleanup(context: CommandContext): Promise<void> {
  const { settings, host, deps } = context;
  const { logger } = host;
  const github = await gitHubRun(context);
  const pull = github && (await pullRequestOf(settings, github));
  const { targets } = await plannedTargets(context);
  const credentials = await credentialsFor(context);
  const api = apiFor(context, credentials);
  const numbers =
    pull && settings.github.olderThanMs === undefined
      ? [pull.number]
      : await closedPreviews(context, targets, api, github, settings.github.olderThanMs ?? 0);
  if (numbers.length === 0) logger.info('No preview to remove.');
  const secrets = commentSecrets(context);
  const sections: { pr: number; section: PreviewSection }[] = [];
  for (const pr of numbers) {
    const removals = await removePreviews(targets, {
      pr,
      endpointPattern: settings.github.previewEndpoint,
      api,
      clock: deps.clock,
      timeoutMs: settings.timeoutMs,
    });
    for (const { target, removed } of removals) {
      logger.info(
        `#${pr} ${target.resource}: ${removed.length ? `removed ${removed.join(', ')}` : 'no preview left'}.`,
      );
    }
    const endpoint = previewEndpointName(settings.github.previewEndpoint, pr);
    const section: PreviewSection = {
      rows: removals.map(({ runtimeName, removed }) => ({
        agent: runtimeName,
        endpoint,
        status: 'removed',
        reason: removed.length ? 'the pull request was closed' : 'nothing was left to remove',
      })),
      sha: pull?.number === pr ? pull.headSha : '',
      ...(pull?.number === pr && github && { commitUrl: commitUrl(github.context, pull.headSha) }),
      runUrl: github?.context.runUrl,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    };
    sections.push({ pr, section });
    if (!github?.api) continue;
    const githubApi = github.api;
    await bestEffort(logger, 'mark the preview deployments inactive', () =>
      deactivateDeployments(githubApi, previewEnvironment(pr)),
    );
    await updatePullComment(context, github, pr, 'preview', renderPreview(section, secrets));
  }
  await host.writeSummary?.(cleanupSummary(sections, secrets));
}

/** The job summary: each pull request's removed previews, as its comment shows them. */
function cleanupSummary(
  sections: readonly { pr: number; section: PreviewSection }[],
  secrets: readonly string[],
): string {
  // Each pull request's part opens with its own outcome line, one level below the summary's.
  const parts = sections.map(({ pr, section }) =>
    renderPreview({ ...section, notice: `Pull request #${pr}` }, secrets).replace(/^### /, '#### '),
  );
  const removed = sections.map(({ pr }) => `#${pr}`).join(', ');
  return [
    headline(
      sections.length ? 'done' : 'info',
      sections.length
        ? `Previews removed — pull requests ${removed}`
        : 'Preview cleanup — no preview to remove',
    ),
    ...parts,
  ].join('\n\n');
}

/**
 * The PRs with a preview — a preview endpoint on an agent's runtime, or a `preview/pr-<n>` GitHub
 * deployment (which also covers separate preview runtimes) — that closed at least `olderThanMs` ago.
 */
async function closedPreviews(
  { settings, host, deps }: CommandContext,
  targets: readonly DeployTarget[],
  api: (region: string) => AgentRunApi,
  github: GitHubRun | undefined,
  olderThanMs: number,
): Promise<number[]> {
  const githubApi: GitHubApi | undefined = github?.api;
  if (!githubApi) {
    throw new Error(
      'preview-cleanup without a pull request looks up which pull requests are closed, and needs a github-token for it.',
    );
  }
  const candidates = new Set<number>();
  for (const target of targets) {
    const client = api(target.region);
    const runtime = await client.findRuntime(target.runtime.agentRuntimeName, target.workspace);
    if (!runtime) continue;
    for (const endpoint of await client.listEndpoints(runtime.agentRuntimeId)) {
      const pr = previewNumberOf(settings.github.previewEndpoint, endpoint.agentRuntimeEndpointName);
      if (pr !== undefined) candidates.add(pr);
    }
  }
  for (const deployment of await githubApi.listDeployments()) {
    const pr = /^preview\/pr-(\d+)$/.exec(deployment.environment)?.[1];
    if (pr) candidates.add(Number(pr));
  }
  const closed: number[] = [];
  for (const pr of [...candidates].sort((a, b) => a - b)) {
    const pull = await githubApi.getPull(pr).catch((error: unknown) => {
      host.logger.warning(
        `#${pr}: ${error instanceof Error ? error.message : String(error)}; its preview is kept.`,
      );
      return undefined;
    });
    if (!pull || pull.state !== 'closed') continue;
    const closedFor = deps.clock.now() - Date.parse(pull.closedAt ?? '');
    if (closedFor >= olderThanMs) closed.push(pr);
    else host.logger.info(`#${pr} closed less than older-than ago: its preview is kept for now.`);
  }
  return closed;
}
