import type { getOctokit } from '@actions/github';
import type { Clock } from '../system/clock.js';
import {
  GitHubError,
  type Deployment,
  type DeploymentRequest,
  type DeploymentStatusRequest,
  type GitHubApi,
  type IssueComment,
  type PullRequest,
} from './api.js';

export interface GitHubClientOptions {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** GITHUB_API_URL: api.github.com, a GHES host, or a local server in tests. */
  apiUrl: string;
  clock: Clock;
  /** Told about each wait for a rate limit or a server error before the call is repeated. */
  onRetry?(message: string): void;
}

/** How often a rate-limited or 5xx call is repeated, and the longest `retry-after` we wait out. */
const RETRIES = 3;
const MAX_WAIT_MS = 60_000;
const SERVER_ERROR_WAIT_MS = 1_000;

const Permission = {
  PullRequests: 'pull-requests: write',
  PullRequestsRead: 'pull-requests: read',
  Deployments: 'deployments: write',
} as const;

type Octokit = ReturnType<typeof getOctokit>;

/** GitHubApi over Octokit (`@actions/github`), with a bounded wait-and-retry for rate limits. */
export class OctokitGitHub implements GitHubApi {
  /** Loaded on first use: most runs never talk to GitHub, and Octokit is a large part of the bundle. */
  private readonly octokit: Promise<Octokit>;
  private readonly owner: string;
  private readonly repo: string;

  constructor(private readonly options: GitHubClientOptions) {
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo)
      throw new Error(`GITHUB_REPOSITORY must be owner/name, not "${options.repository}".`);
    this.owner = owner;
    this.repo = repo;
    // `@actions/github` reads GITHUB_API_URL once, when it loads; the base URL given here wins.
    this.octokit = import('@actions/github').then(({ getOctokit }) =>
      getOctokit(options.token, { baseUrl: options.apiUrl.replace(/\/+$/, '') }),
    );
  }

  private get where() {
    return { owner: this.owner, repo: this.repo };
  }

  listIssueComments(issue: number): Promise<IssueComment[]> {
    return this.call(Permission.PullRequestsRead, async (octokit) => {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        ...this.where,
        issue_number: issue,
        per_page: 100,
      });
      return comments.map(toComment);
    });
  }

  createIssueComment(issue: number, body: string): Promise<IssueComment> {
    return this.call(Permission.PullRequests, async (octokit) => {
      const { data } = await octokit.rest.issues.createComment({
        ...this.where,
        issue_number: issue,
        body,
      });
      return toComment(data);
    });
  }

  updateIssueComment(commentId: number, body: string): Promise<IssueComment> {
    return this.call(Permission.PullRequests, async (octokit) => {
      const { data } = await octokit.rest.issues.updateComment({
        ...this.where,
        comment_id: commentId,
        body,
      });
      return toComment(data);
    });
  }

  getPull(pull: number): Promise<PullRequest> {
    return this.call(Permission.PullRequestsRead, async (octokit) => {
      const { data } = await octokit.rest.pulls.get({ ...this.where, pull_number: pull });
      return {
        number: data.number,
        state: data.state === 'closed' ? 'closed' : 'open',
        merged: data.merged,
        headSha: data.head.sha,
        headRepo: data.head.repo?.full_name ?? null,
        baseRepo: data.base.repo.full_name,
        closedAt: data.closed_at,
      };
    });
  }

  createDeployment(request: DeploymentRequest): Promise<Deployment> {
    return this.call(Permission.Deployments, async (octokit) => {
      const response = await octokit.rest.repos.createDeployment({
        ...this.where,
        ref: request.ref,
        environment: request.environment,
        description: request.description,
        transient_environment: request.transientEnvironment,
        production_environment: request.productionEnvironment,
        payload: request.payload,
        // A deployment records what ran; it must neither merge the base branch into the ref
        // (GitHub pushes a merge commit and answers 202) nor wait for the PR's own checks (409).
        auto_merge: false,
        required_contexts: [],
      });
      if (!('id' in response.data)) {
        // 202: GitHub merged the base branch instead of creating a deployment.
        throw new GitHubError(
          `GitHub did not create the deployment: ${response.data.message ?? ''}`,
          response.status,
        );
      }
      return toDeployment(response.data);
    });
  }

  listDeployments(environment?: string): Promise<Deployment[]> {
    return this.call(Permission.Deployments, async (octokit) => {
      const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, {
        ...this.where,
        ...(environment === undefined ? {} : { environment }),
        per_page: 100,
      });
      return deployments.map(toDeployment);
    });
  }

  createDeploymentStatus(deploymentId: number, status: DeploymentStatusRequest): Promise<void> {
    return this.call(Permission.Deployments, async (octokit) => {
      await octokit.rest.repos.createDeploymentStatus({
        ...this.where,
        deployment_id: deploymentId,
        state: status.state,
        description: status.description.slice(0, MAX_STATUS_DESCRIPTION),
        ...(status.logUrl ? { log_url: status.logUrl } : {}),
        ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
        // Older deployments of a preview are deactivated by us: GitHub's own auto_inactive skips
        // transient environments.
        auto_inactive: false,
      });
    });
  }

  latestDeploymentState(deploymentId: number): Promise<string | undefined> {
    return this.call(Permission.Deployments, async (octokit) => {
      // Statuses come newest first.
      const { data } = await octokit.rest.repos.listDeploymentStatuses({
        ...this.where,
        deployment_id: deploymentId,
        per_page: 1,
      });
      return data[0]?.state;
    });
  }

  /**
   * Runs `request`, waiting out secondary rate limits (403/429 with `retry-after`, or an exhausted
   * quota) and 5xx answers a bounded number of times; any other failure becomes a GitHubError.
   */
  private async call<T>(permission: string, request: (octokit: Octokit) => Promise<T>): Promise<T> {
    const octokit = await this.octokit;
    for (let retry = 0; ; retry++) {
      try {
        return await request(octokit);
      } catch (error) {
        const failure = asHttpFailure(error);
        if (!failure) throw error;
        const waitMs = retryDelay(failure, retry, this.options.clock.now());
        if (waitMs === undefined || retry >= RETRIES) throw toGitHubError(failure, permission);
        this.options.onRetry?.(
          `GitHub answered ${failure.status} (${failure.message}); retrying in ${Math.ceil(waitMs / 1000)} s.`,
        );
        await this.options.clock.sleep(waitMs);
      }
    }
  }
}

