import type { Logger } from '../log.js';
import {
  GitHubError,
  type Deployment,
  type DeploymentRequest,
  type GitHubApi,
  type IssueComment,
} from './api.js';
import { composeComment, isOurComment, type SectionName } from './comment.js';
import { finalStatus } from './deployments.js';

/**
 * Runs a GitHub side task (comment, deployment record). Its failure is a warning, never the run's
 * failure: the agent deploy is what the run is for. A missing permission names the line to add.
 */
export async function bestEffort<T>(
  logger: Logger,
  what: string,
  task: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await task();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint =
      error instanceof GitHubError && error.forbidden && error.permission
        ? " Add it under the job's `permissions:` (see the README's preview workflow)."
        : '';
    logger.warning(`Could not ${what}: ${message}${hint}`);
    return undefined;
  }
}

/**
 * A PR's sticky comment: created on first use and edited in place afterwards, found again by its
 * marker. When several carry it (two runs raced), the oldest is the one kept up to date. Within a run
 * it is looked up once.
 */
export class StickyComment {
  private known?: IssueComment;

  constructor(
    private readonly github: GitHubApi,
    readonly pr: number,
  ) {}

  /** Sets `section` of the comment, leaving the other sections as they are. */
  async set(
    section: SectionName,
    content: Parameters<typeof composeComment>[2],
  ): Promise<{ url: string; created: boolean }> {
    const existing = this.known ?? (await this.find());
    const body = composeComment(existing?.body, section, content);
    if (!existing) {
      this.known = await this.github.createIssueComment(this.pr, body);
      return { url: this.known.htmlUrl, created: true };
    }
    this.known = existing.body === body ? existing : await this.github.updateIssueComment(existing.id, body);
    return { url: this.known.htmlUrl, created: false };
  }

  private async find(): Promise<IssueComment | undefined> {
    // Any author: with a personal token as github-token, our comments are a user's, not the bot's.
    return (await this.github.listIssueComments(this.pr)).find((comment) => isOurComment(comment.body));
  }
}

/** One GitHub Deployment from in_progress to success or failure. */
export class DeploymentRecord {
  private constructor(
    private readonly github: GitHubApi,
    readonly deployment: Deployment,
    private readonly runUrl: string | undefined,
  ) {}

  static async start(
    github: GitHubApi,
    request: DeploymentRequest,
    runUrl: string | undefined,
  ): Promise<DeploymentRecord> {
    const deployment = await github.createDeployment(request);
    await github.createDeploymentStatus(deployment.id, {
      state: 'in_progress',
      description: 'Deploying',
      logUrl: runUrl,
    });
    return new DeploymentRecord(github, deployment, runUrl);
  }

  async finish(outcome: { url?: string; error?: string }): Promise<void> {
    await this.github.createDeploymentStatus(this.deployment.id, finalStatus(outcome, this.runUrl));
  }
}

/**
 * Marks the deployments of `environment` inactive, all but `keep`. GitHub's own `auto_inactive`
 * skips transient environments, so previews are deactivated here. Deactivating oldest first keeps
 * the inactive ones a prefix of the history, so walking back from the newest can stop at the first
 * inactive one — a push costs a few calls, not one per earlier push — and a re-run after a partial
 * pass finishes it.
 */
export async function deactivateDeployments(
  github: GitHubApi,
  environment: string,
  keep?: number,
): Promise<number> {
  const newestFirst = (await github.listDeployments(environment))
    .filter((deployment) => deployment.id !== keep)
    .sort((a, b) => b.id - a.id);
  const active: Deployment[] = [];
  for (const deployment of newestFirst) {
    if ((await github.latestDeploymentState(deployment.id)) === 'inactive') break;
    active.push(deployment);
  }
  for (const deployment of active.reverse()) {
    await github.createDeploymentStatus(deployment.id, {
      state: 'inactive',
      description: 'Superseded or removed',
    });
  }
  return active.length;
}
