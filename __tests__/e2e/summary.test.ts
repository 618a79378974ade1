// The job summary through run(settings, host) on the emulator: what changed in the words of the log and
// `plan`, previous → new version, and a summary with the error for failed deploys and invalid files.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { run } from '../../src/app/run.js';
import { readSettings } from '../../src/settings.js';
import { firstLine, outcomeProblems } from '../github/markdown.js';
import { emulatorInputs, recordingHost, runInProcess, withSetup, type Inputs } from './helpers.js';

/** A command that exits at once, the way an agent with a broken start-up does. */
const crashing = (message: string) => `[python3, -c, 'import sys; sys.exit("${message}")']`;
const footer = /^Commit \[abc1234\]\(https:\/\/github\.com\/acme\/agents\/commit\/abc1234f+\) · \d+\.\d s$/m;

void describe('job summary', () => {
  void test('a change reads the same in plan, the log and the summary; versions show 1 → 2', () =>
    withSetup('single', {}, async (emulator, project) => {
      const inputs = emulatorInputs(emulator);
      assert.equal((await runInProcess(inputs, project.dir)).failure, undefined);
      await project.edit('s.yaml', 'cpu: 1', 'cpu: 2');

      const plan = await runInProcess({ ...inputs, command: 'plan' }, project.dir);
      assert.equal(plan.failure, undefined, plan.captured.lines.join('\n'));
      assert.ok(
        plan.captured.printed.includes(
          'agent: runtime e2e-agent will be updated (cpu)\n  endpoint live is unchanged',
        ),
      );
      const [planSummary] = plan.captured.summaries;
      assert.match(
        firstLine(planSummary ?? ''),
        /^ℹ️ Plan — a deploy would change e2e-agent \(update, cpu\)$/,
      );
      assert.match(planSummary ?? '', /^\| agent \| runtime `e2e-agent` \| update \| cpu \|$/m);
      assert.match(planSummary ?? '', /^\| agent \| endpoint live \| unchanged \| — \|$/m);

      const deploy = await runInProcess(inputs, project.dir);
      assert.equal(deploy.failure, undefined, deploy.captured.lines.join('\n'));
      assert.ok(
        deploy.captured.lines.some((line) => /^Agent runtime e2e-agent \(.+\) updated \(cpu\), /.test(line)),
        deploy.captured.lines.join('\n'),
      );
      const [summary] = deploy.captured.summaries;
      assert.deepEqual(outcomeProblems(summary!, { url: true }), []);
      assert.match(
        firstLine(summary!),
        /^✅ Deployed — e2e-agent updated: live serves LATEST \(version 2\) at http:\/\/127\.0\.0\.1:/,
      );
      assert.match(
        summary!,
        /^\| agent \| `e2e-agent` \| cn-hangzhou \| updated \| cpu \| 1 → 2 \| 1 file, \d+ bytes \|$/m,
      );

      const again = await runInProcess(inputs, project.dir);
      const [noop] = again.captured.summaries;
      assert.deepEqual(outcomeProblems(noop!, { url: true }), []);
      assert.match(
        firstLine(noop!),
        /^✅ No change — e2e-agent unchanged: live serves LATEST \(version 2\) at http:/,
      );
    }));

  void test('plan without credentials summarises the desired state', () =>
    withSetup('single', {}, async (emulator, project) => {
      const plan = await runInProcess({ command: 'plan', 'api-endpoint': emulator.endpoint }, project.dir);
      assert.equal(plan.failure, undefined);
      const summary = plan.captured.summaries.join('\n');
      assert.match(firstLine(summary), /^ℹ️ Plan — the desired state only: no credentials/);
      assert.match(summary, /^\| agent \| `e2e-agent` \| cn-hangzhou \| live \|$/m);
    }));

  void test('a failed deploy: the resources that deployed, their outputs, the error, commit and duration', () =>
    withSetup('three', {}, async (emulator, project) => {
      await project.edit('s.yaml', '[python3, main.py] # beta', crashing('beta: cannot load the model'));
      const { host, captured } = recordingHost();
      host.commit = { sha: 'abc1234fffff', url: 'https://github.com/acme/agents/commit/abc1234fffff' };
      const inputs: Inputs = { ...emulatorInputs(emulator), parallel: '3' };
      await assert.rejects(
        run(
          readSettings((name) => inputs[name] ?? '', project.dir),
          host,
        ),
      );

      assert.equal(captured.summaries.length, 1);
      const summary = captured.summaries[0]!;
      assert.deepEqual(outcomeProblems(summary, { url: true }), []);
      assert.match(
        firstLine(summary),
        /^❌ Deploy failed — e2e-beta is CREATE_FAILED, no endpoint serves it; deployed: e2e-alpha created: live serves LATEST \(version 1\) at http:\/\/127\.0\.0\.1:\d+\/\S+; e2e-gamma created: /,
      );
      assert.match(summary, /^\| alpha \| `e2e-alpha` \| cn-hangzhou \| created \| — \| 1 \(new\) \|/m);
      assert.match(summary, /^\| gamma \| `e2e-gamma` \| cn-hangzhou \| created \| — \| 1 \(new\) \|/m);
      assert.doesNotMatch(summary, /^\| beta \|/m);
      assert.match(summary, /^> beta: Agent runtime e2e-beta is CREATE\\_FAILED: .*cannot load the model/m);
      assert.match(summary, /^- beta: runtime `e2e-beta` took the change and is now CREATE_FAILED/m);
      assert.match(summary, footer);
      assert.equal(captured.outputs['runtime-name'], 'e2e-alpha');
      assert.equal(captured.outputs.changed, 'true');
    }));

  void test('an invalid s.yaml: every problem at its place, nothing deployed, no outputs', () =>
    withSetup('single', {}, async (emulator, project) => {
      await project.edit('s.yaml', 'cpu: 1', 'cpu: 0');
      const deploy = await runInProcess(emulatorInputs(emulator), project.dir);
      assert.match(deploy.failure ?? '', /The configuration has 1 problem/);
      assert.deepEqual(deploy.captured.outputs, {});
      const summary = deploy.captured.summaries.join('\n');
      assert.match(firstLine(summary), /^❌ deploy failed: The configuration has 1 problem/);
      assert.match(summary, /The s\.yaml has 1 problem; nothing was deployed\./);
      assert.match(
        summary,
        /^\| s\.yaml:17:14 \| error: resources\.agent\.props\.agent\.cpu: expected a number/m,
      );
      assert.equal(emulator.requestLog().length, 0, 'no API call');
    }));
});
