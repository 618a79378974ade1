// The rollout's time comes from the injected Clock: bakes, the bake left after a restart and the bake
// `advance` waits for are measured on it, so these run in virtual minutes against the real emulator.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultDeps, run } from '../../src/app/run.js';
import { readMarker } from '../../src/rollout/marker.js';
import { readSettings } from '../../src/settings.js';
import {
  emulatorInputs,
  recordingHost,
  remoteState,
  runInProcess,
  withSetup,
  type Inputs,
} from '../e2e/helpers.js';
import { virtualClock } from './helpers.js';

void test('bakes and advance are timed by the injected clock, from the stage start kept on the platform', () =>
  withSetup('single', {}, async (emulator, project) => {
    const first = await runInProcess(emulatorInputs(emulator), project.dir);
    assert.equal(first.failure, undefined);
    await project.edit('s.yaml', 'ENVIRONMENT: e2e', 'ENVIRONMENT: candidate');
    const clock = virtualClock();
    const runWith = async (inputs: Inputs) => {
      const { host, captured } = recordingHost();
      const all: Inputs = {
        ...emulatorInputs(emulator),
        strategy: 'canary',
        'canary-interval': '10m',
        'max-latency': '10s',
        // Virtual time runs ahead of the real runtime update: a day of it covers a busy machine.
        'wait-timeout': '24h',
        'probe-rps': '0.2',
        ...inputs,
      };
      await run(
        readSettings((name) => all[name] ?? '', project.dir),
        host,
        { ...defaultDeps, clock },
      );
      return captured;
    };
    const stageStart = async () => {
      const live = (await remoteState(emulator))[0]?.endpoints.find(
        (e) => e.agentRuntimeEndpointName === 'live',
      );
      return readMarker(live?.description);
    };

    const started = clock.now();
    const manual = await runWith({ 'canary-mode': 'manual' });
    // The first stage bakes ten minutes from its start (less the endpoint update), at 0.2/s per endpoint.
    const bake = manual.lines.find((l) => l.startsWith('Stage 1/4: 10% on version 2; probing for '));
    const seconds = Number(/probing for ([\d.]+) s at 0\.2\/s/.exec(bake ?? '')?.[1]);
    assert.ok(seconds > 590 && seconds <= 600, bake);
    const probes = Number(/^ {2}candidate: (\d+) probes, 100\.0% ok/m.exec(manual.lines.join('\n'))?.[1]);
    // One probe every 5 s of the bake; the log shows the bake rounded to 0.1 s, so allow for the rounding.
    assert.ok(Math.abs(probes - seconds / 5) <= 1, `${probes} probes in ${seconds} s`);
    const marker = await stageStart();
    // Virtual time, years before the wall clock's: the stage start comes from the injected clock.
    assert.ok(marker && marker.since >= started && marker.since <= clock.now(), JSON.stringify(marker));

    clock.advance(marker.since + 600_000 - clock.now() - 90_000);
    const early = await runWith({ command: 'advance' });
    assert.equal(JSON.parse(early.outputs['canary-report']!).reason, 'Stage 1 bakes 90 s more.');

    clock.advance(90_000);
    const before = clock.now();
    const moved = await runWith({ command: 'advance' });
    // Past its bake a stage is judged on a fresh window (30 s), never on the probes of an earlier run.
    assert.ok(moved.lines.includes('Stage 1/4: 10% on version 2; probing for 30.0 s at 0.2/s per endpoint'));
    assert.ok(
      moved.lines.some((l) => l.startsWith('  candidate: 6 probes, 100.0% ok')),
      moved.lines.join('\n'),
    );
    const next = await stageStart();
    assert.equal(next?.stage, 1);
    // The next stage's bake starts when it was written (the marker keeps whole seconds).
    assert.ok(next && next.since >= Math.floor(before / 1000) * 1000 && next.since <= clock.now());
  }));
