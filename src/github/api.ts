/**
 * The GitHub REST operations pull-request previews use. `OctokitGitHub` implements them over
 * `@actions/github`; everything above depends on this interface only, so tests hand in a client
 * pointed at a local GitHub server.
 */
export interface GitHubApi {
  /** Every comment of an issue or pull request, oldest first (all pages). */
  listIssueComments(issue: number): Promise<IssueComment[]>;
  createIssueComment(issue: number, body: string): Promise<IssueComment>;
  updateIssueComment(commentId: number, body: string): Promise<IssueComment>;
  getPull(pull: number): Promise<PullRequest>;
  createDeployment(request: DeploymentRequest): Promise<Deployment>;
  /** Every deployment to `environment`, or of the repository (all pages). */
  listDeployments(environment?: string): Promise<Deployment[]>;
  createDeploymentStatus(deploymentId: number, status: DeploymentStatusRequest): Promise<void>;
  /** The state of a deployment's newest status; undefined before its first. */
  latestDeploymentState(deploymentId: number): Promise<string | undefined>;
}

export interface IssueComment {
  id: number;
  body: string;
  htmlUrl: string;
}

export interface PullRequest {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  headSha: string;
  /** `owner/name` of the head's repository; null when the fork was deleted. */
  headRepo: string | null;
  baseRepo: string;
  closedAt: string | null;
}

export interface DeploymentRequest {
  ref: string;
  environment: string;
  description: string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  payload: Record<string, unknown>;
}

export interface Deployment {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
  payload: Record<string, unknown>;
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'inactive';

export interface DeploymentStatusRequest {
  state: DeploymentState;
  description: string;
  logUrl?: string;
  environmentUrl?: string;
}

/** A GitHub API call that failed, with what a user can do about it. */
export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** The token permission the call needs, e.g. `pull-requests: write`. */
    readonly permission?: string,
  ) {
    super(message);
    this.name = 'GitHubError';
  }

  /** A 403 for a missing permission (as opposed to a rate limit). */
  get forbidden(): boolean {
    return this.status === 403 || this.status === 401;
  }
}
