// Pull-request previews end to end: the emulator plays AgentRun, the local GitHub server plays GitHub
// (checking every call against GitHub's OpenAPI description), the event payloads are fixtures.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMMENT_MARKER } from '../../src/github/comment.js';
import { defaultDeps, run } from '../../src/app/run.js';
import { failureMessage } from '../../src/errors.js';
import { readSettings } from '../../src/settings.js';
import { runnerEnv, WRITE_TOKEN } from '../github/helpers.js';
import { firstLine, outcomeProblems, renderGfm, renderingProblems } from '../github/markdown.js';
import { startGitHubServer, type GitHubServer } from '../github/server.js';
import {
  ask,
  emulatorInputs,
  recordingHost,
  remoteState,
  withSetup,
  type Inputs,
  type Project,
} from './helpers.js';

const API_KEY = 'sk-prod-4f9c1e77aa';
const PR_API_KEY = 'sk-pr7-b3d08c55ee';
const HEADS = ['1'.repeat(40), '2'.repeat(40), '3'.repeat(40)];
const PUSHES = ['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'];

/** Runs the action's core in process as the runner would for `event`. */
async function runEvent(
  github: GitHubServer,
  project: Project,
  inputs: Inputs,
  event: string,
  eventName = 'pull_request',
) {
  const { host, captured } = recordingHost(runnerEnv(github, event, eventName));
  try {
    await run(
      readSettings((name) => inputs[name] ?? '', project.dir),
      host,
      defaultDeps,
    );
    return { captured, failure: undefined };
  } catch (error) {
    return { captured, failure: failureMessage(error) };
  }
}

const withServers = (
  body: (github: GitHubServer, ...rest: Parameters<Parameters<typeof withSetup>[2]>) => Promise<void>,
) =>
  withSetup('single', {}, async (emulator, project) => {
    const github = await startGitHubServer();
    try {
      await body(github, emulator, project);
    } finally {
      await github.close();
      assert.deepEqual(github.problems, [], 'every GitHub call matched GitHub’s description');
    }
  });

