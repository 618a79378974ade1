import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { agentRun, pythonAgentZip, runtimeBody, waitFor, withoutPackage } from './helpers.js';

const RUNTIMES = '/2025-09-10/agents/runtimes';
type Resource = { status: string; statusReason: string; agentRuntimeId: string; endpointPublicUrl: string };

/**
 * Per-version behaviour set through the admin route, observed as a client of the data plane sees it:
 * through an endpoint's weighted routing, never by asking the emulator which version answered.
 */
describe('per-version data-plane behaviour', () => {
  let emulator: Emulator;
  let call: ReturnType<typeof agentRun>;
  let urls: { stable: string; candidate: string; split: string };

  const admin = (method: string, body?: unknown) =>
    fetch(`${emulator.endpoint}/__emulator/faults`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const statuses = async (url: string, count: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < count; i++) {
      const response = await fetch(url, { method: 'POST', body: '{}' });
      await response.text();
      out.push(response.status);
    }
    return out;
  };
  const tally = (list: number[]) =>
    list.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});

  before(async () => {
    emulator = await startEmulator({ delayMs: 20, startTimeoutMs: 10_000 });
    call = agentRun(emulator);
    const body = runtimeBody('behaving', pythonAgentZip());
    const id = (await call<Resource>('CreateAgentRuntime', 'POST', RUNTIMES, { body })).data.agentRuntimeId;
    const path = `${RUNTIMES}/${id}`;
    const ready = () =>
      waitFor(
        () => call<Resource>('GetAgentRuntime', 'GET', path),
        (r) => r.data.status === 'READY',
      );
    await ready();
    await call('PublishRuntimeVersion', 'POST', `${path}/versions`, { body: { description: 'stable' } });
    await call('UpdateAgentRuntime', 'PUT', path, {
      body: { ...withoutPackage(body), environmentVariables: { BUILD: '2' } },
    });
    await ready();
    await call('PublishRuntimeVersion', 'POST', `${path}/versions`, { body: { description: 'candidate' } });
    const endpoint = async (name: string, extra: Record<string, unknown>) => {
      const created = await call<{ agentRuntimeEndpointId: string }>(
        'CreateAgentRuntimeEndpoint',
        'POST',
        `${path}/endpoints`,
        { body: { agentRuntimeEndpointName: name, ...extra } },
      );
      const done = await waitFor(
        () =>
          call<Resource>(
            'GetAgentRuntimeEndpoint',
            'GET',
            `${path}/endpoints/${created.data.agentRuntimeEndpointId}`,
          ),
        (e) => e.data.status !== 'CREATING',
      );
      assert.equal(done.data.status, 'READY', done.data.statusReason);
      return done.data.endpointPublicUrl;
    };
    urls = {
      stable: await endpoint('stable', { targetVersion: '1' }),
      candidate: await endpoint('candidate', { targetVersion: '2' }),
      split: await endpoint('split', {
        targetVersion: '1',
        routingConfiguration: { versionWeights: [{ version: '2', weight: 0.5 }] },
      }),
    };
  });
  after(() => emulator.stop());

  it('fails a share of one version’s requests, wherever they are routed from', async () => {
    const armed = await admin('POST', {
      kind: 'data-plane',
      runtime: 'behaving',
      version: '2',
      errorRate: 1,
    });
    assert.equal(armed.status, 200);
    assert.deepEqual(tally(await statuses(urls.stable, 10)), { 200: 10 });
    assert.deepEqual(tally(await statuses(urls.candidate, 10)), { 500: 10 });
    const split = tally(await statuses(urls.split, 200));
    // Half the traffic reaches version 2; 200 draws put its share well inside 30–70%.
    assert.ok((split[500] ?? 0) > 60 && (split[500] ?? 0) < 140, JSON.stringify(split));
    assert.equal((split[200] ?? 0) + (split[500] ?? 0), 200);
    await admin('DELETE');
  });

  it('adds latency to one version only', async () => {
    await admin('POST', { kind: 'data-plane', runtime: 'behaving', version: '2', latencyMs: 300 });
    const timed = async (url: string) => {
      const started = performance.now();
      await statuses(url, 1);
      return performance.now() - started;
    };
    assert.ok((await timed(urls.candidate)) >= 300);
    assert.ok((await timed(urls.stable)) < 300);
    await admin('DELETE');
  });

  it('crashes a version after N requests; the other keeps serving', async () => {
    await admin('POST', { kind: 'data-plane', runtime: 'behaving', version: '2', crashAfter: 3 });
    assert.deepEqual(await statuses(urls.candidate, 6), [200, 200, 200, 502, 502, 502]);
    const down = await fetch(urls.candidate, { method: 'POST', body: '{}' });
    assert.match(
      ((await down.json()) as { message: string }).message,
      /Version 2 of behaving is not running/,
    );
    assert.deepEqual(tally(await statuses(urls.stable, 5)), { 200: 5 });
    const split = tally(await statuses(urls.split, 40));
    assert.ok((split[502] ?? 0) > 0 && (split[200] ?? 0) > 0, JSON.stringify(split));
    const listed = (await (await admin('GET')).json()) as { faults: unknown[] };
    assert.deepEqual(listed.faults, [
      { kind: 'data-plane', runtime: 'behaving', version: '2', crashAfter: 3 },
    ]);
    await admin('DELETE');
  });

  it('rejects a malformed behaviour with a 400 that names the field', async () => {
    const response = await admin('POST', { kind: 'data-plane', runtime: 'behaving', crashAfter: -1 });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { message: string }).message, /crashAfter/);
  });
});
