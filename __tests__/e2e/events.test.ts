// `command: auto` on every row of the event table, with GitHub's own example payloads: what each event
// wrote to production and to a preview, on the emulator and on the local GitHub server. Where GitHub has
// no example for a row, the smallest edit of one is made and checked against GitHub's webhook schema.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chooseCommand } from '../../src/app/commands/index.js';
import { defaultDeps, run } from '../../src/app/run.js';
import { failureMessage } from '../../src/errors.js';
import { AUTO_RULES, type AutoOutcome, type AutoRule } from '../../src/github/events.js';
import { readSettings } from '../../src/settings.js';
import { WRITE_TOKEN } from '../github/helpers.js';
import { startGitHubServer, type GitHubServer } from '../github/server.js';
import { assertEditKeepsShape, webhookExample } from '../github/webhooks.js';
import { emulatorInputs, recordingHost, remoteState, withSetup, type Inputs } from './helpers.js';

const REPOSITORY = 'Codertocat/Hello-World';
const FORK = 'contributor/Hello-World';

type Payload = Record<string, unknown>;
type Written = 'production' | 'preview' | 'nothing';

interface Row {
  name: string;
  event: string;
  payload: Payload;
  inputs?: Inputs;
  /** The outcome of the table row the event falls in. */
  outcome: AutoOutcome;
  /** What the emulator shows afterwards. */
  writes: Written;
  /** A notice or error the run must show. */
  says?: RegExp;
}

const example = webhookExample;

/** An edit of `original` (GitHub's `webhook` example), checked against GitHub's schema of `asWebhook`. */
function edited(
  original: { webhook: string; payload: Payload },
  asWebhook: string,
  edit: (payload: Payload) => void,
): Payload {
  const payload = structuredClone(original.payload);
  edit(payload);
  assertEditKeepsShape(original, { webhook: asWebhook, payload });
  return payload;
}

const pullOpened = { webhook: 'pull-request-opened', payload: example('pull_request', 'opened') };
const fromFork = (payload: Payload) => {
  const head = (payload.pull_request as { head: { repo: { full_name: string } } }).head;
  head.repo.full_name = FORK;
};
const commentCreated = { webhook: 'issue-comment-created', payload: example('issue_comment', 'created') };
const commentEdited = { webhook: 'issue-comment-edited', payload: example('issue_comment', 'edited') };
/** GitHub marks an issue that is a pull request with `issue.pull_request`. */
const onPull = (payload: Payload) => {
  const issue = payload.issue as { number: number; pull_request?: object };
  const url = `https://github.com/${REPOSITORY}/pull/${issue.number}`;
  issue.pull_request = {
    url: `https://api.github.com/repos/${REPOSITORY}/pulls/${issue.number}`,
    html_url: url,
    diff_url: `${url}.diff`,
    patch_url: `${url}.patch`,
  };
};
const COMMENTED_PR = (commentCreated.payload.issue as { number: number }).number;

const pullRows = (event: string): Row[] => [
  ...['opened', 'synchronize', 'reopened', 'labeled'].map((action): Row => ({
    name: `${event} ${action}`,
    event,
    payload: example('pull_request', action),
    outcome: 'preview',
    writes: 'preview',
  })),
  {
    name: `${event} edited (no example: opened, edited)`,
    event,
    payload: edited(pullOpened, 'pull-request-edited', (p) => {
      p.action = 'edited';
      p.changes = { title: { from: 'Update the README' } };
    }),
    outcome: 'preview',
    writes: 'preview',
  },
  {
    name: `${event} ready_for_review`,
    event,
    payload: example('pull_request', 'ready_for_review'),
    outcome: 'preview',
    writes: 'preview',
  },
  {
    name: `${event} assigned`,
    event,
    payload: example('pull_request', 'assigned'),
    outcome: 'nothing',
    writes: 'nothing',
    says: /`assigned` changes nothing a preview shows/,
  },
  {
    name: `${event} closed`,
    event,
    payload: example('pull_request', 'closed'),
    outcome: 'preview-cleanup',
    writes: 'preview',
  },
];

