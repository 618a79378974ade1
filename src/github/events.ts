/**
 * What `command: auto` does on each GitHub event, as one table: the README and action.yml show it, the
 * action follows it, and a test runs every row with GitHub's own example payloads. Production is written
 * only by the rows whose outcome is `deploy`.
 */
import { isFork, type GitHubContext, type PullRequestRef } from './context.js';

/** What a row does: one of the commands, nothing (with a notice saying why), or an error. */
export type AutoOutcome = 'deploy' | 'preview' | 'preview-cleanup' | 'nothing' | 'error';

/** What decides: the event as the runner describes it, and the inputs that change the choice. */
export interface EventFacts {
  context: Pick<GitHubContext, 'eventName' | 'action' | 'pullRequest' | 'comment' | 'deleted'>;
  /** Input `pr-number`. */
  prNumber?: number;
  /** Input `allow-fork-previews`. */
  allowForks: boolean;
}

/** One row of the table. */
export interface AutoRule {
  /** The events of the row, as a workflow's `on:` names them. */
  events: readonly string[];
  /** When the row applies, in words (Markdown). */
  when: string;
  outcome: AutoOutcome;
  applies(facts: EventFacts): boolean;
  /** For `nothing` and `error`: what the run says, and why. */
  message?(facts: EventFacts): string;
}

/** What `auto` chose for a run. */
export interface AutoChoice {
  rule: AutoRule;
  /** The pull request a `preview` of an `issue_comment` is about. */
  pr?: number;
  message?: string;
}

const PULL_EVENTS = ['pull_request', 'pull_request_target'] as const;
const PREVIEW_ACTIONS = ['opened', 'synchronize', 'reopened', 'labeled', 'edited', 'ready_for_review'];
/** The `author_association` values of people who can push to the repository. */
const WRITE_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR'];
const DISPATCH_EVENTS = ['workflow_dispatch', 'repository_dispatch'];
const DEPLOY_EVENTS = ['push', 'release', 'schedule', 'deployment', ...DISPATCH_EVENTS];
/** The input that lets events with secrets preview a fork's pull request. */
const ALLOW_FORKS_INPUT = 'allow-fork-previews';

const isPullEvent = ({ context }: EventFacts) =>
  (PULL_EVENTS as readonly string[]).includes(context.eventName);
const forkPull = (facts: EventFacts) => !!facts.context.pullRequest && isFork(facts.context.pullRequest);

/**
 * Why a fork's pull request is not previewed on `eventName`, or undefined when it may be. Under
 * `pull_request` GitHub withholds the secrets and write access a preview needs; under the events that
 * have them (`pull_request_target`, `issue_comment`, a dispatch), deploying the fork's code would hand
 * them to its author, unless a maintainer reviewed it and the workflow opts in.
 */
export function forkRefusal(
  eventName: string,
  pull: PullRequestRef,
  allowForks: boolean,
): string | undefined {
  if (!isFork(pull)) return undefined;
  const from = `Pull request #${pull.number} comes from ${pull.headRepo ?? 'a deleted fork'}`;
  if (eventName === 'pull_request') {
    return (
      `${from}: GitHub gives its runs a read-only token and no secrets, so no preview is deployed. ` +
      'A maintainer can push the branch to this repository to preview it.'
    );
  }
  if (allowForks) return undefined;
  return (
    `${from}, and \`${eventName}\` runs with this repository's secrets and a write token: deploying the ` +
    'pull request’s code would hand both to its author (a "pwn request"), so nothing is deployed. To preview ' +
    'pull requests from forks, have a maintainer review the code and set a label only maintainers can set, ' +
    "gate the job on it (`if: contains(github.event.pull_request.labels.*.name, 'safe-to-preview')`), and " +
    `set \`${ALLOW_FORKS_INPUT}: true\`.`
  );
}