const MAX_STATUS_DESCRIPTION = 140;

interface HttpFailure {
  status: number;
  message: string;
  headers: Record<string, string | number | undefined>;
}

/** Octokit's RequestError, read structurally (its class is not exported by `@actions/github`). */
function asHttpFailure(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') return undefined;
  const response =
    'response' in error
      ? (error.response as { headers?: HttpFailure['headers']; data?: unknown })
      : undefined;
  const data = response?.data as { message?: unknown } | undefined;
  return {
    status: error.status,
    message: typeof data?.message === 'string' ? data.message : error.message,
    headers: response?.headers ?? {},
  };
}

/** How long to wait before repeating the call, or undefined when it must not be repeated. */
function retryDelay(
  { status, message, headers }: HttpFailure,
  retry: number,
  now: number,
): number | undefined {
  if (status >= 500) return SERVER_ERROR_WAIT_MS * 2 ** retry;
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && headers['retry-after'] !== undefined)
    return Math.min(retryAfter * 1000, MAX_WAIT_MS);
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const resetMs = Number(headers['x-ratelimit-reset']) * 1000 - now;
    return Math.min(Math.max(resetMs, 1000), MAX_WAIT_MS);
  }
  // A secondary limit without a hint: GitHub asks for at least a minute.
  if (/secondary rate limit/i.test(message)) return MAX_WAIT_MS;
  return undefined;
}

function toGitHubError({ status, message }: HttpFailure, permission: string): GitHubError {
  if (status === 403 && !/rate limit/i.test(message)) {
    return new GitHubError(
      `GitHub refused the token (${message}). Give the workflow \`permissions: ${permission}\`.`,
      status,
      permission,
    );
  }
  if (status === 401) {
    return new GitHubError(
      `GitHub rejected the token (${message}); check the github-token input.`,
      status,
      permission,
    );
  }
  return new GitHubError(`GitHub answered ${status}: ${message}`, status);
}

function toComment(data: { id: number; body?: string; html_url: string }): IssueComment {
  return { id: data.id, body: data.body ?? '', htmlUrl: data.html_url };
}

function toDeployment(data: {
  id: number;
  sha: string;
  environment: string;
  created_at: string;
  payload: Record<string, unknown> | string;
}): Deployment {
  return {
    id: data.id,
    sha: data.sha,
    environment: data.environment,
    createdAt: data.created_at,
    payload: typeof data.payload === 'string' ? parsePayload(data.payload) : data.payload,
  };
}

function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
