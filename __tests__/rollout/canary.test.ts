// Staged canaries through run(settings, host) against the emulator: real HTTP probes through the data
// plane's weighted routing, per-version behaviour set on the emulator, short bakes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import type { Emulator } from '../../emulator/index.js';
import type { Endpoint } from '../../src/agentrun/api.js';
import { splitWeights } from '../../src/agentrun/service.js';
import { readMarker } from '../../src/rollout/marker.js';
import type { RolloutReport } from '../../src/rollout/report.js';
import {
  emulatorInputs,
  inputEnv,
  remoteState,
  ROOT,
  runInProcess,
  withSetup,
  type Inputs,
  type Project,
} from '../e2e/helpers.js';
import { waitFor } from '../emulator/helpers.js';
import { firstLine, outcomeProblems } from '../github/markdown.js';

const VERSION_HEADER = 'x-agentrun-emulator-version';

/** Fast canary settings: bakes of 600 ms at 25 probes/s per endpoint; latency loose for a busy machine. */
const CANARY: Inputs = {
  strategy: 'canary',
  'canary-interval': '600ms',
  'probe-rps': '25',
  'probe-timeout': '10s',
  'max-latency': '10s',
};

/** Deploys the `single` fixture (version 1 on LATEST), then changes it so the next deploy is a candidate. */
async function deployed(emulator: Emulator, project: Project, inputs: Inputs = {}): Promise<void> {
  const first = await runInProcess({ ...emulatorInputs(emulator), ...inputs }, project.dir);
  assert.equal(first.failure, undefined, first.captured.lines.join('\n'));
  await project.edit('s.yaml', 'ENVIRONMENT: e2e', 'ENVIRONMENT: candidate');
}

const run = (emulator: Emulator, project: Project, inputs: Inputs) =>
  runInProcess({ ...emulatorInputs(emulator), ...CANARY, ...inputs }, project.dir);

const productionUrl = (emulator: Emulator) =>
  `${emulator.dataPlaneUrl}/agent-runtimes/e2e-agent/endpoints/live/invocations`;

/** Which version served each of `count` invocations of production, as a client sees them. */
async function servedBy(emulator: Emulator, count: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const response = await fetch(productionUrl(emulator), { method: 'POST', body: '{"prompt":"hi"}' });
    await response.text();
    const version = `${response.status === 200 ? '' : `${response.status} `}${response.headers.get(VERSION_HEADER)}`;
    counts[version] = (counts[version] ?? 0) + 1;
  }
  return counts;
}

async function production(emulator: Emulator) {
  const [runtime] = await remoteState(emulator);
  const live = runtime?.endpoints.find((e) => e.agentRuntimeEndpointName === 'live') as Endpoint | undefined;
  assert.ok(live);
  return {
    target: live.targetVersion,
    // The split as it routes traffic: a weight on the target version itself is none.
    weights: splitWeights(live),
    marker: readMarker(live.description),
  };
}

const report = (outputs: Record<string, string>) =>
  JSON.parse(outputs['canary-report'] ?? '{}') as RolloutReport;
const lastLine = (lines: string[]) => lines.filter((l) => !l.startsWith('▸')).at(-1) ?? '';

