import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GitHubError, type GitHubApi } from '../../src/github/api.js';
import { COMMENT_MARKER, type SectionName } from '../../src/github/comment.js';
import { previewDeployment, previewEnvironment } from '../../src/github/deployments.js';
import {
  bestEffort,
  deactivateDeployments,
  DeploymentRecord,
  StickyComment,
} from '../../src/github/report.js';
import type { Logger } from '../../src/log.js';
import { clientFor, READ_TOKEN } from './helpers.js';
import { startGitHubServer, type GitHubServer } from './server.js';

let server: GitHubServer;

/** Sets a section the way a fresh run does: looking the comment up first. */
const upsertComment = (github: GitHubApi, pr: number, section: SectionName, content: string) =>
  new StickyComment(github, pr).set(section, content);

const SHA = 'a'.repeat(40);

before(async () => {
  server = await startGitHubServer();
  for (const number of [1, 2, 3, 4, 5, 6])
    server.addPull({ number, headSha: SHA, headRepo: server.repository });
});
after(async () => {
  await server.close();
  assert.deepEqual(server.problems, [], 'every request and response matched GitHub’s description');
});

test('the sticky comment is found again past the first page and edited in place', async () => {
  const { github } = clientFor(server);
  for (let i = 0; i < 130; i++) server.addComment(1, `review remark ${i}`);
  const first = await upsertComment(github, 1, 'preview', 'first state');
  const second = await upsertComment(github, 1, 'preview', 'second state');
  assert.equal(first.created, true);
  assert.equal(second.created, false);
  assert.equal(second.url, first.url);
  const ours = server.comments(1).filter((c) => c.body.includes(COMMENT_MARKER));
  assert.equal(ours.length, 1);
  assert.match(ours[0]!.body, /second state/);
  // 131 comments at 100 a page: two pages to find ours, then one PATCH.
  const calls = server.requests.filter((r) => r.path.includes('/issues/'));
  assert.deepEqual(
    calls.slice(-3).map((r) => `${r.method} ${r.route}`),
    [
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
    ],
  );
});

test('a section set by another command is kept; an unchanged comment is not written again', async () => {
  const { github } = clientFor(server);
  await upsertComment(github, 2, 'plan', 'the plan');
  await upsertComment(github, 2, 'preview', 'the preview');
  const writes = server.requests.length;
  await upsertComment(github, 2, 'preview', 'the preview');
  assert.equal(server.requests.length, writes + 1, 'one GET, no PATCH');
  const [comment] = server.comments(2);
  assert.ok(comment!.body.indexOf('the preview') < comment!.body.indexOf('the plan'));
});

test('a deployment goes in_progress → success with its URL; older ones are made inactive once', async () => {
  const { github } = clientFor(server);
  const environment = previewEnvironment(3);
  const urls = [
    'https://agent.example/pr-3?v=1',
    'https://agent.example/pr-3?v=2',
    'https://agent.example/pr-3?v=3',
  ];
  for (const url of urls) {
    const record = await DeploymentRecord.start(
      github,
      previewDeployment(3, SHA, ['pr-3']),
      'https://github.com/run/1',
    );
    await record.finish({ url });
    await deactivateDeployments(github, environment, record.deployment.id);
  }
  const deployments = server.deployments(environment);
  assert.deepEqual(
    deployments.map((d) => d.states),
    [
      ['in_progress', 'success', 'inactive'],
      ['in_progress', 'success', 'inactive'],
      ['in_progress', 'success'],
    ],
  );
  assert.equal(deployments[2]!.environmentUrl, urls[2]);
  assert.equal(deployments[2]!.transient, true);
  // The third push looked at the second deployment's state, deactivated it, and stopped at the first.
  const reads = server.requests.filter((r) => r.route.endsWith('/statuses') && r.method === 'GET');
  assert.equal(reads.length, 1 + 2);

  assert.equal(await deactivateDeployments(github, environment), 1);
  assert.equal(
    await deactivateDeployments(github, environment),
    0,
    'a second cleanup has nothing left to do',
  );
});

test('a failed deploy records failure with the reason, cut to GitHub’s 140 characters', async () => {
  const { github } = clientFor(server);
  const record = await DeploymentRecord.start(github, previewDeployment(4, SHA, ['pr-4']), undefined);
  await record.finish({ error: `runtime did not start: ${'x'.repeat(300)}` });
  assert.deepEqual(server.deployments(previewEnvironment(4))[0]!.states, ['in_progress', 'failure']);
});

test('pulls.get gives the head commit and repository; an unknown PR is a 404', async () => {
  const { github } = clientFor(server);
  server.addPull({ number: 40, headSha: 'b'.repeat(40), headRepo: 'someone/agents' });
  server.closePull(40, false, '2026-11-01T00:00:00Z');
  const pull = await github.getPull(40);
  assert.deepEqual(pull, {
    number: 40,
    state: 'closed',
    merged: false,
    headSha: 'b'.repeat(40),
    headRepo: 'someone/agents',
    baseRepo: server.repository,
    closedAt: '2026-11-01T00:00:00Z',
  });
  await assert.rejects(
    github.getPull(404),
    (error: unknown) => error instanceof GitHubError && error.status === 404,
  );
});

test('a read-only token gets a warning naming the permission to add, not a failure', async () => {
  const { github } = clientFor(server, READ_TOKEN);
  const warnings: string[] = [];
  const logger = { warning: (message: string) => warnings.push(message) } as unknown as Logger;
  const result = await bestEffort(logger, 'update the pull-request comment', () =>
    upsertComment(github, 5, 'preview', 'text'),
  );
  assert.equal(result, undefined);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /Resource not accessible by integration/);
  assert.match(warnings[0]!, /permissions: pull-requests: write/);
  await assert.rejects(
    DeploymentRecord.start(github, previewDeployment(5, SHA, []), undefined),
    (error: unknown) => error instanceof GitHubError && error.permission === 'deployments: write',
  );
});

test('secondary rate limits are waited out as retry-after says, a bounded number of times', async () => {
  const { github, slept, retries } = clientFor(server);
  server.rateLimitNext(2, { status: 403, retryAfter: 7 });
  await upsertComment(github, 6, 'preview', 'after the limit');
  assert.deepEqual(slept, [7000, 7000]);
  assert.equal(retries.length, 2);
  assert.equal(server.comments(6).length, 1);

  server.rateLimitNext(10, { status: 429, retryAfter: 1 });
  await assert.rejects(
    github.listIssueComments(6),
    (error: unknown) => error instanceof GitHubError && error.status === 429,
  );
  assert.equal(slept.length, 2 + 3);
  server.rateLimitNext(0, { status: 429, retryAfter: 1 });
});

test('the server refuses what GitHub would: unknown fields and per_page over 100', async () => {
  const problems = server.problems.length;
  const headers = { authorization: 'token ghs_write_token', 'content-type': 'application/json' };
  const base = `${server.url}/repos/${server.repository}`;
  const unknownField = await fetch(`${base}/deployments`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ref: SHA, environmnet: 'typo' }),
  });
  const pageTooBig = await fetch(`${base}/issues/1/comments?per_page=101`, { headers });
  assert.equal(unknownField.status, 400);
  assert.equal(pageTooBig.status, 400);
  assert.deepEqual(
    server.problems.splice(problems).map((p) => p.split(':')[0]),
    ['request body has fields the description does not know', 'per_page is at most 100'],
  );
});
