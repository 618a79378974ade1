import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AgentRunError, toAgentRunError } from '../../src/agentrun/errors.js';
import { backoffDelay, withRetry } from '../../src/agentrun/retry.js';

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

test('backoff grows exponentially up to the cap, scaled by jitter', () => {
  const top = () => 1;
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, top)),
    [100, 200, 400, 800, 1000, 1000],
  );
  assert.equal(
    backoffDelay(policy, 3, () => 0.5),
    400,
  );
});

test('retryable failures are repeated until success; the sleeps are the backoff', async () => {
  const slept: number[] = [];
  let calls = 0;
  const result = await withRetry(
    async () => {
      calls++;
      if (calls < 3) throw new AgentRunError('Throttled', 'GetAgentRuntime', 'slow down', 429, 'Throttling');
      return 'ok';
    },
    policy,
    { clock: { sleep: async (ms) => void slept.push(ms) }, random: () => 1 },
  );
  assert.equal(result, 'ok');
  assert.equal(calls, 3);
  assert.deepEqual(slept, [100, 200]);
});

test('a non-retryable failure is thrown at once; attempts are bounded', async () => {
  let calls = 0;
  const deps = { clock: { sleep: async () => undefined }, random: () => 0 };
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw new AgentRunError('BadRequest', 'CreateAgentRuntime', 'cpu is required', 400);
      },
      policy,
      deps,
    ),
    /cpu is required/,
  );
  assert.equal(calls, 1);
  calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw new AgentRunError('Server', 'GetAgentRuntime', 'boom', 503);
      },
      policy,
      deps,
    ),
    /boom/,
  );
  assert.equal(calls, policy.attempts);
});

test('beforeRetry can end the retries with what a lost attempt already made', async () => {
  let creates = 0;
  const result = await withRetry(
    async () => {
      creates++;
      throw new AgentRunError('Network', 'CreateAgentRuntime', 'socket hang up');
    },
    policy,
    { clock: { sleep: async () => undefined }, random: () => 0 },
    { beforeRetry: async () => 'found-existing' },
  );
  assert.equal(result, 'found-existing');
  assert.equal(creates, 1);
});

test('SDK errors are classified by status, code and message', () => {
  const sdk = (statusCode: number | undefined, code: string, message: string, name?: string) =>
    toAgentRunError('X', { name, code, statusCode, data: { statusCode, message, requestId: 'req-1' } });
  assert.equal(sdk(404, 'NotFound', 'no such runtime').kind, 'NotFound');
  assert.equal(sdk(409, 'Conflict', 'runtime x already exists').kind, 'Conflict');
  assert.equal(sdk(409, 'ERR_CONFLICT', 'runtime x is UPDATING').kind, 'Busy');
  assert.equal(sdk(500, 'ERR_INTERNAL_SERVER_ERROR', 'runtime x already exists').kind, 'Conflict');
  assert.equal(sdk(429, 'Throttling', 'too many').kind, 'Throttled');
  assert.equal(sdk(400, 'Throttling.User', 'too many').kind, 'Throttled');
  assert.equal(sdk(403, 'SignatureDoesNotMatch', 'bad sig').kind, 'Auth');
  assert.equal(sdk(503, 'ServiceUnavailable', 'later').kind, 'Server');
  assert.equal(sdk(400, 'ERR_VALIDATION_FAILED', 'cpu').kind, 'BadRequest');
  assert.equal(toAgentRunError('X', { code: 'ECONNRESET', message: 'socket hang up' }).kind, 'Network');
  const unknownHost = toAgentRunError('X', {
    code: 'ENOTFOUND',
    message: 'getaddrinfo ENOTFOUND agentrun.xx',
  });
  assert.equal(unknownHost.kind, 'UnknownHost');
  assert.equal(unknownHost.retryable, false, 'a name that does not resolve will not resolve on retry');
  assert.equal(sdk(400, 'InvalidTimeStamp.Expired', 'clock skew').kind, 'Auth');
  assert.equal(sdk(400, 'MissingSecurityToken', 'no token').kind, 'Auth');
  assert.equal(
    toAgentRunError('X', { name: 'RequestTimeoutError', message: 'ReadTimeout: 100' }).kind,
    'Timeout',
  );
  const error = sdk(409, 'Conflict', 'runtime is UPDATING');
  assert.match(
    error.message,
    /X failed: runtime is UPDATING \(HTTP 409, Conflict, request id req-1\)\. Another operation is still running/,
  );
  // A failed state is not a transition: nothing runs, and waiting or re-running the same call cannot help.
  const failed = sdk(409, 'ERR_CONFLICT', 'AgentRuntime ar-1 is UPDATE_FAILED; publish when it is READY');
  assert.equal(failed.kind, 'Failed');
  assert.doesNotMatch(failed.message, /still running/);
  assert.match(failed.message, /Nothing is running on the resource/);
});