void describe('staged canary', { concurrency: false }, () => {
  void test('a healthy candidate is promoted through every stage; the observed split matches each stage', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      // The gate command measures production's split at every stage, through the data plane.
      await writeFile(
        join(project.dir, 'split.mjs'),
        `import { appendFileSync } from 'node:fs';
const counts = {};
for (let i = 0; i < 300; i++) {
  const response = await fetch(process.env.PRODUCTION_URL, { method: 'POST', body: '{}' });
  await response.text();
  const version = response.headers.get('${VERSION_HEADER}');
  counts[version] = (counts[version] ?? 0) + 1;
}
appendFileSync('split.log', JSON.stringify({ weight: Number(process.env.CANARY_WEIGHT), candidate: process.env.CANARY_VERSION, stable: process.env.STABLE_VERSION, canary: process.env.CANARY_URL, counts }) + '\\n');
`,
      );
      const result = await run(emulator, project, { 'gate-command': 'node split.mjs' });
      assert.equal(result.failure, undefined, result.captured.lines.join('\n'));
      assert.equal(result.captured.outputs['canary-result'], 'promoted');
      assert.equal(result.captured.outputs.url, productionUrl(emulator));
      const stages = (await project.read('split.log'))
        .trim()
        .split('\n')
        .map(
          (line) =>
            JSON.parse(line) as {
              weight: number;
              candidate: string;
              stable: string;
              canary: string;
              counts: Record<string, number>;
            },
        );
      assert.deepEqual(
        stages.map((s) => [s.weight, s.candidate, s.stable]),
        [
          [10, '2', '1'],
          [30, '2', '1'],
          [50, '2', '1'],
          [100, '2', '1'],
        ],
      );
      assert.match(stages[0]!.canary, /\/agent-runtimes\/e2e-agent\/endpoints\/canary\/invocations$/);
      for (const { weight, counts } of stages) {
        const share = (counts['2'] ?? 0) / 300;
        assert.equal((counts['1'] ?? 0) + (counts['2'] ?? 0), 300, JSON.stringify(counts));
        // 300 draws: four standard deviations of a 50% share are under 12 points.
        assert.ok(Math.abs(share - weight / 100) <= 0.12, `at ${weight}%: ${JSON.stringify(counts)}`);
      }
      const rollout = report(result.captured.outputs);
      assert.deepEqual(
        rollout.stages.map((s) => [s.weight, s.verdict, s.probes.map((p) => p.endpoint)]),
        [10, 30, 50, 100].map((w) => [w, 'passed', ['candidate', 'production']]),
      );
      for (const stage of rollout.stages)
        for (const p of stage.probes) assert.ok(p.count >= 10, `${p.count} probes`);
      assert.deepEqual(await production(emulator), {
        target: '2',
        weights: [],
        marker: { ...(await production(emulator)).marker!, phase: 'promoted' },
      });
      assert.deepEqual(await servedBy(emulator, 50), { '2': 50 });
      assert.match(lastLine(result.captured.lines), /^Canary promoted: .* Production serves 2: 100%\.$/);
      // One summary, which opens with the outcome and production's URL; four stages earn a chart.
      assert.equal(result.captured.summaries.length, 1);
      const [summary] = result.captured.summaries;
      assert.deepEqual(outcomeProblems(summary!, { url: true }), []);
      assert.match(
        firstLine(summary!),
        /^✅ Canary promoted — e2e-agent: live serves version 2 at http:\/\/127\.0\.0\.1:/,
      );
      assert.match(
        summary!,
        /Candidate version 2 on `canary` at <http:\/\/127\.0\.0\.1:\d+\/.*\/canary\/invocations>/,
      );
    }));

  void test('after a failed deploy left the runtime UPDATE_FAILED, a canary recovers as a plain deploy does', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      await project.edit('s.yaml', '[python3, main.py]', `[python3, -c, 'import sys; sys.exit("boom")']`);
      const broken = await runInProcess(emulatorInputs(emulator), project.dir);
      assert.match(broken.failure ?? '', /UPDATE_FAILED/);
      assert.equal((await remoteState(emulator))[0]?.status, 'UPDATE_FAILED');
      // Its summary says what production still serves, and where.
      assert.match(
        firstLine(broken.captured.summaries[0]!),
        /^❌ Deploy failed — e2e-agent is UPDATE_FAILED; live still serves LATEST \(version 1\) at http:/,
      );

      await project.edit('s.yaml', `[python3, -c, 'import sys; sys.exit("boom")']`, '[python3, main.py]');
      const result = await run(emulator, project, {});
      assert.equal(result.failure, undefined, result.captured.lines.join('\n'));
      assert.ok(!result.captured.lines.some((l) => /still running/.test(l)));
      assert.equal(result.captured.outputs['canary-result'], 'promoted');
      assert.equal((await remoteState(emulator))[0]?.status, 'READY');
      assert.deepEqual(await servedBy(emulator, 20), { '2': 20 });
    }));

  void test('20% errors are rolled back at the first stage; production then reaches only the stable version', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      emulator.faults.inject({ kind: 'data-plane', runtime: 'e2e-agent', version: '2', errorRate: 0.2 });
      // 100 candidate probes in the first stage: all of them passing at 20% errors has odds of 1 in 5e9.
      const result = await run(emulator, project, { 'canary-interval': '2s', 'probe-rps': '50' });
      assert.match(
        result.failure ?? '',
        /^Canary of version 2 rolled back: Stage 1 \(10%\) failed min-success-rate on candidate/,
      );
      assert.match(result.failure ?? '', /Production serves 1: 100%\.$/);
      const rollout = report(result.captured.outputs);
      assert.equal(result.captured.outputs['canary-result'], 'rolled-back');
      assert.deepEqual(
        rollout.stages.map((s) => s.verdict),
        ['failed'],
      );
      const gate = rollout.failedGates.find(
        (g) => g.gate === 'min-success-rate' && g.subject === 'candidate',
      );
      assert.match(gate?.measured ?? '', /^\d+\.\d% \(\d+\/\d+\)$/);
      assert.equal(gate?.threshold, '≥ 99.0%');
      assert.ok(result.captured.lines.includes('Sample failing responses:'));
      assert.ok(
        result.captured.lines.some((l) =>
          /candidate: HTTP 500: .*Injected data-plane fault for version 2/.test(l),
        ),
      );
      const prod = await production(emulator);
      assert.deepEqual([prod.target, prod.weights, prod.marker?.phase], ['1', [], 'rolled-back']);
      assert.deepEqual(await servedBy(emulator, 200), { '1': 200 });
      // The summary cannot be read as a success: ❌ and the gate first, the sample failures before the table.
      assert.equal(result.captured.summaries.length, 1);
      const [summary] = result.captured.summaries;
      assert.deepEqual(outcomeProblems(summary!, { url: true }), []);
      assert.match(
        firstLine(summary!),
        /^❌ Canary rolled back version 2 failed: min-success-rate on candidate .* — e2e-agent: live serves version 1 at http:/,
      );
      assert.match(summary!, /- candidate: HTTP 500: .*Injected data-plane fault for version 2/);
      // The candidate endpoint is left on the candidate, for debugging.
      const [runtime] = await remoteState(emulator);
      assert.equal(
        runtime?.endpoints.find((e) => e.agentRuntimeEndpointName === 'canary')?.targetVersion,
        '2',
      );
    }));

  void test('added latency is rolled back by the latency gate', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      emulator.faults.inject({ kind: 'data-plane', runtime: 'e2e-agent', version: '2', latencyMs: 1200 });
      const result = await run(emulator, project, { 'max-latency': '1s' });
      const rollout = report(result.captured.outputs);
      assert.equal(rollout.result, 'rolled-back');
      // Only latency fails; 10% of production traffic being slow lifts production's p95 as well.
      assert.deepEqual(
        new Set(rollout.failedGates.map((g) => `${g.gate} ${g.threshold}`)),
        new Set(['max-latency ≤ 1000 ms']),
      );
      const candidate = rollout.failedGates.find((g) => g.subject === 'candidate');
      assert.ok(Number(/^p95 (\d+) ms$/.exec(candidate?.measured ?? '')?.[1]) >= 1200, candidate?.measured);
      assert.deepEqual(await servedBy(emulator, 100), { '1': 100 });
    }));

  void test('a candidate that crashes after a few requests is rolled back', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      emulator.faults.inject({ kind: 'data-plane', runtime: 'e2e-agent', version: '2', crashAfter: 5 });
      const result = await run(emulator, project, {});
      const rollout = report(result.captured.outputs);
      assert.equal(rollout.result, 'rolled-back');
      assert.ok(
        rollout.failedGates.some((g) => g.gate === 'max-consecutive-failures' && g.subject === 'candidate'),
      );
      assert.ok(
        result.captured.lines.some((l) =>
          /candidate: HTTP 502: .*Version 2 of e2e-agent (crashed|is not running)/.test(l),
        ),
      );
      assert.deepEqual(await servedBy(emulator, 100), { '1': 100 });
    }));

  void test('a failing gate-command rolls back, with its exit code in the report', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      const result = await run(emulator, project, { 'gate-command': 'test "$CANARY_WEIGHT" -lt 30' });
      const rollout = report(result.captured.outputs);
      assert.equal(rollout.result, 'rolled-back');
      assert.deepEqual(
        rollout.stages.map((s) => `${s.weight} ${s.verdict}`),
        ['10 passed', '30 failed'],
      );
      assert.deepEqual(
        rollout.failedGates.map((g) => `${g.gate}: ${g.measured}, needs ${g.threshold}`),
        ['gate-command: exit code 1, needs exit code 0'],
      );
      assert.deepEqual(await servedBy(emulator, 50), { '1': 50 });
    }));

  void test('an error mid-rollout rolls production back too', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      const pending = run(emulator, project, { 'canary-interval': '1500ms' });
      await waitFor(
        () => production(emulator),
        (p) => p.marker?.phase === 'progressing',
        30_000,
      );
      // The next endpoint write — the move to stage 2 — ends UPDATE_FAILED, its reason an agent's crash.
      const decisive = "ModuleNotFoundError: No module named 'langchain'";
      emulator.faults.inject({
        action: 'UpdateAgentRuntimeEndpoint',
        kind: 'fail-transition',
        message: `Traceback (most recent call last):\n  File "main.py", line 3, in <module>\n    import langchain\n${decisive}`,
      });
      const result = await pending;
      assert.match(
        result.failure ?? '',
        new RegExp(
          `^Canary of version 2 rolled back: Error at stage 2 \\(30%\\): Endpoint live is UPDATE_FAILED: ${decisive}`,
        ),
      );
      // The whole reason is folded in the log.
      const folded = result.captured.lines.indexOf('▸ Endpoint live: its last output');
      assert.ok(folded >= 0, result.captured.lines.join('\n'));
      assert.equal(result.captured.lines[folded + 1], 'Traceback (most recent call last):');
      assert.match(result.failure ?? '', /Production serves 1: 100%\.$/);
      const prod = await production(emulator);
      assert.deepEqual([prod.target, prod.weights, prod.marker?.phase], ['1', [], 'rolled-back']);
      assert.deepEqual(await servedBy(emulator, 50), { '1': 50 });
    }));

  void test('an abort from another run stops a rollout during its bake, weights unchanged', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      // A long first bake, so the abort lands in it even on a busy machine.
      const pending = run(emulator, project, { 'canary-interval': '8s' });
      await waitFor(
        () => production(emulator),
        (p) => p.marker?.phase === 'progressing',
        30_000,
      );
      const abort = await run(emulator, project, { command: 'abort' });
      assert.equal(abort.failure, undefined, abort.captured.lines.join('\n'));
      const result = await pending;
      assert.equal(result.failure, undefined, result.captured.lines.join('\n'));
      assert.equal(result.captured.outputs['canary-result'], 'aborted');
      assert.equal(
        report(result.captured.outputs).reason,
        'Another run changed the rollout to aborted; this run stopped.',
      );
      const prod = await production(emulator);
      assert.deepEqual(
        [prod.target, prod.weights, prod.marker?.phase],
        ['1', [{ version: '2', weight: 0.1 }], 'aborted'],
      );
    }));

  void test('a rollout driven by a live run is refused to other runs; advance takes it over once that run is gone', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      const owner = { GITHUB_RUN_ID: '1001' };
      const other = { GITHUB_RUN_ID: '1002' };
      const inputs = { ...emulatorInputs(emulator), ...CANARY, 'canary-interval': '8s' };
      const pending = runInProcess(inputs, project.dir, {}, owner);
      const started = await waitFor(
        () => production(emulator),
        (p) => p.marker?.phase === 'progressing',
        30_000,
      );
      // The same code deployed by another run does not drive the rollout a second time.
      const again = await runInProcess(inputs, project.dir, {}, other);
      assert.equal(again.captured.outputs['canary-result'], 'refused');
      assert.match(again.failure ?? '', /version 2 at 10% .*, owned by workflow run 1001, started at /);
      // Its bake has elapsed for this advance, but run 1001 is still within it and one endpoint write.
      const fast = { command: 'advance', 'canary-interval': '1ms', 'wait-timeout': '2s' };
      const early = await runInProcess({ ...inputs, ...fast }, project.dir, {}, other);
      assert.match(report(early.captured.outputs).reason, /^Workflow run 1001 drives the rollout/);
      assert.equal((await production(emulator)).marker?.stage, 0);
      await sleep(Math.max(0, started.marker!.since + 3000 - Date.now()));
      const takeover = await runInProcess({ ...inputs, ...fast }, project.dir, {}, other);
      assert.equal(takeover.failure, undefined, takeover.captured.lines.join('\n'));
      const moved = await production(emulator);
      assert.deepEqual([moved.marker?.stage, moved.marker?.owner], [1, '1002']);
      const first = await pending;
      assert.equal(first.failure, undefined, first.captured.lines.join('\n'));
      assert.equal(
        report(first.captured.outputs).reason,
        'Another run changed the rollout to progressing; this run stopped.',
      );
    }));

  void test('a run killed mid-rollout is resumed at its stage by the next run', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      const inputs = { ...emulatorInputs(emulator), ...CANARY, 'canary-interval': '2s' };
      const child = spawn(
        process.execPath,
        ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/index.ts')],
        {
          cwd: project.dir,
          env: { PATH: process.env.PATH, GITHUB_WORKSPACE: project.dir, ...inputEnv(inputs) },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        await waitFor(
          () => production(emulator),
          (p) => p.marker?.stage === 1,
          60_000,
        );
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
      const killed = await production(emulator);
      assert.deepEqual([killed.target, killed.weights], ['1', [{ version: '2', weight: 0.3 }]]);
      const resumed = await run(emulator, project, { 'canary-interval': '2s' });
      assert.equal(resumed.failure, undefined, resumed.captured.lines.join('\n'));
      assert.ok(resumed.captured.lines.includes('Resuming the rollout of version 2 at stage 2/4 (30%).'));
      const rollout = report(resumed.captured.outputs);
      assert.deepEqual(
        rollout.stages.map((s) => s.weight),
        [30, 50, 100],
      );
      assert.equal(rollout.result, 'promoted');
      assert.equal(
        (await remoteState(emulator))[0]?.versions.length,
        2,
        'no version published by the resume',
      );
    }));

  void test('advance, driven by successive runs, moves one stage per elapsed bake', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      const started = await run(emulator, project, { 'canary-mode': 'manual', 'canary-steps': '20,60,100' });
      assert.equal(started.failure, undefined, started.captured.lines.join('\n'));
      assert.equal(started.captured.outputs['canary-result'], 'paused');
      const early = await run(emulator, project, { command: 'advance', 'canary-interval': '1h' });
      assert.equal(early.captured.outputs['canary-result'], 'paused');
      assert.match(report(early.captured.outputs).reason, /^Stage 1 bakes 3\d{3} s more\.$/);
      assert.equal((await production(emulator)).marker?.stage, 0);
      const seen: string[] = [];
      for (let i = 0; i < 2; i++) {
        await sleep(700);
        const step = await run(emulator, project, { command: 'advance' });
        assert.equal(step.failure, undefined, step.captured.lines.join('\n'));
        const prod = await production(emulator);
        seen.push(`${step.captured.outputs['canary-result']} ${prod.target} ${JSON.stringify(prod.weights)}`);
      }
      // The advance that moves production to 100% is the promotion, reported in the same run.
      assert.deepEqual(seen, ['paused 1 [{"version":"2","weight":0.6}]', 'promoted 2 []']);
      // Scheduled runs keep coming after the end: nothing to do is not an error.
      const after = await run(emulator, project, { command: 'advance' });
      assert.equal(after.failure, undefined);
      assert.ok(after.captured.lines.includes('No rollout of e2e-agent is in progress: nothing to advance.'));
    }));

  void test('manual: status, promote to the next stage and to a percent, abort keeps the weights, rollback', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      const manual = { 'canary-mode': 'manual' };
      assert.equal((await run(emulator, project, manual)).captured.outputs['canary-result'], 'paused');
      const status = await run(emulator, project, { command: 'status' });
      assert.match(
        status.captured.printed.join('\n'),
        /Rollout of e2e-agent: paused\n {2}candidate 2, stable 1\n {2}stage 1\/4 \(10, 30, 50, 100%\): 10% wanted\n {2}production live: 1: 90%, 2: 10%/,
      );
      const next = await run(emulator, project, { command: 'promote' });
      assert.equal(next.failure, undefined, next.captured.lines.join('\n'));
      assert.deepEqual((await production(emulator)).weights, [{ version: '2', weight: 0.3 }]);
      await run(emulator, project, { command: 'promote', 'promote-to': '75' });
      const at75 = await production(emulator);
      assert.deepEqual(
        [at75.weights, at75.marker?.steps, at75.marker?.phase],
        [[{ version: '2', weight: 0.75 }], [10, 30, 50, 75, 100], 'paused'],
      );
      const abort = await run(emulator, project, { command: 'abort' });
      assert.equal(abort.failure, undefined);
      assert.equal(abort.captured.outputs['canary-result'], 'aborted');
      assert.ok(!abort.captured.lines.some((l) => l.startsWith('stage ')), 'no empty stage table');
      const stopped = await run(emulator, project, { command: 'status' });
      assert.equal(stopped.captured.outputs['canary-result'], 'aborted');
      const stoppedText = stopped.captured.printed.join('\n');
      assert.match(stoppedText, /^Rollout of e2e-agent: aborted$/m);
      assert.match(stoppedText, /stopped .* by abort: nothing bakes until promote or rollback/);
      assert.doesNotMatch(stoppedText, /to go/);
      const aborted = await production(emulator);
      assert.deepEqual(
        [aborted.weights, aborted.marker?.phase],
        [[{ version: '2', weight: 0.75 }], 'aborted'],
      );
      const ignored = await run(emulator, project, { command: 'advance', 'canary-interval': '1ms' });
      assert.match(report(ignored.captured.outputs).reason, /aborted/);
      assert.deepEqual((await production(emulator)).weights, [{ version: '2', weight: 0.75 }]);
      const rollback = await run(emulator, project, { command: 'rollback' });
      assert.equal(rollback.failure, undefined);
      assert.equal(rollback.captured.outputs['canary-result'], 'rolled-back');
      assert.match(lastLine(rollback.captured.lines), /Production serves 1: 100%\.$/);
      assert.deepEqual(await servedBy(emulator, 100), { '1': 100 });
      const none = await run(emulator, project, { command: 'promote' });
      assert.match(none.failure ?? '', /There is no rollout of e2e-agent in progress on endpoint live/);
    }));

  void test('promote judges with the probe and gate-command the rollout began with; a given input overrides', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      await writeFile(
        join(project.dir, 'gate.mjs'),
        "import { appendFileSync } from 'node:fs';\nappendFileSync('gate.log', process.env.CANARY_WEIGHT + '\\n');\n",
      );
      const started = await run(emulator, project, {
        'canary-mode': 'manual',
        'probe-body': '{"prompt":"canary"}',
        'probe-expect-body': 'You said: canary',
        'gate-command': 'node gate.mjs',
      });
      assert.equal(started.captured.outputs['canary-result'], 'paused', started.captured.lines.join('\n'));
      // promote.yml gives none of them: the rollout's own probe body, expected answer and command judge.
      const promoted = await run(emulator, project, { command: 'promote' });
      assert.equal(promoted.failure, undefined, promoted.captured.lines.join('\n'));
      assert.deepEqual((await project.read('gate.log')).trim().split('\n'), ['10', '30']);
      assert.ok(!promoted.captured.lines.some((l) => l.includes('overrides')));
      const other = await run(emulator, project, { command: 'promote', 'probe-body': '{"prompt":"other"}' });
      assert.ok(
        other.captured.lines.includes(
          'Input probe-body is given as "{\\"prompt\\":\\"other\\"}": it overrides "{\\"prompt\\":\\"canary\\"}", which the rollout began with.',
        ),
        other.captured.lines.join('\n'),
      );
      assert.equal(other.captured.outputs['canary-result'], 'rolled-back');
      assert.match(other.failure ?? '', /failed min-success-rate on candidate: 0\.0% /);
      assert.ok(other.captured.lines.some((l) => l.includes('body lacks "You said: canary"')));
    }));

  void test('a second rollout is refused naming the one in progress; a plain deploy keeps production’s weights', () =>
    withSetup('single', {}, async (emulator, project) => {
      await deployed(emulator, project);
      assert.equal(
        (await run(emulator, project, { 'canary-mode': 'manual' })).captured.outputs['canary-result'],
        'paused',
      );
      const before = await production(emulator);
      await project.edit('s.yaml', 'ENVIRONMENT: candidate', 'ENVIRONMENT: third');
      const second = await run(emulator, project, {});
      assert.match(
        second.failure ?? '',
        /^A rollout of e2e-agent is in progress: version 2 at 10% \(stage 1\/4, paused since .*\), stable version 1, owned by a run outside GitHub Actions, started at .*\. See it with the status command; end it with promote, rollback or abort, or wait for it to end\.$/,
      );
      assert.equal(second.captured.outputs['canary-result'], 'refused');
      assert.equal((await remoteState(emulator))[0]?.versions.length, 2, 'the refused job published nothing');
      const direct = await runInProcess({ ...emulatorInputs(emulator) }, project.dir);
      assert.equal(direct.failure, undefined, direct.captured.lines.join('\n'));
      assert.ok(
        direct.captured.lines.some((l) =>
          l.startsWith('Endpoint live unchanged (traffic split kept: rollout of version 2 at 10%, paused)'),
        ),
        direct.captured.lines.join('\n'),
      );
      assert.deepEqual(await production(emulator), before);
      const counts = await servedBy(emulator, 200);
      assert.deepEqual(Object.keys(counts).sort(), ['1', '2'], JSON.stringify(counts));
    }));
});
