import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { Store, type RuntimeRecord } from '../../emulator/store.js';
import { agentRun, failure, pythonAgentZip, runtimeBody, waitFor } from './helpers.js';

const RUNTIMES = '/2025-09-10/agents/runtimes';
type Runtime = { agentRuntimeId: string; status: string; statusReason: string };

describe('fault injection, admin routes and state', () => {
  let emulator: Emulator;
  let call: ReturnType<typeof agentRun>;
  const list = () => call('ListAgentRuntimes', 'GET', RUNTIMES);

  before(async () => {
    emulator = await startEmulator({ delayMs: 20 });
    call = agentRun(emulator);
  });
  after(() => emulator.stop());

  it('answers 429 Throttling, 500 and 503 for the next N matching calls only', async () => {
    emulator.faults.inject([
      { action: 'ListAgentRuntimes', kind: 'throttle', times: 2 },
      { action: 'GetAgentRuntime', kind: 'server-error' },
    ]);
    for (let i = 0; i < 2; i++) {
      const throttled = await failure(list());
      assert.equal(throttled.statusCode, 429);
      assert.equal(throttled.code, 'Throttling');
    }
    assert.equal((await list()).code, 'SUCCESS');
    assert.equal((await failure(call('GetAgentRuntime', 'GET', `${RUNTIMES}/x`))).statusCode, 500);
    emulator.faults.inject({ action: '*', kind: 'unavailable' });
    assert.equal((await failure(list())).statusCode, 503);
    assert.deepEqual(emulator.faults.list(), []);
  });

  it('resets connections and holds responses past the client read timeout', async () => {
    emulator.faults.inject({ action: 'ListAgentRuntimes', kind: 'reset' });
    const reset = await failure(list());
    assert.match(String(reset.message), /socket hang up|ECONNRESET/i);
    emulator.faults.inject({ action: 'ListAgentRuntimes', kind: 'slow', delayMs: 1000 });
    const since = emulator.requestLog().length;
    const slow = await failure(call('ListAgentRuntimes', 'GET', RUNTIMES, { readTimeout: 200 }));
    assert.match(String(slow.message), /ReadTimeout/);
    assert.equal((await list()).code, 'SUCCESS');
    // The held answer is logged when it is finally sent; wait for it, so it cannot land in a later test.
    await waitFor(
      async () => emulator.requestLog().slice(since),
      (entries) => entries.length === 2,
    );
  });

  it('fires probabilistic rules on roughly that share of calls', async () => {
    emulator.faults.inject({ action: 'ListAgentRuntimes', kind: 'throttle', probability: 0.5 });
    let throttled = 0;
    for (let i = 0; i < 200; i++)
      throttled += await list().then(
        () => 0,
        () => 1,
      );
    emulator.faults.clear();
    assert.ok(throttled > 60 && throttled < 140, `throttled ${throttled} of 200`);
  });

  it('forces a transition to CREATE_FAILED with the given reason', async () => {
    emulator.faults.inject({
      action: 'CreateAgentRuntime',
      kind: 'fail-transition',
      message: 'quota exceeded',
    });
    const id = (
      await call<Runtime>('CreateAgentRuntime', 'POST', RUNTIMES, {
        body: runtimeBody('fault-fail', pythonAgentZip()),
      })
    ).data.agentRuntimeId;
    const runtime = await waitFor(
      () => call<Runtime>('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`),
      (r) => r.data.status !== 'CREATING',
    );
    assert.deepEqual([runtime.data.status, runtime.data.statusReason], ['CREATE_FAILED', 'quota exceeded']);
  });

  it('exposes the request log and faults over the admin routes, and validates rules', async () => {
    const admin = (path: string, init?: RequestInit) =>
      fetch(`${emulator.endpoint}/__emulator/${path}`, init);
    const armed = await admin('faults', {
      method: 'POST',
      body: JSON.stringify({ action: 'ListAgentRuntimes', kind: 'throttle' }),
    });
    assert.equal(armed.status, 200);
    assert.equal((await failure(list())).statusCode, 429);
    const bad = await admin('faults', {
      method: 'POST',
      body: JSON.stringify({ action: 'X', kind: 'meteor' }),
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /kind/);
    const { requests } = (await (await admin('requests')).json()) as {
      requests: { action: string; status: number; method: string; path: string; time: string }[];
    };
    const last = requests.at(-1)!;
    assert.deepEqual(
      [last.action, last.method, last.path, last.status],
      ['ListAgentRuntimes', 'GET', RUNTIMES, 429],
    );
    assert.ok(!Number.isNaN(Date.parse(last.time)));
    assert.deepEqual(emulator.requestLog().at(-1)?.status, 429);
    assert.equal((await admin('nothing')).status, 404);
    assert.equal((await admin('reset', { method: 'POST' })).status, 200);
    assert.deepEqual(emulator.requestLog(), []);
  });

  it('keeps state in a file across restarts and restarts READY agents', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-state-'));
    const stateFile = join(dir, 'state.json');
    const faultsFile = join(dir, 'faults.json');
    await writeFile(faultsFile, JSON.stringify([{ action: 'GetAgentRuntime', kind: 'throttle' }]));
    try {
      const first = await startEmulator({ stateFile, delayMs: 10 });
      let id = '';
      try {
        id = (
          await agentRun(first)<Runtime>('CreateAgentRuntime', 'POST', RUNTIMES, {
            body: runtimeBody('persisted', pythonAgentZip()),
          })
        ).data.agentRuntimeId;
        await waitFor(
          () => agentRun(first)<Runtime>('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`),
          (r) => r.data.status === 'READY',
        );
      } finally {
        await first.stop();
      }
      const second = await startEmulator({ stateFile, faults: faultsFile });
      try {
        const again = agentRun(second);
        assert.equal(
          (await failure(again('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`))).statusCode,
          429,
          'faults file armed',
        );
        const runtime = await again<Runtime>('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`);
        assert.equal(runtime.data.status, 'READY');
        await waitFor(
          async () => second.processIds().length,
          (n) => n === 1,
        );
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails a start with the bad file named, leaving no work dir or listener behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-start-'));
    const previousTmp = process.env.TMPDIR;
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    // os.tmpdir() follows TMPDIR: the emulator's work dir, if one were left, would be in `dir`.
    process.env.TMPDIR = dir;
    try {
      const faultsFile = join(dir, 'faults.json');
      await writeFile(faultsFile, '[{"action":');
      await assert.rejects(startEmulator({ faults: faultsFile }), {
        message: `--faults ${faultsFile}: Unexpected end of JSON input`,
      });
      const stateFile = join(dir, 'state.json');
      await writeFile(stateFile, '{}');
      await assert.rejects(startEmulator({ stateFile }), { message: new RegExp(`^--state ${stateFile}: `) });
      // The control plane is already listening when the data-plane port turns out to be taken.
      const dataPort = (busy.address() as AddressInfo).port;
      await assert.rejects(startEmulator({ dataPort }), /EADDRINUSE/);
      assert.deepEqual((await readdir(dir)).sort(), ['faults.json', 'state.json']);
    } finally {
      if (previousTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmp;
      busy.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes the state file asynchronously and coalesced, the last state winning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'emulator-store-'));
    try {
      const file = join(dir, 'state.json');
      const store = new Store(file);
      for (let i = 0; i < 50; i++) {
        store.runtimes.set(`r${i}`, { id: `r${i}` } as RuntimeRecord);
        store.save();
      }
      assert.equal(existsSync(file), false, 'nothing is written while the changes are being made');
      await store.flush();
      const written = JSON.parse(await readFile(file, 'utf8')) as { runtimes: RuntimeRecord[] };
      assert.equal(written.runtimes.length, 50);
      store.runtimes.clear();
      store.save();
      await store.flush();
      const last = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown[]>;
      assert.deepEqual([last.runtimes, last.endpoints], [[], []]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
