// One rollout per agent at a time, against the emulator: two jobs that start rollouts of different
// code together — exactly one proceeds, the other is refused naming it, and production ends on the
// code of the job that reported the promotion.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultDeps, run } from '../../src/app/run.js';
import { failureMessage } from '../../src/errors.js';
import { readSettings } from '../../src/settings.js';
import {
  emulatorInputs,
  recordingHost,
  runInProcess,
  tempProject,
  withSetup,
  type Inputs,
  type Project,
} from '../e2e/helpers.js';

const PAIRS = 10;
const CANARY: Inputs = {
  strategy: 'canary',
  'canary-steps': '50,100',
  'canary-interval': '300ms',
  'probe-rps': '20',
  'probe-timeout': '10s',
  'max-latency': '10s',
};

/** A job of workflow run `runId` that rolls out `project`. */
async function job(inputs: Inputs, project: Project, runId: string) {
  const { host, captured } = recordingHost({ GITHUB_RUN_ID: runId });
  try {
    await run(
      readSettings((name) => inputs[name] ?? '', project.dir),
      host,
      defaultDeps,
    );
    return { runId, captured, failure: undefined };
  } catch (error) {
    return { runId, captured, failure: failureMessage(error) };
  }
}

void test('of two concurrent rollouts exactly one proceeds; production ends on its code', () =>
  withSetup('single', {}, async (emulator, first) => {
    const second = await tempProject('single');
    try {
      const first1 = await runInProcess(emulatorInputs(emulator), first.dir);
      assert.equal(first1.failure, undefined, first1.captured.lines.join('\n'));
      const source = await readFile(join(first.dir, 'code/main.py'), 'utf8');
      // Each job's code answers with its own tag: what production serves tells whose code it runs.
      const tagCode = (project: Project, tag: string) =>
        writeFile(
          join(project.dir, 'code/main.py'),
          source.replace('os.environ.get("ENVIRONMENT", "unknown")', JSON.stringify(tag)),
        );
      const inputs = { ...emulatorInputs(emulator), ...CANARY };
      for (let pair = 1; pair <= PAIRS; pair++) {
        const tags = [`a${pair}`, `b${pair}`];
        await tagCode(first, tags[0]!);
        await tagCode(second, tags[1]!);
        const jobs = await Promise.all([job(inputs, first, `${pair}01`), job(inputs, second, `${pair}02`)]);
        const winners = jobs.filter((j) => j.captured.outputs['canary-result'] === 'promoted');
        const losers = jobs.filter((j) => j.captured.outputs['canary-result'] === 'refused');
        const log = jobs.map((j) => `${j.runId}: ${j.failure}\n${j.captured.lines.join('\n')}`).join('\n\n');
        assert.equal(winners.length, 1, log);
        assert.equal(losers.length, 1, log);
        const [winner, loser] = [winners[0]!, losers[0]!];
        assert.equal(winner.failure, undefined, log);
        assert.match(
          loser.failure ?? '',
          new RegExp(`^A rollout of e2e-agent is (in progress|starting): .*workflow run ${winner.runId}\\b`),
          log,
        );
        const response = await fetch(
          `${emulator.dataPlaneUrl}/agent-runtimes/e2e-agent/endpoints/live/invocations`,
          { method: 'POST', body: '{"prompt":"whose code?"}' },
        );
        const answer = (await response.json()) as { environment?: string };
        assert.equal(answer.environment, tags[jobs.indexOf(winner)], `pair ${pair}`);
      }
    } finally {
      await second.remove();
    }
  }));