/** The table, first matching row wins. */
export const AUTO_RULES: readonly AutoRule[] = [
  {
    events: ['pull_request'],
    when: 'from another repository (a fork)',
    outcome: 'nothing',
    applies: (facts) => facts.context.eventName === 'pull_request' && forkPull(facts),
    message: (facts) => forkRefusal('pull_request', facts.context.pullRequest!, facts.allowForks)!,
  },
  {
    events: ['pull_request_target'],
    when: `from another repository (a fork), unless \`${ALLOW_FORKS_INPUT}: true\``,
    outcome: 'nothing',
    applies: (facts) =>
      facts.context.eventName === 'pull_request_target' && forkPull(facts) && !facts.allowForks,
    message: (facts) => forkRefusal('pull_request_target', facts.context.pullRequest!, false)!,
  },
  {
    events: PULL_EVENTS,
    when: PREVIEW_ACTIONS.map((action) => `\`${action}\``).join(', '),
    outcome: 'preview',
    applies: (facts) => isPullEvent(facts) && PREVIEW_ACTIONS.includes(facts.context.action ?? ''),
  },
  {
    events: PULL_EVENTS,
    when: '`closed`',
    outcome: 'preview-cleanup',
    applies: (facts) => isPullEvent(facts) && facts.context.action === 'closed',
  },
  {
    events: PULL_EVENTS,
    when: 'any other activity (`assigned`, `unlabeled`, …)',
    outcome: 'nothing',
    applies: isPullEvent,
    message: ({ context }) =>
      `${context.eventName} \`${context.action ?? 'without an action'}\` changes nothing a preview shows: nothing to do.`,
  },
  {
    events: ['issue_comment'],
    when: `\`created\` on a pull request by someone with write access (${WRITE_ASSOCIATIONS.join(', ')})`,
    outcome: 'preview',
    applies: ({ context: { eventName, action, comment } }) =>
      eventName === 'issue_comment' &&
      action === 'created' &&
      !!comment?.onPullRequest &&
      WRITE_ASSOCIATIONS.includes(comment.authorAssociation),
  },
  {
    events: ['issue_comment'],
    when: 'on a pull request, by anyone else, or edited or deleted',
    outcome: 'nothing',
    applies: ({ context }) => context.eventName === 'issue_comment' && !!context.comment?.onPullRequest,
    message: ({ context: { action, comment } }) =>
      action === 'created'
        ? `The comment on pull request #${comment!.issue} is by someone without write access ` +
          `(author_association ${comment!.authorAssociation}): only ${WRITE_ASSOCIATIONS.join(', ')} can ask for a preview.`
        : `A comment on pull request #${comment!.issue} was ${action ?? 'changed'}: only a new comment asks for a preview.`,
  },
  {
    events: ['issue_comment'],
    when: 'on an issue',
    outcome: 'nothing',
    applies: ({ context }) => context.eventName === 'issue_comment',
    message: ({ context }) =>
      `The comment is on issue #${context.comment?.issue ?? '?'}, not on a pull request: nothing to preview.`,
  },
  {
    events: DISPATCH_EVENTS,
    when: 'with the `pr-number` input',
    outcome: 'preview',
    applies: ({ context, prNumber }) => DISPATCH_EVENTS.includes(context.eventName) && prNumber !== undefined,
  },
  {
    events: ['push'],
    when: 'that deletes a branch or tag (`deleted: true`)',
    outcome: 'nothing',
    applies: ({ context }) => context.eventName === 'push' && context.deleted === true,
    message: () => 'The push deleted a branch or tag: there is nothing to deploy.',
  },
  {
    events: DEPLOY_EVENTS,
    when: 'otherwise (a push to a branch or a new tag, a dispatch without `pr-number`, …)',
    outcome: 'deploy',
    applies: ({ context }) => DEPLOY_EVENTS.includes(context.eventName),
  },
  {
    events: ['any other'],
    when: '',
    outcome: 'error',
    applies: () => true,
    message: ({ context }) =>
      (context.eventName
        ? `command: auto does not know what to do on a \`${context.eventName}\` event.`
        : 'command: auto picks from the GitHub event, and this run has none (GITHUB_EVENT_NAME is not set).') +
      ' Set `command:` to deploy, preview, preview-cleanup or plan explicitly for this workflow.',
  },
];

/** The row that decides for `facts`, with the PR it is about and what the run should say. */
export function chooseForEvent(facts: EventFacts): AutoChoice {
  const rule = AUTO_RULES.find((candidate) => candidate.applies(facts))!;
  const onComment = facts.context.eventName === 'issue_comment' && rule.outcome === 'preview';
  return {
    rule,
    pr: onComment ? facts.context.comment?.issue : undefined,
    message: rule.message?.(facts),
  };
}

const OUTCOME_TEXT: Record<AutoOutcome, string> = {
  deploy: '`deploy` (production)',
  preview: '`preview`',
  'preview-cleanup': '`preview-cleanup`',
  nothing: 'nothing, with a notice',
  error: 'an error asking for an explicit `command:`',
};

const eventList = (events: readonly string[], separator = ', ') =>
  events.map((event) => (event === 'any other' ? 'any other event' : `\`${event}\``)).join(separator);

/** The table as Markdown, for the README. */
export function autoTable(): string {
  return [
    '| Event | When | `auto` runs |',
    '| --- | --- | --- |',
    ...AUTO_RULES.map(
      (rule) => `| ${eventList(rule.events)} | ${rule.when || '—'} | ${OUTCOME_TEXT[rule.outcome]} |`,
    ),
  ].join('\n');
}

/** The table as one sentence, for action.yml's description of `command`. */
export function autoSummary(): string {
  return AUTO_RULES.map(
    (rule) =>
      `${eventList(rule.events, ' or ')}${rule.when ? ` ${rule.when}` : ''} → ${OUTCOME_TEXT[rule.outcome]}`,
  ).join('; ');
}
