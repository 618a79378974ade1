/**
 * An agent that crashes at start, deployed with `logConfig: auto`: its exception line, read back from
 * its logstore, leads the failure (the annotation), the job summary and the pull request's comment,
 * and its last lines are folded in the log, with the secret it quoted masked. A canary stage that
 * fails names the candidate's decisive line the same way.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMENT_MARKER } from '../../src/github/comment.js';
import { defaultDeps, run } from '../../src/app/run.js';
import { failureMessage } from '../../src/errors.js';
import { readSettings } from '../../src/settings.js';
import { runCli } from '../cli/helpers.js';
import { runnerEnv, WRITE_TOKEN } from '../github/helpers.js';
import { startGitHubServer, type GitHubServer } from '../github/server.js';
import {
  emulatorLogInputs,
  recordingHost,
  runInProcess,
  withSetup,
  type Inputs,
  type Project,
} from './helpers.js';

const API_KEY = 'sk-live-7c2e90aa41';
const EXCEPTION = 'ValueError: the model endpoint refused key ***';

/** The example agent, made to crash at start the way a bad setting makes it, quoting its key. */
async function crashing(project: Project): Promise<void> {
  await writeFile(
    join(project.dir, 'code', 'crash.py'),
    [
      'import os',
      'print("loading the model client", flush=True)',
      'def connect(key):',
      '    raise ValueError(f"the model endpoint refused key {key}")',
      'connect(os.environ["API_KEY"])',
      '',
    ].join('\n'),
  );
  await project.edit('s.yaml', 'command: [python3, main.py]', 'command: [python3, crash.py]');
  await project.edit(
    's.yaml',
    '          ENVIRONMENT: e2e\n',
    '          ENVIRONMENT: e2e\n          API_KEY: ${env(API_KEY)}\n        logConfig: auto\n',
  );
}

async function runEvent(github: GitHubServer, project: Project, inputs: Inputs, event: string, name: string) {
  const { host, captured } = recordingHost(runnerEnv(github, event, name));
  try {
    await run(
      readSettings((input) => inputs[input] ?? '', project.dir),
      host,
      defaultDeps,
    );
    return { captured, failure: undefined };
  } catch (error) {
    return { captured, failure: failureMessage(error) };
  }
}

test('a crash at start is explained by the exception line from the logstore: failure, summary, log and PR comment', () =>
  withSetup('single', { delayMs: 20 }, async (emulator, project) => {
    await crashing(project);
    const github = await startGitHubServer();
    try {
      const inputs: Inputs = {
        ...emulatorLogInputs(emulator),
        'github-token': WRITE_TOKEN,
        dotenv: `API_KEY=${API_KEY}`,
      };

      const pushed = await runEvent(github, project, { ...inputs, command: 'deploy' }, 'push', 'push');
      assert.ok(pushed.failure, 'the deploy fails');
      // The failure (the run's error annotation) starts with what the agent said, not with the traceback's header.
      const masked = (text: string) => text.split(API_KEY).join('***');
      assert.ok(
        masked(pushed.failure).startsWith(`agent: e2e-agent version LATEST logged: ${EXCEPTION}\n`),
        pushed.failure,
      );
      assert.ok(pushed.captured.masked.includes(API_KEY), 'the key is masked in the log');
      const [summary] = pushed.captured.summaries;
      assert.ok(summary?.includes(`e2e-agent version LATEST logged: ${EXCEPTION}`), summary);
      assert.ok(!summary.includes(API_KEY));
      // The tail, folded in a group of the log.
      const group = pushed.captured.lines.findIndex((line) =>
        /^▸ Last \d+ lines of e2e-agent version LATEST \(SLS aliyun-serverless-\d+-cn-hangzhou\/default-logs\)$/.test(
          line,
        ),
      );
      assert.ok(group >= 0, pushed.captured.lines.join('\n'));
      assert.deepEqual(pushed.captured.lines.slice(group + 1, group + 3), [
        'loading the model client',
        'Traceback (most recent call last):',
      ]);

      github.addPull({ number: 7, headSha: '1'.repeat(40), headRepo: github.repository });
      const previewed = await runEvent(
        github,
        project,
        { ...inputs, command: 'auto' },
        'pull_request.opened',
        'pull_request',
      );
      assert.ok(previewed.failure, 'the preview fails');
      const comment = github.comments(7).find((c) => c.body.includes(COMMENT_MARKER))?.body ?? '';
      assert.ok(comment.includes(EXCEPTION.replace('***', '')), comment);
      assert.ok(!comment.includes(API_KEY), comment);

      // `logs` shows the same lines from the terminal, the key masked.
      const { endpoint, credentials } = emulator;
      const shown = await runCli(
        [
          'logs',
          '--version',
          'LATEST',
          ...['--api-endpoint', endpoint, '--sls-endpoint', endpoint, '--sts-endpoint', endpoint],
          ...['--access-key-id', credentials.accessKeyId, '--access-key-secret', credentials.accessKeySecret],
        ],
        project.dir,
        { API_KEY },
      );
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /\] ValueError: the model endpoint refused key \*\*\*$/m);
      assert.ok(!shown.stdout.includes(API_KEY), shown.stdout);
    } finally {
      await github.close();
      assert.deepEqual(github.problems, [], 'every GitHub call matched GitHub’s description');
    }
  }));

test('a canary stage that fails is explained by the candidate’s decisive log line', () =>
  withSetup('single', { delayMs: 20 }, async (emulator, project) => {
    await project.edit(
      's.yaml',
      '          ENVIRONMENT: e2e\n',
      '          ENVIRONMENT: e2e\n        logConfig: auto\n',
    );
    const inputs = emulatorLogInputs(emulator);
    const first = await runInProcess(inputs, project.dir);
    assert.equal(first.failure, undefined, first.captured.lines.join('\n'));
    // The candidate answers its health check but fails every request, logging why.
    await writeFile(
      join(project.dir, 'code', 'main.py'),
      [
        'import os, sys',
        'from http.server import BaseHTTPRequestHandler, HTTPServer',
        'class Handler(BaseHTTPRequestHandler):',
        '    def do_GET(self):',
        '        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")',
        '    def do_POST(self):',
        '        print("Traceback (most recent call last):", file=sys.stderr, flush=True)',
        '        print("KeyError: \'messages\'", file=sys.stderr, flush=True)',
        '        self.send_response(500); self.end_headers()',
        '    def log_message(self, *args): pass',
        'HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()',
        '',
      ].join('\n'),
    );
    const canary = await runInProcess(
      {
        ...inputs,
        strategy: 'canary',
        'canary-interval': '600ms',
        'probe-rps': '25',
        'probe-method': 'POST',
        'probe-timeout': '10s',
        'max-latency': '10s',
      },
      project.dir,
    );
    assert.match(
      canary.failure ?? '',
      /^Canary of version 2 rolled back: Stage 1 \(10%\) failed .*\. e2e-agent version 2 logged: KeyError: 'messages'/,
    );
  }));
