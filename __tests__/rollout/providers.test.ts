import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaseDescription, leaseHeld, readLease, type Lease } from '../../src/rollout/lease.js';
import { Phase, type RolloutMarker } from '../../src/rollout/marker.js';
import {
  parseRolloutOptions,
  ROLLOUT_INPUT_DEFAULTS,
  type RolloutInputName,
} from '../../src/rollout/options.js';
import { summarize } from '../../src/rollout/probe.js';
import { errorLogs } from '../../src/rollout/providers/error-logs.js';
import type {
  ErrorLogQuery,
  ErrorLogSource,
  ProviderDeps,
  StageWindow,
} from '../../src/rollout/providers/provider.js';
import { recordGates, withRecordedGates } from '../../src/rollout/recorded.js';
import type { Logger } from '../../src/log.js';

const options = (inputs: Partial<Record<RolloutInputName, string>> = {}) =>
  parseRolloutOptions(
    (name) => inputs[name] ?? ROLLOUT_INPUT_DEFAULTS[name],
    (name) => name in inputs,
  );

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    debug: () => undefined,
    notice: (m) => lines.push(`notice: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    group: (_title, fn) => fn(),
    setSecret: () => undefined,
  };
}

const marker: RolloutMarker = {
  phase: Phase.progressing,
  candidate: '3',
  stable: '2',
  stage: 0,
  steps: [10, 100],
  since: 1_764_600_000_000,
};
const ok = summarize('candidate', 'http://c', [{ ok: true, latencyMs: 5 }]);
const window: StageWindow = {
  from: new Date(1_764_600_000_000),
  to: new Date(1_764_600_060_000),
  runtime: 'agent',
  marker,
  weight: 10,
  candidateUrl: 'http://c',
  productionUrl: 'http://p',
  probes: { candidate: ok, production: { ...ok, endpoint: 'production' } },
  earlier: [],
};

describe('error-log gate', () => {
  const deps = (errorLogs?: ErrorLogSource) => {
    const logger = recordingLogger();
    return { logger, deps: { logger, errorLogs } as unknown as ProviderDeps };
  };

  it('asks the logstore for the candidate version in the bake window, and fails above the limit', async () => {
    const asked: ErrorLogQuery[] = [];
    const source: ErrorLogSource = (query) => {
      asked.push(query);
      return Promise.resolve({
        count: 2,
        samples: ['Traceback (most recent call last):', 'ValueError: bad'],
      });
    };
    const { deps: d } = deps(source);
    const [result] = await errorLogs(options({ 'max-error-logs': '1' }), d)!.evaluate(window);
    assert.deepEqual(asked, [
      {
        runtime: 'agent',
        version: '3',
        from: window.from,
        to: window.to,
        query: 'Traceback or Error or Exception or Uncaught',
      },
    ]);
    assert.deepEqual(result, {
      gate: 'max-error-logs',
      subject: 'candidate',
      passed: false,
      measured: '2 lines matching "Traceback or Error or Exception or Uncaught"',
      threshold: '≤ 1 error lines',
      samples: ['Traceback (most recent call last):', 'ValueError: bad'],
    });
    const [within] = await errorLogs(options({ 'max-error-logs': '2' }), d)!.evaluate(window);
    assert.equal(within?.passed, true);
  });

  it('is skipped with one notice per run without a logstore, never passed in silence', async () => {
    const { deps: d, logger } = deps(() => Promise.resolve(undefined));
    const provider = errorLogs(options(), d)!;
    const [first] = await provider.evaluate(window);
    await provider.evaluate(window);
    assert.equal(first?.skipped, 'no logstore');
    assert.equal(
      logger.lines.filter((l) => l.startsWith('notice: Gate max-error-logs is skipped')).length,
      1,
    );
    const { deps: unwired } = deps(undefined);
    assert.equal((await errorLogs(options(), unwired)!.evaluate(window))[0]?.skipped, 'no logstore');
  });
});

describe('gates recorded with the rollout', () => {
  it('records what differs from the defaults, never the probe headers', () => {
    const begun = options({
      'probe-expect-body': '$.answer',
      'gate-command': './golden.sh',
      'probe-headers': 'Authorization: Bearer secret',
    });
    assert.deepEqual(recordGates(begun), { pe: '$.answer', gc: './golden.sh' });
  });

  it('judges later commands with them; an explicit input overrides, and the log says so', () => {
    const recorded = recordGates(options({ 'probe-expect-body': '$.answer', 'canary-interval': '10m' }));
    const logger = recordingLogger();
    const later = withRecordedGates(
      options({ 'canary-interval': '1m', 'promote-to': 'full' }),
      recorded,
      logger,
    );
    assert.equal(later.probe.expectBody, '$.answer');
    assert.equal(later.intervalMs, 60_000);
    assert.equal(later.promoteTo, 'full');
    assert.deepEqual(logger.lines, [
      'Input canary-interval is given as "1m": it overrides "10m", which the rollout began with.',
    ]);
  });
});

describe('the lease', () => {
  const lease: Lease = { owner: '42', start: 1_764_600_000_000, token: 'ab12', gates: { gc: './golden.sh' } };

  it('round-trips in the candidate endpoint’s description', () => {
    const text = leaseDescription({ ...lease, candidate: '3' });
    assert.ok(text.length <= 256, text);
    assert.deepEqual(readLease(text), { ...lease, candidate: '3' });
    assert.equal(readLease('Candidate-only endpoint'), undefined);
  });

  it('holds until production records its own candidate ended after it was taken', () => {
    const ended = { ...marker, phase: Phase.promoted, since: lease.start + 60_000 };
    assert.equal(leaseHeld(lease, undefined), true, 'taken, rollout not begun yet');
    assert.equal(leaseHeld({ ...lease, candidate: '3' }, marker), true, 'in progress');
    assert.equal(leaseHeld({ ...lease, candidate: '3' }, ended), false, 'its rollout ended');
    assert.equal(leaseHeld(lease, ended), true, 'an earlier rollout ended, not this one');
    assert.equal(leaseHeld({ ...lease, candidate: '3' }, { ...ended, since: lease.start - 1000 }), true);
    assert.equal(leaseHeld(undefined, ended), false, 'an endpoint from before leases');
    assert.equal(leaseHeld(undefined, marker), true);
  });
});