void describe('a pull request previewed on an endpoint of its own', () => {
  void test('three pushes: one comment edited in place, a deployment with the URL, production untouched; closing removes it', () =>
    withServers(async (github, emulator, project) => {
      await project.edit(
        's.yaml',
        '          ENVIRONMENT: e2e\n',
        '          ENVIRONMENT: e2e\n          API_KEY: ${env(API_KEY)}\n',
      );
      const base: Inputs = { ...emulatorInputs(emulator), 'github-token': WRITE_TOKEN, command: 'auto' };
      const production = { ...base, dotenv: `API_KEY=${API_KEY}` };
      const pr = { ...base, dotenv: `API_KEY=${PR_API_KEY}` };

      // main: deploy, then pin production to the version it serves.
      const first = await runEvent(github, project, production, 'push', 'push');
      assert.equal(first.failure, undefined, first.captured.lines.join('\n'));
      await project.edit('s.yaml', '            version: LATEST\n', '            version: 1\n');
      const pinned = await runEvent(github, project, production, 'push', 'push');
      assert.equal(pinned.failure, undefined, pinned.captured.lines.join('\n'));
      const productionUrl = pinned.captured.outputs.url!;
      const before = await ask(productionUrl, 'ping');
      assert.equal(before.status, 200);
      assert.deepEqual(
        github.deployments('production').map((d) => d.states),
        [
          ['in_progress', 'success'],
          ['in_progress', 'success'],
        ],
      );
      assert.equal(github.deployments('production')[1]!.environmentUrl, productionUrl);

      github.addPull({ number: 7, headSha: HEADS[0]!, headRepo: github.repository });
      github.addComment(7, 'Looks good, can I try it?');
      const answers: { status: number; body: string }[] = [];
      let previewing = true;
      const poller = (async () => {
        while (previewing) {
          answers.push(await ask(productionUrl, 'ping'));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();

      const previewUrls: string[] = [];
      const callsPerPush: string[][] = [];
      for (const [i, event] of PUSHES.entries()) {
        await project.edit('code/main.py', i === 0 ? 'You said' : `Push ${i} says`, `Push ${i + 1} says`);
        const since = github.requests.length;
        const push = await runEvent(github, project, pr, event);
        assert.equal(push.failure, undefined, push.captured.lines.join('\n'));
        callsPerPush.push(github.requests.slice(since).map((r) => `${r.method} ${r.route} → ${r.status}`));
        const url = push.captured.outputs.url!;
        previewUrls.push(url);
        const answer = await ask(url, 'hello');
        assert.match(answer.body, new RegExp(`Push ${i + 1} says: hello`));
      }
      previewing = false;
      await poller;

      // Production answered exactly as before, before, during and after the three previews.
      const after = await ask(productionUrl, 'ping');
      assert.ok(answers.length > 0);
      for (const answer of [...answers, after]) assert.deepEqual(answer, before);
      const [runtime] = await remoteState(emulator);
      const live = runtime!.endpoints.find((e) => e.agentRuntimeEndpointName === 'live')!;
      assert.equal(live.targetVersion, '1');
      const preview = runtime!.endpoints.find((e) => e.agentRuntimeEndpointName === 'pr-7')!;
      assert.equal(preview.targetVersion, String(runtime!.versions.length));

      // One comment, created on the first push and edited in place since; the reviewer's is left alone.
      const comments = github.comments(7);
      assert.equal(comments.length, 2);
      const ours = comments.filter((c) => c.body.includes(COMMENT_MARKER));
      assert.equal(ours.length, 1);
      const comment = ours[0]!.body;
      assert.match(comment, /✅ Ready/);
      assert.ok(comment.includes(previewUrls[2]!), comment);
      assert.match(comment, /Commit \[3333333\]\(<https:\/\/github\.com\/.*\/commit\/3333333/);
      assert.deepEqual(outcomeProblems(comment, { url: true }), []);
      assert.match(
        firstLine(comment),
        new RegExp(`^✅ Preview ready — e2e-agent version \\d+ at ${previewUrls[2]!}$`),
      );
      assert.equal(
        github.requests.filter((r) => r.method === 'POST' && r.route.endsWith('/comments')).length,
        1,
      );
      // A later push: the comment looked up once and edited twice, a deployment with two statuses, and
      // the previous deployment (found active; the one before it, inactive, ends the walk) deactivated.
      assert.deepEqual(callsPerPush[2], [
        'GET /repos/{owner}/{repo}/issues/{issue_number}/comments → 200',
        'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} → 200',
        'POST /repos/{owner}/{repo}/deployments → 201',
        'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses → 201',
        'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} → 200',
        'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses → 201',
        'GET /repos/{owner}/{repo}/deployments → 200',
        'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses → 200',
        'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses → 200',
        'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses → 201',
      ]);

      // Deployments: the newest is success with the preview URL, the older ones inactive.
      const deployments = github.deployments('preview/pr-7');
      assert.deepEqual(
        deployments.map((d) => d.states),
        [
          ['in_progress', 'success', 'inactive'],
          ['in_progress', 'success', 'inactive'],
          ['in_progress', 'success'],
        ],
      );
      assert.deepEqual(
        deployments.map((d) => d.sha),
        HEADS,
      );
      assert.equal(deployments[2]!.environmentUrl, previewUrls[2]);
      assert.ok(deployments.every((d) => d.transient));

      // The plan of the PR compares with what production serves (version 1), not with the runtime the
      // preview just updated to the PR's own code, which would read "unchanged".
      const planned = await runEvent(github, project, { ...pr, command: 'plan' }, 'pull_request.synchronize');
      assert.equal(planned.failure, undefined, planned.captured.lines.join('\n'));
      assert.ok(planned.captured.printed.join('\n').includes('runtime e2e-agent will be updated (code'));
      const withPlan = renderGfm(github.comments(7).find((c) => c.body.includes(COMMENT_MARKER))!.body);
      assert.ok(
        withPlan.headings.some((h) =>
          /^### ℹ️ Plan — a deploy would change e2e-agent \(update, code/.test(h),
        ),
      );
      assert.match(withPlan.text, /Compared with e2e-agent: version 1, which endpoint live serves\./);

      // Closing the PR removes the preview; a second cleanup finds nothing left and still succeeds.
      github.closePull(7, true);
      const closed = await runEvent(github, project, pr, 'pull_request.closed');
      assert.equal(closed.failure, undefined, closed.captured.lines.join('\n'));
      const again = await runEvent(github, project, pr, 'pull_request.closed');
      assert.equal(again.failure, undefined, again.captured.lines.join('\n'));
      assert.ok(
        again.captured.lines.some((line) => line.includes('no preview left')),
        again.captured.lines.join('\n'),
      );
      const [afterCleanup] = await remoteState(emulator);
      assert.deepEqual(
        afterCleanup!.endpoints.map((e) => e.agentRuntimeEndpointName),
        ['live'],
      );
      assert.deepEqual(
        github.deployments('preview/pr-7').map((d) => d.states.at(-1)),
        ['inactive', 'inactive', 'inactive'],
      );
      const removed = github.comments(7).find((c) => c.body.includes(COMMENT_MARKER))!.body;
      assert.match(removed, /🗑️ Removed/);
      assert.deepEqual(await ask(productionUrl, 'ping'), before);

      // Nothing a run knew as secret reached the comment.
      for (const secret of [API_KEY, PR_API_KEY, emulator.credentials.accessKeySecret, WRITE_TOKEN]) {
        for (const { body } of github.comments(7))
          assert.ok(!body.includes(secret), `the comment shows ${secret}`);
      }
      console.log(`${'-'.repeat(20)} rendered comment after the third push\n${comment}\n${'-'.repeat(20)}`);
      console.log(`GitHub calls of one later push:\n${callsPerPush[2]!.join('\n')}`);
    }));
});

void describe('previews that need care', () => {
  void test('production on LATEST: auto previews in a runtime of its own, which cleanup deletes', () =>
    withServers(async (github, emulator, project) => {
      const inputs: Inputs = { ...emulatorInputs(emulator), 'github-token': WRITE_TOKEN, command: 'auto' };
      const deployed = await runEvent(github, project, inputs, 'push', 'push');
      assert.equal(deployed.failure, undefined, deployed.captured.lines.join('\n'));
      const productionUrl = deployed.captured.outputs.url!;
      const before = await ask(productionUrl, 'ping');

      github.addPull({ number: 7, headSha: HEADS[0]!, headRepo: github.repository });
      await project.edit('code/main.py', 'You said', 'The PR says');
      const previewed = await runEvent(github, project, inputs, 'pull_request.opened');
      assert.equal(previewed.failure, undefined, previewed.captured.lines.join('\n'));
      assert.ok(previewed.captured.lines.some((l) => l.includes('serves LATEST')));
      assert.match((await ask(previewed.captured.outputs.url!, 'hi')).body, /The PR says: hi/);
      assert.deepEqual(await ask(productionUrl, 'ping'), before);
      const names = (await remoteState(emulator)).map((r) => r.agentRuntimeName).sort();
      assert.deepEqual(names, ['e2e-agent', 'e2e-agent-pr-7']);
      assert.match(
        github.comments(7)[0]!.body,
        /`e2e-agent-pr-7` \| 1 \(this pull request's preview\) \| `pr-7`/,
      );

      github.closePull(7);
      const closed = await runEvent(github, project, inputs, 'pull_request.closed');
      assert.equal(closed.failure, undefined, closed.captured.lines.join('\n'));
      assert.deepEqual(
        (await remoteState(emulator)).map((r) => r.agentRuntimeName),
        ['e2e-agent'],
      );
      // The comment and the job summary name the runtime that was removed, not the agent's own.
      const [removedRow] = renderGfm(github.comments(7)[0]!.body).tables[0]!.rows;
      assert.deepEqual(removedRow!.slice(0, 4), [
        'e2e-agent-pr-7',
        '—',
        'pr-7',
        '🗑️ Removed: the pull request was closed',
      ]);
      const summary = closed.captured.summaries.join('\n');
      assert.deepEqual(renderingProblems(summary), []);
      const shown = renderGfm(summary);
      assert.deepEqual(shown.headings, [
        '### ✅ Previews removed — pull requests #7',
        '#### 🗑️ Preview removed — e2e-agent-pr-7 (endpoint pr-7)',
      ]);
      assert.equal(shown.tables[0]!.rows[0]![0], 'e2e-agent-pr-7');
      assert.match(shown.text, /Pull request #7/);
      assert.deepEqual(await ask(productionUrl, 'ping'), before);
    }));

  void test('a fork’s PR is skipped with a notice before its missing secrets are needed', () =>
    withServers(async (github, emulator, project) => {
      await project.edit(
        's.yaml',
        '          ENVIRONMENT: e2e\n',
        '          ENVIRONMENT: e2e\n          API_KEY: ${env(API_KEY)}\n',
      );
      // As GitHub runs a fork's PR: a read-only token and no secrets.
      const inputs: Inputs = {
        'api-endpoint': emulator.endpoint,
        'github-token': 'ghs_read_token',
        command: 'auto',
      };
      const since = emulator.requestLog().length;
      const run = await runEvent(github, project, inputs, 'pull_request.opened.fork');
      assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      assert.ok(
        run.captured.lines.some((l) => l.startsWith('notice: Pull request #8 comes from contributor/agents')),
      );
      assert.equal(emulator.requestLog().length, since);
      assert.deepEqual(github.requests, []);
    }));

  void test('a read-only token: the preview deploys, and the warning names the permissions to add', () =>
    withServers(async (github, emulator, project) => {
      const inputs: Inputs = {
        ...emulatorInputs(emulator),
        'github-token': 'ghs_read_token',
        command: 'preview',
      };
      github.addPull({ number: 7, headSha: HEADS[0]!, headRepo: github.repository });
      const run = await runEvent(github, project, inputs, 'pull_request.opened');
      assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      assert.equal((await ask(run.captured.outputs.url!, 'hi')).status, 200);
      const warnings = run.captured.lines.filter((l) => l.startsWith('warning: '));
      assert.ok(
        warnings.some((w) => w.includes('permissions: pull-requests: write')),
        warnings.join('\n'),
      );
      assert.ok(
        warnings.some((w) => w.includes('permissions: deployments: write')),
        warnings.join('\n'),
      );
    }));

  void test('a preview whose agent crashes: annotation, summary and comment show the exception line', () =>
    withServers(async (github, emulator, project) => {
      const inputs: Inputs = {
        ...emulatorInputs(emulator),
        'github-token': WRITE_TOKEN,
        command: 'preview',
        timeout: '20s',
      };
      github.addPull({ number: 7, headSha: HEADS[0]!, headRepo: github.repository });
      // A dependency missing from requirements.txt: Python prints a traceback and exits.
      await project.edit('code/main.py', 'import json\n', 'import json\nimport langchain\n');
      const run = await runEvent(github, project, inputs, 'pull_request.opened');
      const decisive = "ModuleNotFoundError: No module named 'langchain'";
      assert.ok(run.failure?.endsWith(`CREATE_FAILED: ${decisive}`), run.failure);
      assert.ok(!run.failure?.includes('Traceback'), 'one line, not the traceback');
      const summary = run.captured.summaries.join('\n');
      assert.ok(summary.includes(decisive), summary);
      const shown = renderGfm(github.comments(7)[0]!.body);
      assert.match(shown.tables[0]!.rows[0]![3]!, new RegExp(`^❌ Failed: .+: ${decisive} \\(log\\)$`));
      assert.ok(
        shown.links.some(
          (l) =>
            l.text === 'log' && l.url === 'https://github.com/octo-org/agents/actions/runs/4242/attempts/1',
        ),
      );
      // The whole traceback is in the log, folded under the runtime's name.
      const output = run.captured.lines.findIndex((l) => /^▸ Agent runtime .+: its last output$/.test(l));
      assert.ok(output >= 0, run.captured.lines.join('\n'));
      assert.match(
        run.captured.lines.slice(output).join('\n'),
        /Traceback[\s\S]+import langchain[\s\S]+ModuleNotFoundError/,
      );
      assert.deepEqual(
        github.deployments('preview/pr-7').map((d) => d.states),
        [['in_progress', 'failure']],
      );
    }));

  void test('plan on a pull request puts what a deploy would change into the comment, secrets masked', () =>
    withServers(async (github, emulator, project) => {
      await project.edit(
        's.yaml',
        '          ENVIRONMENT: e2e\n',
        '          ENVIRONMENT: e2e\n          API_KEY: ${env(API_KEY)}\n',
      );
      const base = { ...emulatorInputs(emulator), 'github-token': WRITE_TOKEN };
      const deployed = await runEvent(
        github,
        project,
        { ...base, dotenv: `API_KEY=${API_KEY}` },
        'push',
        'push',
      );
      assert.equal(deployed.failure, undefined, deployed.captured.lines.join('\n'));
      github.addPull({ number: 7, headSha: HEADS[0]!, headRepo: github.repository });
      await project.edit('s.yaml', '        cpu: 1\n', '        cpu: 2\n');
      const planned = await runEvent(
        github,
        project,
        { ...base, command: 'plan', dotenv: `API_KEY=${PR_API_KEY}` },
        'pull_request.opened',
      );
      assert.equal(planned.failure, undefined, planned.captured.lines.join('\n'));
      const body = github.comments(7)[0]!.body;
      assert.deepEqual(outcomeProblems(body, { url: false }), []);
      assert.match(
        firstLine(body),
        /^ℹ️ Plan — a deploy would change e2e-agent \(update, cpu, environmentVariables\)$/,
      );
      assert.match(body, /cpu/);
      for (const secret of [API_KEY, PR_API_KEY, emulator.credentials.accessKeySecret])
        assert.ok(!body.includes(secret));
    }));

  void test('a pr-number that does not exist is a clear error', () =>
    withServers(async (github, emulator, project) => {
      const inputs: Inputs = {
        ...emulatorInputs(emulator),
        'github-token': WRITE_TOKEN,
        command: 'preview',
        'pr-number': '404',
      };
      const run = await runEvent(github, project, inputs, 'push', 'workflow_dispatch');
      assert.equal(run.failure, 'Pull request #404 does not exist in octo-org/agents (input pr-number).');
    }));

  void test('a scheduled sweep removes the previews of PRs closed longer ago than older-than', () =>
    withServers(async (github, emulator, project) => {
      await project.edit('s.yaml', '            version: LATEST\n', '            version: 1\n');
      const inputs: Inputs = { ...emulatorInputs(emulator), 'github-token': WRITE_TOKEN };
      assert.equal((await runEvent(github, project, inputs, 'push', 'push')).failure, undefined);
      const day = 24 * 3600 * 1000;
      for (const pr of [21, 22, 23]) {
        github.addPull({ number: pr, headSha: HEADS[0]!, headRepo: github.repository });
        const run = await runEvent(
          github,
          project,
          { ...inputs, command: 'preview', 'pr-number': String(pr) },
          'push',
          'workflow_dispatch',
        );
        assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      }
      github.closePull(21, false, new Date(Date.now() - 10 * day).toISOString());
      github.closePull(22, true, new Date(Date.now() - 1 * day).toISOString());
      const previews = async () =>
        (await remoteState(emulator))[0]!.endpoints.map((e) => e.agentRuntimeEndpointName).sort();
      assert.deepEqual(await previews(), ['live', 'pr-21', 'pr-22', 'pr-23']);

      const sweep = (olderThan: string) =>
        runEvent(
          github,
          project,
          { ...inputs, command: 'preview-cleanup', 'older-than': olderThan },
          'push',
          'schedule',
        );
      assert.equal((await sweep('7d')).failure, undefined);
      assert.deepEqual(await previews(), ['live', 'pr-22', 'pr-23'], 'closed 10 days ago: removed');
      assert.equal((await sweep('1h')).failure, undefined);
      assert.deepEqual(await previews(), ['live', 'pr-23'], 'open: kept');
      assert.deepEqual(
        github.deployments('preview/pr-21').map((d) => d.states.at(-1)),
        ['inactive'],
      );
      assert.deepEqual(
        github.deployments('preview/pr-23').map((d) => d.states.at(-1)),
        ['success'],
      );
      assert.match(github.comments(21)[0]!.body, /🗑️ Removed/);
    }));
});
