import { GitHubError, type GitHubApi } from '../github/api.js';
import type { composeComment } from '../github/comment.js';
import { renderPlanSection, type PlanSection, type SectionName } from '../github/comment.js';
import { isFork, readGitHubContext, type GitHubContext, type PullRequestRef } from '../github/context.js';
import { forkRefusal } from '../github/events.js';
import { environmentDeployment } from '../github/deployments.js';
import { bestEffort, DeploymentRecord, StickyComment } from '../github/report.js';
import { headline } from '../markdown.js';
import { maskableSecrets } from '../secrets.js';
import type { Settings } from '../settings.js';
import type { CommandContext } from './context.js';
import type { Host } from './host.js';

/** The permissions a workflow needs for previews; named in every warning about a refused call. */
export const PREVIEW_PERMISSIONS =
  '`permissions: { contents: read, pull-requests: write, deployments: write }`';

/** A run's GitHub side: where it runs and, with a token, the API. */
export interface GitHubRun {
  context: GitHubContext;
  api?: GitHubApi;
  /** Each PR's comment, looked up once per run. */
  comments: Map<number, StickyComment>;
}

/** The GitHub side of this run; undefined outside Actions (no GITHUB_REPOSITORY). */
export async function gitHubRun({ settings, host, deps }: CommandContext): Promise<GitHubRun | undefined> {
  const context = await readGitHubContext(host.env);
  if (!context) return undefined;
  const token = settings.github.token ?? host.env.GITHUB_TOKEN;
  if (!token) {
    host.logger.warning(
      `No github-token: no pull-request comment and no GitHub deployment are recorded. Pass github-token and give the job ${PREVIEW_PERMISSIONS}.`,
    );
    return { context, comments: new Map() };
  }
  host.logger.setSecret(token);
  const api = deps.github({
    token,
    repository: context.repository,
    apiUrl: context.apiUrl,
    clock: deps.clock,
    onRetry: (message) => host.logger.info(message),
  });
  return { context, api, comments: new Map() };
}

/**
 * The pull request this run is about: the event's, or input `pr-number`'s looked up on GitHub.
 * Undefined when there is none.
 */
export async function pullRequestOf(
  settings: Settings,
  github: GitHubRun,
): Promise<PullRequestRef | undefined> {
  const number = settings.github.prNumber;
  if (number === undefined) return github.context.pullRequest;
  if (!github.api)
    throw new Error(`Input pr-number needs a github-token to look up pull request #${number}.`);
  try {
    return await github.api.getPull(number);
  } catch (error) {
    if (error instanceof GitHubError && error.status === 404) {
      throw new Error(
        `Pull request #${number} does not exist in ${github.context.repository} (input pr-number).`,
      );
    }
    throw error;
  }
}

/** The web page of `sha` in the run's repository. */
export function commitUrl(context: GitHubContext, sha: string): string {
  return `${context.serverUrl}/${context.repository}/commit/${sha}`;
}

/** Ends a run that has nothing to do: a notice in the log and the job summary says why. */
export async function skipRun(host: Host, why: string): Promise<void> {
  host.logger.notice(why);
  // `why` is our own sentence, its code spans meant as such.
  await host.writeSummary?.(`${headline('info', `Nothing deployed — ${why}`)}\n`);
}

/**
 * On a run about a fork's pull request (from the event payload), says why nothing is previewed or
 * removed; true when the run should stop. A `pr-number` is checked once looked up, by the command.
 */
export async function skipForkPreview(settings: Settings, host: Host): Promise<boolean> {
  if (settings.github.prNumber !== undefined) return false;
  const context = await readGitHubContext(host.env);
  const refusal =
    context?.pullRequest &&
    forkRefusal(context.eventName, context.pullRequest, settings.github.allowForkPreviews);
  if (!refusal) return false;
  await skipRun(host, refusal);
  return true;
}

/** Every value the PR comment must never show: the s.yaml's secrets and the credential inputs. */
export function commentSecrets({ spec, settings }: CommandContext, more: readonly string[] = []): string[] {
  const { accessKeyId, accessKeySecret, securityToken } = settings.credentials;
  return maskableSecrets([
    ...spec.secretValues,
    ...more,
    ...[accessKeyId, accessKeySecret, securityToken, settings.github.token].filter((v): v is string => !!v),
  ]);
}

/** Sets one section of the PR's sticky comment; a failure is a warning. */
export async function updatePullComment(
  { settings, host }: CommandContext,
  github: GitHubRun,
  pr: number,
  section: SectionName,
  content: Parameters<typeof composeComment>[2],
): Promise<void> {
  if (!settings.github.comment || !github.api) return;
  let sticky = github.comments.get(pr);
  if (!sticky) github.comments.set(pr, (sticky = new StickyComment(github.api, pr)));
  const comment = await bestEffort(host.logger, 'update the pull-request comment', () =>
    sticky.set(section, content),
  );
  if (comment)
    host.logger.info(`Pull-request comment ${comment.created ? 'created' : 'updated'}: ${comment.url}`);
}

/**
 * Runs a deploy under a GitHub Deployment of `environment` for the run's commit, so the repository's
 * Environments page shows what runs where. Recording is best effort; the deploy's outcome is not.
 */
export async function recordingDeployment<T>(
  context: CommandContext,
  deploy: () => Promise<T>,
  urlOf: (result: T) => string | undefined,
): Promise<T> {
  const github = await gitHubRun(context);
  const api = github?.api;
  if (!github || !api || github.context.pullRequest) return deploy();
  const { logger } = context.host;
  const { environment } = context.settings.github;
  const record = await bestEffort(logger, `record a GitHub deployment to ${environment}`, () =>
    DeploymentRecord.start(
      api,
      environmentDeployment(environment, github.context.sha, []),
      github.context.runUrl,
    ),
  );
  try {
    const result = await deploy();
    await bestEffort(logger, 'finish the GitHub deployment', async () =>
      record?.finish({ url: urlOf(result) }),
    );
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await bestEffort(logger, 'finish the GitHub deployment', async () => record?.finish({ error: message }));
    throw error;
  }
}

/** Whether this run is about a pull request: its event's, or the `pr-number` input's. */
export async function isPullRequestRun(context: CommandContext): Promise<boolean> {
  return (
    (await readGitHubContext(context.host.env))?.pullRequest !== undefined ||
    context.settings.github.prNumber !== undefined
  );
}

/** On a pull request, puts `text` (what a deploy would change) into the PR's comment. */
export async function commentPlan(
  context: CommandContext,
  text: string,
  secrets: readonly string[],
  about: Pick<PlanSection, 'outcome' | 'comparedWith'>,
): Promise<void> {
  if (!(await isPullRequestRun(context))) return;
  const github = await gitHubRun(context);
  const pull = github && (await pullRequestOf(context.settings, github));
  if (!github || !pull || isFork(pull)) return;
  const section: PlanSection = {
    ...about,
    diff: text,
    sha: pull.headSha,
    commitUrl: commitUrl(github.context, pull.headSha),
    runUrl: github.context.runUrl,
    updatedAt: new Date(context.deps.clock.now()).toISOString(),
  };
  const masked = commentSecrets(context, secrets);
  await updatePullComment(context, github, pull.number, 'plan', (room) =>
    renderPlanSection(section, masked, room),
  );
}