const ROWS: Row[] = [
  {
    name: 'push to a branch',
    event: 'push',
    payload: example('push', undefined, (p) => p.ref === 'refs/heads/master'),
    outcome: 'deploy',
    writes: 'production',
  },
  {
    name: 'push of a new tag',
    event: 'push',
    payload: example('push', undefined, (p) => p.created === true && String(p.ref).startsWith('refs/tags/')),
    outcome: 'deploy',
    writes: 'production',
  },
  {
    name: 'push that deletes a tag',
    event: 'push',
    payload: example('push', undefined, (p) => p.deleted === true),
    outcome: 'nothing',
    writes: 'nothing',
    says: /deleted a branch or tag/,
  },
  {
    name: 'release published',
    event: 'release',
    payload: example('release', 'published'),
    outcome: 'deploy',
    writes: 'production',
  },
  {
    name: 'deployment created',
    event: 'deployment',
    payload: example('deployment', 'created'),
    outcome: 'deploy',
    writes: 'production',
  },
  // `schedule` is no webhook: GitHub neither has an example nor a schema of it. Its payload names the cron.
  {
    name: 'schedule',
    event: 'schedule',
    payload: { schedule: '17 3 * * 1' },
    outcome: 'deploy',
    writes: 'production',
  },
  {
    name: 'workflow_dispatch',
    event: 'workflow_dispatch',
    payload: example('workflow_dispatch'),
    outcome: 'deploy',
    writes: 'production',
  },
  {
    name: 'repository_dispatch',
    event: 'repository_dispatch',
    payload: example('repository_dispatch'),
    outcome: 'deploy',
    writes: 'production',
  },
  {
    name: 'workflow_dispatch with pr-number',
    event: 'workflow_dispatch',
    payload: example('workflow_dispatch'),
    inputs: { 'pr-number': '2' },
    outcome: 'preview',
    writes: 'preview',
  },
  {
    name: 'repository_dispatch with pr-number',
    event: 'repository_dispatch',
    payload: example('repository_dispatch'),
    inputs: { 'pr-number': '2' },
    outcome: 'preview',
    writes: 'preview',
  },
  ...pullRows('pull_request'),
  {
    name: 'pull_request from a fork (no example: opened, head in another repository)',
    event: 'pull_request',
    payload: edited(pullOpened, 'pull-request-opened', fromFork),
    outcome: 'nothing',
    writes: 'nothing',
    says: /read-only token and no secrets/,
  },
  ...pullRows('pull_request_target'),
  {
    name: 'pull_request_target from a fork',
    event: 'pull_request_target',
    payload: edited(pullOpened, 'pull-request-opened', fromFork),
    outcome: 'nothing',
    writes: 'nothing',
    says: /pwn request.*safe-to-preview.*allow-fork-previews: true/,
  },
  {
    name: 'pull_request_target from a fork, with allow-fork-previews',
    event: 'pull_request_target',
    payload: edited(pullOpened, 'pull-request-opened', fromFork),
    inputs: { 'allow-fork-previews': 'true' },
    outcome: 'preview',
    writes: 'preview',
  },
  {
    name: 'issue_comment on a pull request by its owner (no example: on an issue)',
    event: 'issue_comment',
    payload: edited(commentCreated, 'issue-comment-created', onPull),
    outcome: 'preview',
    writes: 'preview',
  },
  {
    name: 'issue_comment on a pull request by someone without write access',
    event: 'issue_comment',
    payload: edited(commentCreated, 'issue-comment-created', (p) => {
      onPull(p);
      (p.comment as { author_association: string }).author_association = 'CONTRIBUTOR';
    }),
    outcome: 'nothing',
    writes: 'nothing',
    says: /without write access \(author_association CONTRIBUTOR\)/,
  },
  {
    name: 'issue_comment edited on a pull request',
    event: 'issue_comment',
    payload: edited(commentEdited, 'issue-comment-edited', onPull),
    outcome: 'nothing',
    writes: 'nothing',
    says: /was edited: only a new comment asks for a preview/,
  },
  {
    name: 'issue_comment on an issue',
    event: 'issue_comment',
    payload: commentCreated.payload,
    outcome: 'nothing',
    writes: 'nothing',
    says: /not on a pull request/,
  },
  {
    name: 'watch started',
    event: 'watch',
    payload: example('watch', 'started'),
    outcome: 'error',
    writes: 'nothing',
    says: /does not know what to do on a `watch` event\. Set `command:`/,
  },
  {
    name: 'create (a branch)',
    event: 'create',
    payload: example('create'),
    outcome: 'error',
    writes: 'nothing',
    says: /`create` event/,
  },
];

