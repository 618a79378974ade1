import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { crc64 } from '../../src/package/crc64.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { agentRun, failure, pythonAgentZip, runtimeBody, waitFor, withoutPackage, zip } from './helpers.js';

const RUNTIMES = '/2025-09-10/agents/runtimes';
type Runtime = { agentRuntimeId: string; status: string; statusReason: string; [key: string]: unknown };
type Page<T> = { items: T[]; pageNumber: number; pageSize: number; total: number };

describe('control plane', () => {
  let emulator: Emulator;
  let call: ReturnType<typeof agentRun>;
  const code = pythonAgentZip();

  before(async () => {
    emulator = await startEmulator({ delayMs: 100 });
    call = agentRun(emulator);
  });
  after(() => emulator.stop());

  const getRuntime = (id: string) => call<Runtime>('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`);
  const create = (name: string, extra?: Record<string, unknown>) =>
    call<Runtime>('CreateAgentRuntime', 'POST', RUNTIMES, { body: runtimeBody(name, code, extra) });

  it('creates a runtime: CREATING, then READY after the delay, with ARN, never echoing the package', async () => {
    const started = Date.now();
    const created = await create('cp-main', {
      codeConfiguration: {
        command: ['python3', 'main.py'],
        zipFile: code.toString('base64'),
        checksum: crc64(code),
      },
    });
    assert.equal(created.code, 'SUCCESS');
    assert.match(created.requestId, /^[0-9A-F-]{36}$/);
    const runtime = created.data;
    assert.equal(runtime.status, 'CREATING');
    assert.match(runtime.agentRuntimeId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(
      runtime.agentRuntimeArn,
      `acs:agentrun:cn-hangzhou:1000000000000001:runtimes/${runtime.agentRuntimeId}`,
    );
    // Whether the service echoes the checksum is unconfirmed, so the emulator does not (SERVICE.notEchoed).
    assert.deepEqual(runtime.codeConfiguration, { command: ['python3', 'main.py'] });
    const ready = await waitFor(
      () => getRuntime(runtime.agentRuntimeId),
      (r) => r.data.status !== 'CREATING',
    );
    assert.equal(ready.data.status, 'READY');
    assert.ok(Date.now() - started >= 100, 'the transition takes at least the configured delay');
  });

  it('rejects duplicates with 409 "already exists" and bad bodies with 400 naming the field', async () => {
    const duplicate = await failure(create('cp-main'));
    assert.equal(duplicate.statusCode, 409);
    assert.match(duplicate.data.message as string, /already exists/);

    const cases: [Record<string, unknown>, RegExp][] = [
      [{ agentRuntimeName: '9bad' }, /agentRuntimeName/],
      [{ cpu: 0 }, /cpu/],
      [{ memory: 'lots' }, /memory/],
      [{ port: 70000 }, /port/],
      [{ artifactType: 'Binary' }, /artifactType/],
      [{ networkConfiguration: { networkMode: 'MESH' } }, /networkConfiguration\.networkMode/],
      [{ networkConfiguration: undefined }, /networkConfiguration/],
      [{ codeConfiguration: undefined }, /codeConfiguration is required/],
      [{ cpuu: 2 }, /Unrecognized key: "cpuu"/],
      [
        { codeConfiguration: { command: ['python3'], zipFile: code.toString('base64'), checksum: '1' } },
        /checksum: 1 does not match/,
      ],
      [
        { codeConfiguration: { command: ['python3'], zipFile: Buffer.from('print(1)').toString('base64') } },
        /^codeConfiguration\.zipFile: not a zip archive \(.+\)$/,
      ],
      ...['../evil', '/etc/evil', 'lib/../../evil'].map((name): [Record<string, unknown>, RegExp] => [
        { codeConfiguration: { command: ['python3'], zipFile: zip({ [name]: 'x' }).toString('base64') } },
        new RegExp(`^codeConfiguration\\.zipFile: entry "${name}" escapes the code directory$`),
      ]),
    ];
    for (const [patch, message] of cases) {
      const error = await failure(create('cp-invalid', patch));
      assert.equal(error.statusCode, 400, JSON.stringify(patch));
      assert.equal(error.code, 'ERR_VALIDATION_FAILED');
      assert.match(error.data.message as string, message);
      assert.match(error.data.requestId as string, /^[0-9A-F-]{36}$/);
    }
  });

  it('answers unknown ids with 404 "does not exist"', async () => {
    const error = await failure(getRuntime('00000000-0000-0000-0000-000000000000'));
    assert.equal(error.statusCode, 404);
    assert.match(error.message, /does not exist/);
  });

  it('pages and filters lists (exact and fuzzy names)', async () => {
    for (const name of ['cp-list-a', 'cp-list-ab', 'cp-list-b']) await create(name);
    const list = (query: Record<string, string>) =>
      call<Page<{ agentRuntimeName: string }>>('ListAgentRuntimes', 'GET', RUNTIMES, { query });
    const exact = await list({
      agentRuntimeName: 'cp-list-a',
      searchMode: 'exact',
      pageNumber: '1',
      pageSize: '100',
    });
    assert.deepEqual(
      exact.data.items.map((r) => r.agentRuntimeName),
      ['cp-list-a'],
    );
    const fuzzy = await list({ agentRuntimeName: 'cp-list-a', searchMode: 'fuzzy' });
    assert.deepEqual(
      fuzzy.data.items.map((r) => r.agentRuntimeName),
      ['cp-list-a', 'cp-list-ab'],
    );
    const second = await list({ agentRuntimeName: 'cp-list', pageNumber: '2', pageSize: '2' });
    assert.deepEqual(
      { ...second.data, items: second.data.items.map((r) => r.agentRuntimeName) },
      { items: ['cp-list-b'], pageNumber: 2, pageSize: 2, total: 3 },
    );
    assert.equal((await failure(list({ pageSize: '0' }))).statusCode, 400);
    assert.equal((await failure(list({ searchMode: 'regex' }))).statusCode, 400);
  });

  it('updates through UPDATING, with 409 while busy, and publishes numbered immutable versions', async () => {
    const id = (await create('cp-versions')).data.agentRuntimeId;
    const busy = await failure(call('UpdateAgentRuntime', 'PUT', `${RUNTIMES}/${id}`, { body: { cpu: 2 } }));
    assert.equal(busy.statusCode, 409);
    await waitFor(
      () => getRuntime(id),
      (r) => r.data.status === 'READY',
    );

    const publish = (description: string) =>
      call<{ agentRuntimeVersion: string; description: string }>(
        'PublishRuntimeVersion',
        'POST',
        `${RUNTIMES}/${id}/versions`,
        {
          body: { description },
        },
      );
    assert.equal((await publish('first')).data.agentRuntimeVersion, '1');
    const updated = await call<Runtime>('UpdateAgentRuntime', 'PUT', `${RUNTIMES}/${id}`, {
      body: {
        ...withoutPackage(runtimeBody('cp-versions', code)),
        cpu: 2,
        environmentVariables: { E: 'two' },
      },
    });
    assert.equal(updated.data.status, 'UPDATING');
    assert.equal((await failure(publish('too early'))).statusCode, 409);
    await waitFor(
      () => getRuntime(id),
      (r) => r.data.status === 'READY',
    );
    assert.equal((await publish('second')).data.agentRuntimeVersion, '2');

    const v1 = await call<Runtime>('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`, {
      query: { agentRuntimeVersion: '1' },
    });
    assert.equal(v1.data.cpu, 1, 'version 1 keeps the configuration it was published with');
    assert.equal(v1.data.agentRuntimeVersion, '1');
    const versions = await call<Page<{ agentRuntimeVersion: string; description: string }>>(
      'ListAgentRuntimeVersions',
      'GET',
      `${RUNTIMES}/${id}/versions`,
      { query: { pageNumber: '1', pageSize: '10' } },
    );
    assert.deepEqual(
      versions.data.items.map((v) => [v.agentRuntimeVersion, v.description]),
      [
        ['1', 'first'],
        ['2', 'second'],
      ],
    );
    assert.equal(versions.data.total, 2);
  });

  it('keeps what an update does not send: a minimal update, the deployed code, endpoint settings', async () => {
    const extras = {
      description: 'first',
      environmentVariables: { ENVIRONMENT: 'one' },
      logConfiguration: { project: 'p', logstore: 'l' },
      healthCheckConfiguration: { httpGetUrl: '/health', periodSeconds: 5 },
    };
    const id = (await create('cp-update', extras)).data.agentRuntimeId;
    const path = `${RUNTIMES}/${id}`;
    const ready = () =>
      waitFor(
        () => getRuntime(id),
        (r) => r.data.status !== 'CREATING' && r.data.status !== 'UPDATING',
      );
    assert.equal((await ready()).data.status, 'READY');
    const update = (body: Record<string, unknown>) =>
      call<Runtime>('UpdateAgentRuntime', 'PUT', path, { body });

    const hostile = zip({ '../evil': 'x' }).toString('base64');
    const refused = await failure(
      update({ ...runtimeBody('cp-update', code), codeConfiguration: { command: ['x'], zipFile: hostile } }),
    );
    assert.match(refused.data.message as string, /zipFile: entry "\.\.\/evil" escapes/);

    await update({ cpu: 2 });
    const minimal = await ready();
    assert.equal(minimal.data.status, 'READY', minimal.data.statusReason);
    assert.equal(minimal.data.cpu, 2);
    assert.equal(minimal.data.memory, 2048);
    for (const [field, value] of Object.entries(extras)) assert.deepEqual(minimal.data[field], value, field);

    await update({ ...withoutPackage(runtimeBody('cp-update', code)), description: '', memory: 4096 });
    const updated = await ready();
    assert.equal(updated.data.status, 'READY', updated.data.statusReason);
    assert.equal(updated.data.memory, 4096);
    assert.equal(updated.data.description, undefined, 'an empty value clears, and answers leave it out');
    assert.deepEqual(
      updated.data.codeConfiguration,
      { language: 'python3.12', command: ['python3', 'main.py'] },
      'no package sent: the deployed code stays',
    );

    await call('PublishRuntimeVersion', 'POST', `${path}/versions`, {});
    type Endpoint = { agentRuntimeEndpointId: string; status: string; [key: string]: unknown };
    const endpoints = `${path}/endpoints`;
    const endpointId = (
      await call<Endpoint>('CreateAgentRuntimeEndpoint', 'POST', endpoints, {
        body: {
          agentRuntimeEndpointName: 'prod',
          description: 'canary',
          targetVersion: '1',
          routingConfiguration: { versionWeights: [{ version: 'LATEST', weight: 0.2 }] },
        },
      })
    ).data.agentRuntimeEndpointId;
    const endpointReady = () =>
      waitFor(
        () => call<Endpoint>('GetAgentRuntimeEndpoint', 'GET', `${endpoints}/${endpointId}`),
        (e) => e.data.status === 'READY',
      );
    await endpointReady();
    const settings = (endpoint: Endpoint) => [
      endpoint.agentRuntimeEndpointName,
      endpoint.description,
      endpoint.targetVersion,
      endpoint.routingConfiguration,
    ];
    await call('UpdateAgentRuntimeEndpoint', 'PUT', `${endpoints}/${endpointId}`, { body: {} });
    assert.deepEqual(settings((await endpointReady()).data), [
      'prod',
      'canary',
      '1',
      { versionWeights: [{ version: 'LATEST', weight: 0.2 }] },
    ]);
    await call('UpdateAgentRuntimeEndpoint', 'PUT', `${endpoints}/${endpointId}`, {
      body: { description: '', targetVersion: 'LATEST', routingConfiguration: { versionWeights: [] } },
    });
    assert.deepEqual(settings((await endpointReady()).data), ['prod', undefined, 'LATEST', undefined]);
  });

  it('manages endpoints: validation, CREATING → READY with a URL, name filter, delete order', async () => {
    const id = (await create('cp-endpoints')).data.agentRuntimeId;
    const endpoints = `${RUNTIMES}/${id}/endpoints`;
    const early = await failure(
      call('CreateAgentRuntimeEndpoint', 'POST', endpoints, { body: { agentRuntimeEndpointName: 'prod' } }),
    );
    assert.equal(early.statusCode, 409, 'endpoints wait for a READY runtime');
    await waitFor(
      () => getRuntime(id),
      (r) => r.data.status === 'READY',
    );
    await call('PublishRuntimeVersion', 'POST', `${RUNTIMES}/${id}/versions`, {});

    const bad: [Record<string, unknown>, RegExp][] = [
      [{ targetVersion: '7' }, /version 7 does not exist/],
      [
        {
          targetVersion: '1',
          routingConfiguration: { versionWeights: [{ version: 'LATEST', weight: 1.5 }] },
        },
        /weight/,
      ],
      [
        {
          routingConfiguration: {
            versionWeights: [
              { version: '1', weight: 0.7 },
              { version: 'LATEST', weight: 0.4 },
            ],
          },
        },
        /more than 1/,
      ],
      [{ routingConfiguration: { versionWeights: [{ weight: 0.5 }] } }, /versionWeights\.0\.version/],
      [{ agentRuntimeEndpointName: undefined }, /agentRuntimeEndpointName/],
    ];
    for (const [patch, message] of bad) {
      const error = await failure(
        call('CreateAgentRuntimeEndpoint', 'POST', endpoints, {
          body: { agentRuntimeEndpointName: 'prod', ...patch },
        }),
      );
      assert.equal(error.statusCode, 400, JSON.stringify(patch));
      assert.match(error.data.message as string, message);
    }

    const body = {
      agentRuntimeEndpointName: 'prod',
      targetVersion: 'LATEST',
      routingConfiguration: { versionWeights: [{ version: '1', weight: 0.2 }] },
    };
    type Endpoint = {
      agentRuntimeEndpointId: string;
      status: string;
      endpointPublicUrl: string;
      [key: string]: unknown;
    };
    const created = await call<Endpoint>('CreateAgentRuntimeEndpoint', 'POST', endpoints, { body });
    assert.equal(created.data.status, 'CREATING');
    assert.equal(created.data.endpointPublicUrl, undefined, 'no URL before it serves');
    assert.match(
      created.data.agentRuntimeEndpointArn as string,
      /^acs:agentrun:cn-hangzhou:\d+:runtime-endpoints\//,
    );
    const endpointPath = `${endpoints}/${created.data.agentRuntimeEndpointId}`;
    assert.equal(
      (await failure(call('UpdateAgentRuntimeEndpoint', 'PUT', endpointPath, { body: { description: 'x' } })))
        .statusCode,
      409,
    );
    const ready = await waitFor(
      () => call<Endpoint>('GetAgentRuntimeEndpoint', 'GET', endpointPath),
      (e) => e.data.status === 'READY',
    );
    assert.equal(
      ready.data.endpointPublicUrl,
      `${emulator.dataPlaneUrl}/agent-runtimes/cp-endpoints/endpoints/prod/invocations`,
    );
    assert.match(
      (await failure(call('CreateAgentRuntimeEndpoint', 'POST', endpoints, { body }))).data.message as string,
      /already exists/,
    );
    await call('CreateAgentRuntimeEndpoint', 'POST', endpoints, {
      body: { agentRuntimeEndpointName: 'staging' },
    });
    // Of creates racing for one name exactly one wins, however close together: a rollout's lease rests on it.
    const racing = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        call('CreateAgentRuntimeEndpoint', 'POST', endpoints, {
          body: { agentRuntimeEndpointName: 'lease', description: `taker ${i}` },
        }),
      ),
    );
    assert.equal(racing.filter((r) => r.status === 'fulfilled').length, 1);
    for (const lost of racing.filter((r) => r.status === 'rejected')) {
      assert.equal((lost.reason as { statusCode?: number }).statusCode, 409);
    }

    const byName = await call<Page<{ agentRuntimeEndpointName: string }>>(
      'ListAgentRuntimeEndpoints',
      'GET',
      endpoints,
      {
        query: { endpointName: 'staging', pageNumber: '1', pageSize: '100' },
      },
    );
    assert.deepEqual(
      byName.data.items.map((e) => e.agentRuntimeEndpointName),
      ['staging'],
    );

    const blocked = await failure(call('DeleteAgentRuntime', 'DELETE', `${RUNTIMES}/${id}`));
    assert.equal(blocked.statusCode, 409, 'a runtime with endpoints cannot be deleted');
    await waitFor(
      () => call<Page<Endpoint>>('ListAgentRuntimeEndpoints', 'GET', endpoints),
      (l) => l.data.items.every((e) => e.status === 'READY'),
    );
    for (const e of (await call<Page<Endpoint>>('ListAgentRuntimeEndpoints', 'GET', endpoints)).data.items) {
      assert.equal(
        (
          await call<Endpoint>(
            'DeleteAgentRuntimeEndpoint',
            'DELETE',
            `${endpoints}/${e.agentRuntimeEndpointId}`,
          )
        ).data.status,
        'DELETING',
      );
    }
    await waitFor(
      () => call<Page<Endpoint>>('ListAgentRuntimeEndpoints', 'GET', endpoints),
      (l) => l.data.total === 0,
    );
    assert.equal(
      (await call<Runtime>('DeleteAgentRuntime', 'DELETE', `${RUNTIMES}/${id}`)).data.status,
      'DELETING',
    );
    await waitFor(
      () =>
        getRuntime(id).then(
          () => 200,
          (e: { statusCode: number }) => e.statusCode,
        ),
      (s) => s === 404,
    );
  });

  it('answers bad input in the error shape: malformed JSON, content type, size, unknown route', async () => {
    const malformed = await failure(
      call('CreateAgentRuntime', 'POST', RUNTIMES, {
        raw: true,
        body: Buffer.from('{"agentRuntimeName":'),
        headers: { 'content-type': 'application/json' },
      }),
    );
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.code, 'ERR_BAD_REQUEST');
    assert.match(malformed.data.message as string, /not valid JSON/);

    const wrongType = await failure(
      call('CreateAgentRuntime', 'POST', RUNTIMES, {
        raw: true,
        body: Buffer.from('name=x'),
        headers: { 'content-type': 'text/plain' },
      }),
    );
    assert.equal(wrongType.statusCode, 415);

    const notObject = await failure(
      call('CreateAgentRuntime', 'POST', RUNTIMES, {
        raw: true,
        body: Buffer.from('[1]'),
        headers: { 'content-type': 'application/json' },
      }),
    );
    assert.equal(notObject.statusCode, 400);

    const unknown = await failure(call('DescribeThings', 'GET', '/2025-09-10/agents/things'));
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.code, 'InvalidAction.NotFound');

    const small = await startEmulator({ bodyLimit: 1024 });
    try {
      const tooBig = await failure(
        agentRun(small)('CreateAgentRuntime', 'POST', RUNTIMES, {
          body: runtimeBody('big', Buffer.alloc(4096, 1)),
        }),
      );
      assert.equal(tooBig.statusCode, 413);
      assert.equal(tooBig.code, 'RequestEntityTooLarge');
      // The server is still fine afterwards.
      assert.equal((await agentRun(small)('ListAgentRuntimes', 'GET', RUNTIMES)).code, 'SUCCESS');
    } finally {
      await small.stop();
    }
  });
});
