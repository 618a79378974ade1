import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isFork, readGitHubContext } from '../../src/github/context.js';
import { eventPath } from './helpers.js';

const env = (event: string, eventName = 'pull_request') => ({
  GITHUB_REPOSITORY: 'octo-org/agents',
  GITHUB_EVENT_NAME: eventName,
  GITHUB_EVENT_PATH: eventPath(event),
  GITHUB_SHA: 'f00d'.repeat(10),
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '2',
});

test('a pull_request event gives the PR, its head commit (not the merge commit) and the run link', async () => {
  const context = await readGitHubContext(env('pull_request.synchronize'));
  assert.equal(context?.action, 'synchronize');
  assert.equal(context?.runUrl, 'https://github.com/octo-org/agents/actions/runs/4242/attempts/2');
  assert.equal(context?.apiUrl, 'https://api.github.com');
  assert.deepEqual(context?.pullRequest, {
    number: 7,
    headSha: '2222222222222222222222222222222222222222',
    headRepo: 'octo-org/agents',
    baseRepo: 'octo-org/agents',
    merged: false,
    state: 'open',
  });
  assert.equal(isFork(context!.pullRequest!), false);
});

test('forks, deleted forks and merges are told apart', async () => {
  const fork = await readGitHubContext(env('pull_request.opened.fork'));
  assert.equal(isFork(fork!.pullRequest!), true);
  const deleted = await readGitHubContext(env('pull_request.closed.deleted-fork'));
  assert.equal(deleted?.pullRequest?.headRepo, null);
  assert.equal(isFork(deleted!.pullRequest!), true);
  const merged = await readGitHubContext(env('pull_request.closed'));
  assert.deepEqual(
    [merged?.action, merged?.pullRequest?.state, merged?.pullRequest?.merged],
    ['closed', 'closed', true],
  );
});

test('a push has no PR; outside Actions there is no context', async () => {
  const push = await readGitHubContext(env('push', 'push'));
  assert.equal(push?.pullRequest, undefined);
  assert.equal(await readGitHubContext({}), undefined);
  await assert.rejects(
    readGitHubContext({ GITHUB_REPOSITORY: 'a/b', GITHUB_EVENT_PATH: '/nonexistent.json' }),
    /GITHUB_EVENT_PATH/,
  );
});