/** The account's state, split into production (the s.yaml's runtime) and previews (`-pr-` runtimes). */
async function snapshot(emulator: Parameters<typeof remoteState>[0]) {
  const runtimes = await remoteState(emulator);
  const part = (preview: boolean) =>
    JSON.stringify(runtimes.filter((r) => /-pr-\d+$/.test(r.agentRuntimeName) === preview));
  return { production: part(false), previews: part(true) };
}

void test('command: auto writes production only on the deploy rows, for every example payload', () =>
  withSetup('single', {}, async (emulator, project) => {
    const github: GitHubServer = await startGitHubServer({ repository: REPOSITORY });
    const files = await mkdtemp(join(tmpdir(), 'agentrun-events-'));
    const used = new Set<AutoRule>();
    const report: string[] = [];
    try {
      for (const number of [2, COMMENTED_PR]) {
        github.addPull({ number, headSha: String(number).repeat(40), headRepo: REPOSITORY });
      }
      for (const [i, row] of ROWS.entries()) {
        const eventPath = join(files, `${i}.json`);
        await writeFile(eventPath, JSON.stringify(row.payload));
        const env = {
          GITHUB_REPOSITORY: REPOSITORY,
          GITHUB_API_URL: github.url,
          GITHUB_EVENT_NAME: row.event,
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_SHA: 'f00df00df00df00df00df00df00df00df00df00d',
          GITHUB_RUN_ID: '4242',
        };
        const inputs: Inputs = {
          ...emulatorInputs(emulator),
          'github-token': WRITE_TOKEN,
          command: 'auto',
          ...row.inputs,
        };
        const settings = readSettings((name) => inputs[name] ?? '', project.dir);
        const { rule } = await chooseCommand(settings, env);
        used.add(rule);
        assert.equal(rule.outcome, row.outcome, row.name);

        // A new file in the code each time, so any deploy this row makes is a write.
        await writeFile(join(project.dir, 'code', 'row.txt'), `${row.name}\n`);
        const before = await snapshot(emulator);
        const productionDeployments = github.deployments('production').length;
        const { host, captured } = recordingHost(env);
        let failure: string | undefined;
        try {
          await run(settings, host, defaultDeps);
        } catch (error) {
          failure = failureMessage(error);
        }
        const after = await snapshot(emulator);
        const wrote: Written =
          after.production !== before.production
            ? 'production'
            : after.previews !== before.previews
              ? 'preview'
              : 'nothing';
        report.push(`${row.name.padEnd(72)} ${rule.outcome.padEnd(16)} wrote ${wrote}`);
        const log = `${row.name}:\n${captured.lines.join('\n')}\n${failure ?? ''}`;
        assert.equal(wrote, row.writes, log);
        assert.equal(after.production !== before.production && after.previews !== before.previews, false);
        assert.equal(
          github.deployments('production').length - productionDeployments,
          row.writes === 'production' ? 1 : 0,
          `${row.name}: GitHub deployments to production`,
        );
        if (row.outcome === 'error') {
          assert.match(failure ?? '', row.says!, log);
          continue;
        }
        assert.equal(failure, undefined, log);
        if (row.says) {
          assert.ok(
            captured.lines.some((line) => line.startsWith('notice: ') && row.says!.test(line)),
            log,
          );
          assert.match(captured.summaries.join('\n'), row.says, `${row.name}: the job summary says why`);
        }
      }
      assert.deepEqual(
        AUTO_RULES.filter((rule) => !used.has(rule)).map((rule) => `${rule.events.join(', ')} ${rule.when}`),
        [],
        'every row of the table is run',
      );
      assert.deepEqual(github.problems, [], 'every GitHub call matched GitHub’s description');
      console.log(report.join('\n'));
    } finally {
      await github.close();
      await rm(files, { recursive: true, force: true });
    }
  }));
