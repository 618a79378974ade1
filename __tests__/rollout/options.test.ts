import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/inputs.js';
import {
  parseExpectStatus,
  parseHeaders,
  parseRolloutOptions,
  parseSteps,
  ROLLOUT_INPUT_DEFAULTS,
  type RolloutInputName,
} from '../../src/rollout/options.js';

const parse = (inputs: Partial<Record<RolloutInputName, string>> = {}) =>
  parseRolloutOptions((name) => inputs[name] ?? ROLLOUT_INPUT_DEFAULTS[name]);

describe('rollout inputs', () => {
  it('has the documented defaults', () => {
    const options = parse();
    assert.equal(options.strategy, 'direct');
    assert.deepEqual(options.steps, [10, 30, 50, 100]);
    assert.equal(options.intervalMs, 60_000);
    assert.equal(options.mode, 'auto');
    assert.equal(options.canaryEndpoint, 'canary');
    assert.equal(options.productionEndpoint, undefined);
    assert.equal(options.promoteTo, 'next');
    assert.deepEqual(options.gates, {
      minSuccessRate: 0.99,
      maxLatencyMs: 2000,
      maxConsecutiveFailures: 3,
      command: undefined,
      logsQuery: 'Traceback or Error or Exception or Uncaught',
      maxErrorLogs: 0,
    });
    assert.equal(options.probe.path, '/');
    assert.equal(options.probe.rps, 5);
    assert.deepEqual(options.probe.expectStatus, { codes: [], classes: [2] });
  });

  for (const [value, ms] of [
    ['30s', 30_000],
    ['5m', 300_000],
    ['90', 90_000],
    ['1.5s', 1500],
  ] as const) {
    it(`canary-interval ${value} is ${ms} ms`, () =>
      assert.equal(parse({ 'canary-interval': value }).intervalMs, ms));
  }

  for (const [input, value, message] of [
    ['canary-steps', '10,5,100', /ascending whole percents/],
    ['canary-steps', '10,50', /end at 100/],
    ['canary-steps', '0,100', /from 1 to 100/],
    ['canary-steps', '10.5,100', /whole percents/],
    ['canary-interval', 'soon', /canary-interval must be a duration/],
    ['strategy', 'blue-green', /strategy must be one of direct, canary, not "blue-green"/],
    ['canary-mode', 'auto ', /canary-mode must be one of auto, manual/],
    ['min-success-rate', '1.5', /min-success-rate must be a share/],
    ['max-consecutive-failures', '0', /max-consecutive-failures must be a whole number/],
    ['probe-rps', '0', /probe-rps must be a number above 0/],
    ['max-error-logs', '-1', /max-error-logs must be a whole number from 0, not "-1"/],
    ['probe-path', 'health', /probe-path must start with \//],
    ['probe-expect-status', '2xx,OK', /probe-expect-status must be statuses or classes/],
    ['canary-endpoint', '1canary', /canary-endpoint must be an endpoint name/],
    ['promote-to', '150', /promote-to must be next, full or a percent/],
  ] as const) {
    it(`${input}: "${value}" is refused naming the input`, () => {
      assert.throws(
        () => parse({ [input]: value }),
        (error: unknown) => {
          assert.ok(error instanceof InputError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('parses steps, statuses, headers, rates and promote targets', () => {
    assert.deepEqual(parseSteps('5, 25\n100'), [5, 25, 100]);
    assert.deepEqual(parseSteps('100'), [100]);
    assert.deepEqual(parseExpectStatus('200,204,3xx'), { codes: [200, 204], classes: [3] });
    assert.deepEqual(parseHeaders('Authorization: Bearer x\nX-Probe:  1 '), {
      Authorization: 'Bearer x',
      'X-Probe': '1',
    });
    assert.deepEqual(parseHeaders('{"X-A": 1}'), { 'X-A': '1' });
    assert.equal(parse({ 'min-success-rate': '95%' }).gates.minSuccessRate, 0.95);
    assert.equal(parse({ 'promote-to': '75' }).promoteTo, 75);
    assert.equal(parse({ 'promote-to': 'full' }).promoteTo, 'full');
    assert.equal(parse({ 'probe-method': 'get' }).probe.method, 'GET');
  });
});
