import { readFile } from 'node:fs/promises';

/** The pull request a run is about, as its event payload (or `pulls.get`) describes it. */
export interface PullRequestRef {
  number: number;
  /** The PR's own head commit: what a preview deploys (GITHUB_SHA is a merge commit). */
  headSha: string;
  /** `owner/name`, or null when the head's fork was deleted. */
  headRepo: string | null;
  baseRepo: string;
  merged: boolean;
  state: 'open' | 'closed';
}

/** What a run knows about where it runs on GitHub. */
export interface GitHubContext {
  /** `owner/name`. */
  repository: string;
  apiUrl: string;
  serverUrl: string;
  sha: string;
  eventName: string;
  /** The event payload's `action`, e.g. `opened` or `closed`. */
  action?: string;
  /** The link to this workflow run's log, if known. */
  runUrl?: string;
  pullRequest?: PullRequestRef;
  /** `issue_comment`: the issue or pull request commented on, and who commented. */
  comment?: IssueCommentRef;
  /** `push`: true when the push deleted its branch or tag. */
  deleted?: boolean;
}

/** What an `issue_comment` event says about the comment. */
export interface IssueCommentRef {
  /** The issue's (or pull request's) number. */
  issue: number;
  /** Whether the issue is a pull request (GitHub sets `issue.pull_request` then). */
  onPullRequest: boolean;
  /** The commenter's relation to the repository: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE… */
  authorAssociation: string;
}

/** A PR whose head is in another repository (or in a deleted one): its run gets a read-only token and no secrets. */
export function isFork(pull: Pick<PullRequestRef, 'headRepo' | 'baseRepo'>): boolean {
  return pull.headRepo !== pull.baseRepo;
}

/**
 * Reads the runner's GITHUB_* variables and the event payload at GITHUB_EVENT_PATH. Outside Actions
 * (no GITHUB_REPOSITORY) it returns undefined.
 */
export async function readGitHubContext(
  env: Readonly<Record<string, string | undefined>>,
): Promise<GitHubContext | undefined> {
  const repository = env.GITHUB_REPOSITORY;
  if (!repository) return undefined;
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const payload = env.GITHUB_EVENT_PATH ? await readPayload(env.GITHUB_EVENT_PATH) : {};
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
  return {
    repository,
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    serverUrl,
    sha: env.GITHUB_SHA ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    action: typeof payload.action === 'string' ? payload.action : undefined,
    runUrl: env.GITHUB_RUN_ID
      ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`
      : undefined,
    pullRequest: pullRequestOf(payload.pull_request),
    comment: commentOf(payload),
    deleted: payload.deleted === true ? true : undefined,
  };
}

async function readPayload(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read the event payload at GITHUB_EVENT_PATH (${path}): ${(error as Error).message}`,
    );
  }
  const value: unknown = JSON.parse(text);
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** The fields we use of a webhook `pull_request` object; undefined if it is not one. */
function pullRequestOf(value: unknown): PullRequestRef | undefined {
  const pull = value as WebhookPull | undefined;
  if (!pull || typeof pull.number !== 'number' || typeof pull.head?.sha !== 'string') return undefined;
  return {
    number: pull.number,
    headSha: pull.head.sha,
    headRepo: pull.head.repo?.full_name ?? null,
    baseRepo: pull.base?.repo?.full_name ?? '',
    merged: pull.merged === true,
    state: pull.state === 'closed' ? 'closed' : 'open',
  };
}

/** The commented issue of an `issue_comment` payload; undefined for any other payload. */
function commentOf(payload: Record<string, unknown>): IssueCommentRef | undefined {
  const { issue, comment } = payload as {
    issue?: { number?: unknown; pull_request?: unknown };
    comment?: { author_association?: unknown };
  };
  if (typeof issue?.number !== 'number' || !comment) return undefined;
  return {
    issue: issue.number,
    onPullRequest: !!issue.pull_request,
    authorAssociation: typeof comment.author_association === 'string' ? comment.author_association : 'NONE',
  };
}

interface WebhookPull {
  number?: unknown;
  state?: unknown;
  merged?: unknown;
  head?: { sha?: unknown; repo?: { full_name?: string } | null };
  base?: { repo?: { full_name?: string } };
}
