import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ROLLOUT_INPUT_DEFAULTS,
  parseRolloutOptions,
  type RolloutInputName,
} from '../../src/rollout/options.js';
import {
  judge,
  percentile,
  probeEndpoint,
  summarize,
  type ProbeSample,
  type ProbeStats,
} from '../../src/rollout/probe.js';
import { consecutiveFailures } from '../../src/rollout/providers/consecutive-failures.js';
import { latency } from '../../src/rollout/providers/latency.js';
import type { ProviderDeps, StageWindow } from '../../src/rollout/providers/provider.js';
import { Phase } from '../../src/rollout/marker.js';
import { successRate } from '../../src/rollout/providers/success-rate.js';
import { scriptedAgent, virtualClock } from './helpers.js';

const options = parseRolloutOptions(
  (name) => ({ ...ROLLOUT_INPUT_DEFAULTS, 'probe-rps': '10', 'probe-timeout': '2s' })[name],
);

/** The probe gates' verdicts on one endpoint's stats. */
async function evaluateGates(stats: ProbeStats, inputs: Partial<Record<RolloutInputName, string>> = {}) {
  const gateOptions = parseRolloutOptions(
    (name) => ({ ...ROLLOUT_INPUT_DEFAULTS, 'max-latency': '100ms', ...inputs })[name],
  );
  const window: StageWindow = {
    from: new Date(0),
    to: new Date(1),
    runtime: 'agent',
    marker: { phase: Phase.progressing, candidate: '2', stable: '1', stage: 0, steps: [100], since: 0 },
    weight: 100,
    candidateUrl: stats.url,
    productionUrl: stats.url,
    probes: { candidate: stats, production: summarize('production', 'u', [{ ok: true, latencyMs: 1 }]) },
    earlier: [],
  };
  const providers = [successRate, latency, consecutiveFailures].map((f) =>
    f(gateOptions, {} as ProviderDeps)!,
  );
  const results = await Promise.all(providers.map((p) => p.evaluate(window)));
  return results.flat().filter((g) => g.subject === stats.endpoint);
}

describe('prober', () => {
  it('sends rps × duration real probes, paced by the clock, and measures them', async () => {
    // Every 4th request fails; the first two are slow.
    const agent = await scriptedAgent((n) => ({
      status: n % 4 === 3 ? 500 : 200,
      body: n % 4 === 3 ? '{"error":"boom"}' : '{"ok":true}',
      delayMs: n < 2 ? 150 : 0,
    }));
    const clock = virtualClock();
    try {
      const stats = await probeEndpoint('candidate', agent.url, options.probe, 2000, clock);
      assert.equal(agent.count(), 20);
      assert.equal(stats.count, 20);
      assert.equal(stats.successes, 15);
      assert.equal(stats.successRate, 0.75);
      // 19 sleeps of 100 ms: the pacing, in clock time only.
      assert.deepEqual(clock.sleeps, Array(19).fill(100));
      assert.ok(stats.p95Ms >= 150, `p95 ${stats.p95Ms}`);
      assert.ok(stats.p50Ms < 150, `p50 ${stats.p50Ms}`);
      assert.deepEqual(stats.sampleFailures, Array(3).fill('HTTP 500: {"error":"boom"}'));
      const verdicts = Object.fromEntries((await evaluateGates(stats)).map((g) => [g.gate, g]));
      assert.equal(verdicts['min-success-rate']?.passed, false);
      assert.equal(verdicts['min-success-rate']?.measured, '75.0% (15/20)');
      assert.equal(verdicts['min-success-rate']?.threshold, '≥ 99.0%');
      assert.equal(verdicts['max-latency']?.passed, false);
    } finally {
      await agent.stop();
    }
  });

  it('counts an unreachable endpoint as failures, and stops early when told to', async () => {
    const agent = await scriptedAgent(() => ({ status: 200 }));
    const url = agent.url;
    await agent.stop();
    const stats = await probeEndpoint(
      'production',
      url,
      options.probe,
      5000,
      virtualClock(),
      (samples) => samples.filter(Boolean).length >= 3,
    );
    assert.ok(stats.count >= 3 && stats.count < 50, `count ${stats.count}`);
    assert.equal(stats.successRate, 0);
    assert.match(stats.sampleFailures[0] ?? '', /^request failed: fetch failed/);
  });

  it('treats a bake without a completed probe as a failure, never a pass', async () => {
    const results = await evaluateGates(summarize('candidate', 'http://x', []));
    assert.deepEqual(results, [
      {
        gate: 'probes-completed',
        subject: 'candidate',
        passed: false,
        measured: 'no probe completed',
        threshold: '≥ 1 probe',
      },
    ]);
  });

  it('fails at max-consecutive-failures in a row, passes below it', async () => {
    const s = (ok: boolean): ProbeSample => ({ ok, latencyMs: 5 });
    const three = summarize('c', 'u', [s(true), s(false), s(false), s(false), s(true)]);
    const two = summarize('c', 'u', [s(false), s(false), s(true), s(false), s(false)]);
    assert.equal(three.maxConsecutiveFailures, 3);
    assert.equal(two.maxConsecutiveFailures, 2);
    const gate = async (stats: typeof two) =>
      (await evaluateGates(stats, { 'min-success-rate': '0.1' })).find(
        (g) => g.gate === 'max-consecutive-failures',
      );
    assert.equal((await gate(three))?.passed, false);
    assert.equal((await gate(two))?.passed, true);
  });

  it('judges statuses, body substrings and JSON paths', () => {
    const expect = (extra: object) => ({ expectStatus: { codes: [404], classes: [2] }, ...extra });
    assert.equal(judge(204, '', expect({})), undefined);
    assert.equal(judge(404, '', expect({})), undefined);
    assert.equal(judge(503, 'down', expect({})), 'HTTP 503: down');
    assert.equal(judge(200, '{"answer":"You said: hi"}', expect({ expectBody: 'You said' })), undefined);
    assert.match(judge(200, 'nope', expect({ expectBody: 'You said' })) ?? '', /body lacks "You said"/);
    assert.equal(judge(200, '{"a":{"b":[{"c":"x"}]}}', expect({ expectBody: '$.a.b[0].c=x' })), undefined);
    assert.match(
      judge(200, '{"a":{"b":[{"c":"y"}]}}', expect({ expectBody: '$.a.b[0].c=x' })) ?? '',
      /\$\.a\.b\[0\]\.c is y, not x/,
    );
    assert.match(judge(200, '{}', expect({ expectBody: '$.answer' })) ?? '', /\$\.answer is missing/);
    assert.match(judge(200, '<html>', expect({ expectBody: '$.answer' })) ?? '', /not JSON/);
  });

  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    assert.equal(percentile(sorted, 0.5), 10);
    assert.equal(percentile(sorted, 0.95), 19);
    assert.equal(percentile([7], 0.95), 7);
    assert.equal(percentile([], 0.95), 0);
  });
});
