import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { unzipTo } from '../../emulator/unzip.js';
import { agentRun, failure, pythonAgentZip, runtimeBody, waitFor, withoutPackage, zip } from './helpers.js';

const RUNTIMES = '/2025-09-10/agents/runtimes';
type Resource = {
  status: string;
  statusReason: string;
  agentRuntimeId: string;
  agentRuntimeEndpointId: string;
  endpointPublicUrl: string;
};

describe('data plane and processes', () => {
  let emulator: Emulator;
  let call: ReturnType<typeof agentRun>;

  before(async () => {
    emulator = await startEmulator({ delayMs: 20, startTimeoutMs: 10_000 });
    call = agentRun(emulator);
  });
  after(() => emulator.stop());

  async function deploy(body: Record<string, unknown>): Promise<Resource> {
    const id = (await call<Resource>('CreateAgentRuntime', 'POST', RUNTIMES, { body })).data.agentRuntimeId;
    return (
      await waitFor(
        () => call<Resource>('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`),
        (r) => r.data.status !== 'CREATING',
      )
    ).data;
  }
  async function endpoint(runtimeId: string, body: Record<string, unknown>): Promise<Resource> {
    const path = `${RUNTIMES}/${runtimeId}/endpoints`;
    const id = (await call<Resource>('CreateAgentRuntimeEndpoint', 'POST', path, { body })).data
      .agentRuntimeEndpointId;
    return (
      await waitFor(
        () => call<Resource>('GetAgentRuntimeEndpoint', 'GET', `${path}/${id}`),
        (e) => e.data.status !== 'CREATING',
      )
    ).data;
  }

  it('runs the example agent with /code mapped, env vars set, and proxies to it', async () => {
    const runtime = await deploy(
      runtimeBody('dp-python', pythonAgentZip(), {
        codeConfiguration: {
          command: ['python3', '/code/main.py'],
          zipFile: pythonAgentZip().toString('base64'),
        },
        environmentVariables: { ENVIRONMENT: 'demo', PYTHONPATH: '/code/lib' },
      }),
    );
    assert.equal(runtime.status, 'READY', runtime.statusReason);
    const prod = await endpoint(runtime.agentRuntimeId, { agentRuntimeEndpointName: 'prod' });
    assert.equal(prod.status, 'READY', prod.statusReason);
    const answer = await fetch(prod.endpointPublicUrl, {
      method: 'POST',
      body: JSON.stringify({ prompt: 'hi' }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { answer: 'You said: hi', environment: 'demo' });
    assert.equal(answer.headers.get('x-agentrun-emulator-version'), 'LATEST');
    const health = await fetch(`${prod.endpointPublicUrl}/health`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const missing = await fetch(
      `${emulator.dataPlaneUrl}/agent-runtimes/dp-python/endpoints/nope/invocations`,
    );
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { message: string }).message, /does not exist/);
  });

  it('fails creation with the stderr of a crashing command', async () => {
    const crash = "import sys; sys.stderr.write('boom: OPENAI_API_KEY is not set\\n'); sys.exit(3)";
    const runtime = await deploy(
      runtimeBody('dp-crash', pythonAgentZip(), {
        codeConfiguration: {
          command: ['python3', '-c', crash],
          zipFile: pythonAgentZip().toString('base64'),
        },
      }),
    );
    assert.equal(runtime.status, 'CREATE_FAILED');
    assert.match(runtime.statusReason, /code 3/);
    assert.match(runtime.statusReason, /boom: OPENAI_API_KEY is not set/);
  });

  it('rejects a zip that escapes its directory without writing outside, at request and at extraction', async () => {
    const marker = `agentrun-emulator-escape-${process.pid}.txt`;
    const escape = `../../../../../../../../${tmpdir().slice(1)}/${marker}`;
    const hostile = zip({ 'main.py': 'print(1)', [escape]: 'owned' });
    const refused = await failure(
      call('CreateAgentRuntime', 'POST', RUNTIMES, { body: runtimeBody('dp-traversal', hostile) }),
    );
    assert.equal(refused.statusCode, 400);
    assert.equal(
      refused.data.message,
      `codeConfiguration.zipFile: entry "${escape}" escapes the code directory`,
    );
    // The same rule still guards extraction (a package from an edited state file, say).
    const dest = await mkdtemp(join(tmpdir(), 'emulator-unzip-'));
    try {
      await assert.rejects(unzipTo(hostile, dest), {
        message: `entry "${escape}" escapes the code directory`,
      });
    } finally {
      await rm(dest, { recursive: true, force: true });
    }
    assert.equal(existsSync(join(tmpdir(), marker)), false);
  });

  it('gives the agent only PATH, PORT, HOST and its own variables', async () => {
    const agent = zip({
      'env.mjs':
        "import http from 'node:http'; http.createServer((q, s) => s.end(JSON.stringify(process.env))).listen(Number(process.env.PORT), process.env.HOST);",
    });
    process.env.AGENTRUN_EMULATOR_HOST_SECRET = 'ci-secret';
    try {
      const runtime = await deploy(
        runtimeBody('dp-env', agent, {
          codeConfiguration: { command: [process.execPath, 'env.mjs'], zipFile: agent.toString('base64') },
          healthCheckConfiguration: { httpGetUrl: '/' },
          environmentVariables: { ENVIRONMENT: 'demo', DATA_DIR: '/code/data' },
        }),
      );
      const env = await endpoint(runtime.agentRuntimeId, { agentRuntimeEndpointName: 'prod' });
      const seen = (await (await fetch(env.endpointPublicUrl)).json()) as Record<string, string>;
      assert.deepEqual(Object.keys(seen).sort(), ['DATA_DIR', 'ENVIRONMENT', 'HOST', 'PATH', 'PORT']);
      assert.equal(seen.PATH, process.env.PATH);
      assert.match(seen.DATA_DIR!, /^\/.+\/data$/);
      assert.notEqual(seen.DATA_DIR, '/code/data');
    } finally {
      delete process.env.AGENTRUN_EMULATOR_HOST_SECRET;
    }
  });

  it('explains a version that never gets healthy by the port it was given', async () => {
    const quick = await startEmulator({ delayMs: 0, startTimeoutMs: 1000 });
    try {
      // A shell prints at once, long before the health check gives up, however loaded the machine.
      const deaf = 'echo "listening on 8000" >&2; exec sleep 30';
      const body = runtimeBody('dp-deaf', pythonAgentZip(), {
        codeConfiguration: {
          command: ['/bin/sh', '-c', deaf],
          zipFile: pythonAgentZip().toString('base64'),
        },
      });
      const id = (await agentRun(quick)<Resource>('CreateAgentRuntime', 'POST', RUNTIMES, { body })).data
        .agentRuntimeId;
      const runtime = await waitFor(
        () => agentRun(quick)<Resource>('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`),
        (r) => r.data.status !== 'CREATING',
      );
      assert.equal(runtime.data.status, 'CREATE_FAILED');
      assert.match(
        runtime.data.statusReason,
        /^port (\d+) not healthy at \/health within 1000 ms; the emulator gives each version its own port in \$PORT \(the runtime's port 8000 is not used\): make the agent listen on \$PORT; stderr: listening on 8000$/,
      );
      assert.equal(quick.processIds().length, 0);
    } finally {
      await quick.stop();
    }
  });

  it('splits traffic by version weights (10,000 requests, 10% canary)', async () => {
    const agent = zip({
      'agent.mjs':
        "import http from 'node:http'; http.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), process.env.HOST);",
    });
    const body = runtimeBody('dp-canary', agent, {
      codeConfiguration: { command: [process.execPath, 'agent.mjs'], zipFile: agent.toString('base64') },
      healthCheckConfiguration: { httpGetUrl: '/' },
    });
    const runtime = await deploy(body);
    const path = `${RUNTIMES}/${runtime.agentRuntimeId}`;
    await call('PublishRuntimeVersion', 'POST', `${path}/versions`, { body: { description: 'stable' } });
    await call('UpdateAgentRuntime', 'PUT', path, {
      body: { ...withoutPackage(body), environmentVariables: { BUILD: '2' } },
    });
    await waitFor(
      () => call<Resource>('GetAgentRuntime', 'GET', path),
      (r) => r.data.status === 'READY',
    );
    await call('PublishRuntimeVersion', 'POST', `${path}/versions`, { body: { description: 'canary' } });
    const canary = await endpoint(runtime.agentRuntimeId, {
      agentRuntimeEndpointName: 'prod',
      targetVersion: '1',
      routingConfiguration: { versionWeights: [{ version: '2', weight: 0.1 }] },
    });
    assert.equal(canary.status, 'READY', canary.statusReason);

    const counts = new Map<string, number>();
    const total = 10_000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next++ < total) {
        const response = await fetch(canary.endpointPublicUrl);
        await response.text();
        const version = response.headers.get('x-agentrun-emulator-version') ?? '?';
        counts.set(version, (counts.get(version) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    const share = (counts.get('2') ?? 0) / total;
    console.log(
      `weight split over ${total} requests: ${JSON.stringify(Object.fromEntries(counts))} (canary ${(share * 100).toFixed(2)}%)`,
    );
    assert.equal((counts.get('1') ?? 0) + (counts.get('2') ?? 0), total);
    assert.ok(Math.abs(share - 0.1) <= 0.015, `canary share ${share}`);
  });

  it('injects data-plane errors and latency per runtime', async () => {
    const url = `${emulator.dataPlaneUrl}/agent-runtimes/dp-python/endpoints/prod/invocations/health`;
    emulator.faults.inject({ kind: 'data-plane', runtime: 'dp-python', errorRate: 1 });
    assert.equal((await fetch(url)).status, 500);
    emulator.faults.clear();
    emulator.faults.inject({ kind: 'data-plane', runtime: 'dp-python', version: 'LATEST', latencyMs: 150 });
    const started = Date.now();
    assert.equal((await fetch(url)).status, 200);
    assert.ok(Date.now() - started >= 150);
    emulator.faults.clear();
  });

  it('leaves no agent process behind after stop', async () => {
    const pids = emulator.processIds();
    assert.ok(pids.length >= 3, `expected running agents, got ${pids.join(',')}`);
    await emulator.stop();
    for (const pid of pids) {
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `process ${pid} survived`);
      assert.throws(() => process.kill(-pid, 0), { code: 'ESRCH' }, `process group ${pid} survived`);
    }
  });
});

describe('startProcesses: false', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ delayMs: 20, startProcesses: false });
  });
  after(() => emulator.stop());

  it('makes runtimes and endpoints ready after the delay alone, with no agent process', async () => {
    const call = agentRun(emulator);
    const created = await call<Resource>('CreateAgentRuntime', 'POST', RUNTIMES, {
      body: runtimeBody('dp-quiet', pythonAgentZip()),
    });
    assert.equal(created.data.status, 'CREATING');
    const id = created.data.agentRuntimeId;
    const runtime = await waitFor(
      () => call<Resource>('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`),
      (r) => r.data.status !== 'CREATING',
    );
    assert.equal(runtime.data.status, 'READY', runtime.data.statusReason);
    const path = `${RUNTIMES}/${id}/endpoints`;
    const body = { agentRuntimeEndpointName: 'prod' };
    const endpointId = (await call<Resource>('CreateAgentRuntimeEndpoint', 'POST', path, { body })).data
      .agentRuntimeEndpointId;
    const endpoint = await waitFor(
      () => call<Resource>('GetAgentRuntimeEndpoint', 'GET', `${path}/${endpointId}`),
      (e) => e.data.status !== 'CREATING',
    );
    assert.equal(endpoint.data.status, 'READY', endpoint.data.statusReason);
    assert.deepEqual(emulator.processIds(), []);
    const answer = await fetch(endpoint.data.endpointPublicUrl, { method: 'POST', body: '{}' });
    assert.equal(answer.status, 502);
    assert.match(((await answer.json()) as { message: string }).message, /is not running/);
  });
});
