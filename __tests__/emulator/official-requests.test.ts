/**
 * The emulator against requests shaped as the official clients send them, not as our client does:
 * each operation's method, path and query names as the generated SDK's `...WithOptions` functions
 * build them (aliyun/alibabacloud-typescript-sdk `agentrun-20250910/src/client.ts` @1e43e2fb), bodies
 * with only the fields its models have, a minimal update (the SDK requires only `cpu`), and endpoints
 * as `s deploy` writes them (devsapp/agentrun `src/impl/agentrun.ts`: a weight routed to the same
 * version as `targetVersion`; updates without the name). Every answer must fit the response model.
 * The second test sends what the component sends for an s.yaml that sets no sizes (its
 * `normalizeAgentConfig` leaves them undefined) and what `s endpoint publish` sends
 * (`src/subCommands/endpoint.ts`: `routingConfiguration` only with `--canary-version` and `--weight`).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { routingWrite, SERVICE, splitWeights } from '../../src/agentrun/service.js';
import { VERSION_HEADER } from '../../emulator/dataPlane.js';
import {
  agentRuntime,
  agentRuntimeEndpoint,
  agentRuntimeVersion,
  listWorkspacesOutput,
  page,
  workspace,
} from '../../src/agentrun/model.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { agentRun, pythonAgentZip, waitFor } from './helpers.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ delayMs: 20 });
});
after(() => emulator.stop());

const RUNTIMES = '/2025-09-10/agents/runtimes';

type Data = Record<string, unknown>;
type Model = { parse(value: unknown): unknown };

/** One SDK-shaped call; it must succeed, and its answer must parse with the strict response model. */
async function sdk(
  action: string,
  method: string,
  pathname: string,
  model: Model,
  options: { body?: unknown; query?: Record<string, string> } = {},
): Promise<Data> {
  const { code, data } = await agentRun(emulator)<Data>(action, method, pathname, options);
  assert.equal(code, 'SUCCESS', action);
  assert.doesNotThrow(() => model.parse(data), `${action} answered outside its model`);
  return data;
}

test('every operation the action uses, shaped by the official clients, answered within the models', async () => {
  const zip = pythonAgentZip();
  const settled = (id: string) =>
    waitFor(
      () => sdk('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`, agentRuntime),
      (runtime) => !['CREATING', 'UPDATING'].includes(runtime.status as string),
    );

  // CreateAgentRuntime: the documented required fields, and no others.
  const created = await sdk('CreateAgentRuntime', 'POST', RUNTIMES, agentRuntime, {
    body: {
      agentRuntimeName: 'sdk-shaped',
      artifactType: 'Code',
      codeConfiguration: {
        language: 'python3.12',
        command: ['python3', 'main.py'],
        zipFile: zip.toString('base64'),
      },
      cpu: 1,
      memory: 2048,
      port: 8000,
      networkConfiguration: { networkMode: 'PUBLIC' },
    },
  });
  const id = created.agentRuntimeId as string;
  assert.equal((await settled(id)).status, 'READY');

  // UpdateAgentRuntime with only `cpu`, the one field the SDK requires: everything else is kept.
  await sdk('UpdateAgentRuntime', 'PUT', `${RUNTIMES}/${id}`, agentRuntime, { body: { cpu: 2 } });
  const updated = await settled(id);
  assert.deepEqual([updated.status, updated.cpu, updated.memory, updated.port], ['READY', 2, 2048, 8000]);

  // ListAgentRuntimes with the query names the SDK sends.
  const listed = await sdk('ListAgentRuntimes', 'GET', RUNTIMES, page(agentRuntime), {
    query: {
      agentRuntimeName: 'sdk-shaped',
      pageNumber: '1',
      pageSize: '10',
      searchMode: 'exact',
      status: 'READY',
    },
  });
  assert.deepEqual(
    (listed.items as Data[]).map((r) => r.agentRuntimeId),
    [id],
  );

  // PublishRuntimeVersion with the SDK's optional `publisher`; ListAgentRuntimeVersions; Get by version.
  const published = await sdk(
    'PublishRuntimeVersion',
    'POST',
    `${RUNTIMES}/${id}/versions`,
    agentRuntimeVersion,
    {
      body: { description: 'from the SDK', publisher: 'user123' },
    },
  );
  assert.equal(published.agentRuntimeVersion, '1');
  const versions = await sdk(
    'ListAgentRuntimeVersions',
    'GET',
    `${RUNTIMES}/${id}/versions`,
    page(agentRuntimeVersion),
    {
      query: { pageNumber: '1', pageSize: '10' },
    },
  );
  assert.equal(versions.total, 1);
  const v1 = await sdk('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`, agentRuntime, {
    query: { agentRuntimeVersion: '1' },
  });
  assert.equal(v1.agentRuntimeVersion, '1');

  // CreateAgentRuntimeEndpoint as `s deploy` sends an endpoint with `weight`: the weight names the same
  // version as targetVersion.
  const endpoints = `${RUNTIMES}/${id}/endpoints`;
  const endpoint = await sdk('CreateAgentRuntimeEndpoint', 'POST', endpoints, agentRuntimeEndpoint, {
    body: {
      agentRuntimeEndpointName: 'production',
      description: 'as s deploy sends it',
      targetVersion: '1',
      routingConfiguration: { versionWeights: [{ version: '1', weight: 0.5 }] },
    },
  });
  const endpointPath = `${endpoints}/${endpoint.agentRuntimeEndpointId as string}`;
  const serving = () =>
    waitFor(
      () => sdk('GetAgentRuntimeEndpoint', 'GET', endpointPath, agentRuntimeEndpoint),
      (found) => found.status === 'READY',
    );
  await serving();

  // UpdateAgentRuntimeEndpoint as `s deploy` sends it: no name, and no routing when there is no weight.
  await sdk('UpdateAgentRuntimeEndpoint', 'PUT', endpointPath, agentRuntimeEndpoint, {
    body: { description: 'updated by s deploy', targetVersion: 'LATEST' },
  });
  const after = await serving();
  assert.deepEqual(
    [after.agentRuntimeEndpointName, after.description, after.targetVersion],
    ['production', 'updated by s deploy', 'LATEST'],
  );

  // ListAgentRuntimeEndpoints with the SDK's `endpointName` and `searchMode`.
  const byName = await sdk('ListAgentRuntimeEndpoints', 'GET', endpoints, page(agentRuntimeEndpoint), {
    query: { endpointName: 'prod', pageNumber: '1', pageSize: '10', searchMode: 'fuzzy' },
  });
  assert.deepEqual(
    (byName.items as Data[]).map((e) => e.agentRuntimeEndpointName),
    ['production'],
  );
  const exact = await sdk('ListAgentRuntimeEndpoints', 'GET', endpoints, page(agentRuntimeEndpoint), {
    query: { endpointName: 'prod', searchMode: 'exact' },
  });
  assert.deepEqual(exact.items ?? [], []);

  // The official SDKs invoke an endpoint at /agent-runtimes/<name>/endpoints/<name>/invocations/….
  const invoked = await fetch(
    `${emulator.dataPlaneUrl}/agent-runtimes/sdk-shaped/endpoints/production/invocations/invoke`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"hi"}' },
  );
  assert.equal(invoked.status, 200, await invoked.clone().text());

  // DeleteAgentRuntimeEndpoint, then DeleteAgentRuntime: both answer with the resource's model.
  await sdk('DeleteAgentRuntimeEndpoint', 'DELETE', endpointPath, agentRuntimeEndpoint);
  await waitFor(
    () => sdk('ListAgentRuntimeEndpoints', 'GET', endpoints, page(agentRuntimeEndpoint)),
    (list) => list.total === 0,
  );
  await sdk('DeleteAgentRuntime', 'DELETE', `${RUNTIMES}/${id}`, agentRuntime);
});

test('what `s deploy` and `s endpoint publish` send: no sizes the s.yaml omits, and routing only with a split', async () => {
  const runtimeReady = (id: string) =>
    waitFor(
      () => sdk('GetAgentRuntime', 'GET', `${RUNTIMES}/${id}`, agentRuntime),
      (runtime) => !['CREATING', 'UPDATING'].includes(runtime.status as string),
    );

  // CreateAgentRuntimeInput as the component fills it from an s.yaml without cpu, memory, diskSize,
  // port, instanceConcurrency or sessionIdleTimeoutSeconds: those fields are not sent at all.
  const code = { language: 'python3.12', command: ['python3', 'main.py'] };
  const created = await sdk('CreateAgentRuntime', 'POST', RUNTIMES, agentRuntime, {
    body: {
      agentRuntimeName: 'sdk-defaults',
      artifactType: 'Code',
      codeConfiguration: { ...code, zipFile: pythonAgentZip().toString('base64') },
      networkConfiguration: { networkMode: 'PUBLIC' },
    },
  });
  const id = created.agentRuntimeId as string;
  const ready = await runtimeReady(id);
  assert.equal(ready.status, 'READY', ready.statusReason as string);
  const fields = Object.keys(SERVICE.defaults) as (keyof typeof SERVICE.defaults)[];
  assert.deepEqual(
    Object.fromEntries(fields.map((field) => [field, ready[field]])),
    SERVICE.defaults,
    'the service picks what the create left out',
  );

  // UpdateAgentRuntimeInput as the component sends it for the same file: still no sizes, and they stay.
  await sdk('UpdateAgentRuntime', 'PUT', `${RUNTIMES}/${id}`, agentRuntime, {
    body: {
      description: 'second deploy',
      artifactType: 'Code',
      codeConfiguration: code,
    },
  });
  const updated = await runtimeReady(id);
  assert.deepEqual([updated.status, updated.cpu, updated.port], ['READY', 1, 8000]);
  for (const description of ['v1', 'v2']) {
    await sdk('PublishRuntimeVersion', 'POST', `${RUNTIMES}/${id}/versions`, agentRuntimeVersion, {
      body: {
        description,
      },
    });
  }

  // `s endpoint publish --target-version 2 --canary-version 1 --weight 0.5`: one weighted version.
  const endpoints = `${RUNTIMES}/${id}/endpoints`;
  const endpoint = await sdk('CreateAgentRuntimeEndpoint', 'POST', endpoints, agentRuntimeEndpoint, {
    body: {
      agentRuntimeEndpointName: 'live',
      targetVersion: '2',
      routingConfiguration: { versionWeights: [{ version: '1', weight: 0.5 }] },
    },
  });
  const path = `${endpoints}/${endpoint.agentRuntimeEndpointId as string}`;
  const serving = () =>
    waitFor(
      () => sdk('GetAgentRuntimeEndpoint', 'GET', path, agentRuntimeEndpoint),
      (found) => found.status === 'READY',
    );
  const versionsServed = async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const response = await fetch(
        `${emulator.dataPlaneUrl}/agent-runtimes/sdk-defaults/endpoints/live/invocations`,
        { method: 'POST', body: '{"prompt":"hi"}' },
      );
      await response.text();
      seen.add(response.headers.get(VERSION_HEADER) ?? `status ${response.status}`);
    }
    return [...seen].sort();
  };
  await serving();
  assert.deepEqual(await versionsServed(), ['1', '2']);

  // `s endpoint publish --target-version 2` without a canary sends no routing: the split stays.
  await sdk('UpdateAgentRuntimeEndpoint', 'PUT', path, agentRuntimeEndpoint, {
    body: { targetVersion: '2' },
  });
  assert.deepEqual((await serving()).routingConfiguration, {
    versionWeights: [{ version: '1', weight: 0.5 }],
  });

  // So a split is taken away with the request routingWrite builds: never an empty list, one version.
  const clearing = routingWrite({ targetVersion: '2' }, await serving());
  assert.ok((clearing.routingConfiguration?.versionWeights ?? []).length > 0);
  await sdk('UpdateAgentRuntimeEndpoint', 'PUT', path, agentRuntimeEndpoint, { body: clearing });
  assert.deepEqual(splitWeights(await serving()), []);
  assert.deepEqual(await versionsServed(), ['2']);

  await sdk('DeleteAgentRuntimeEndpoint', 'DELETE', path, agentRuntimeEndpoint);
  await waitFor(
    () => sdk('ListAgentRuntimeEndpoints', 'GET', endpoints, page(agentRuntimeEndpoint)),
    (list) => list.total === 0,
  );
  await sdk('DeleteAgentRuntime', 'DELETE', `${RUNTIMES}/${id}`, agentRuntime);
});

test('the workspace operations, shaped by the official SDK and the component', async () => {
  const call = agentRun(emulator);
  const WORKSPACES = '/2025-09-10/workspaces';

  // ListWorkspaces as devsapp/agentrun `getDefaultWorkspaceId` sends it: page 1 of 100, as strings.
  const all = await sdk('ListWorkspaces', 'GET', WORKSPACES, listWorkspacesOutput, {
    query: { pageNumber: '1', pageSize: '100' },
  });
  const defaults = (all.workspaces as Data[]).filter((w) => w.isDefault === true);
  assert.equal(defaults.length, 1, 'every account has exactly one default workspace');

  // CreateWorkspace with the CreateWorkspaceInput fields `getWorkspace` sends; a second one is refused.
  const created = await sdk('CreateWorkspace', 'POST', WORKSPACES, workspace, {
    body: { name: 'team-a', description: 'from the SDK', resourceGroupId: 'rg-aek25sodlatnioq' },
  });
  await assert.rejects(
    call('CreateWorkspace', 'POST', WORKSPACES, { body: { name: 'team-a' } }),
    (error: Error & { statusCode?: number }) => error.statusCode === 409,
  );
  const id = created.workspaceId as string;

  // GetWorkspace by id; ListWorkspaces `name=` (`getWorkspaceIdByName`) finds it and only it.
  const got = await sdk('GetWorkspace', 'GET', `${WORKSPACES}/${id}`, workspace);
  assert.deepEqual([got.name, got.description, got.isDefault], ['team-a', 'from the SDK', false]);
  const named = await sdk('ListWorkspaces', 'GET', WORKSPACES, listWorkspacesOutput, {
    query: { name: 'team-a', pageNumber: '1', pageSize: '100' },
  });
  assert.deepEqual(
    (named.workspaces as Data[]).map((w) => w.workspaceId),
    [id],
  );
  await assert.rejects(
    call('GetWorkspace', 'GET', `${WORKSPACES}/ws-missing`),
    (error: Error & { statusCode?: number }) => error.statusCode === 404,
  );

  // A runtime created with `workspaceId` is found by ListAgentRuntimes `workspaceIds=` of its workspace
  // (`getAgentRuntimeIdByWorkspace`), and not by the default workspace's.
  const body = {
    agentRuntimeName: 'in-team-a',
    artifactType: 'Code',
    codeConfiguration: { command: ['python3', 'main.py'], zipFile: pythonAgentZip().toString('base64') },
    cpu: 1,
    memory: 2048,
    port: 8000,
    networkConfiguration: { networkMode: 'PUBLIC' },
    workspaceId: id,
  };
  const runtime = await sdk('CreateAgentRuntime', 'POST', RUNTIMES, agentRuntime, { body });
  assert.equal(runtime.workspaceId, id);
  const inWorkspace = (workspaceIds: string) =>
    sdk('ListAgentRuntimes', 'GET', RUNTIMES, page(agentRuntime), {
      query: {
        agentRuntimeName: 'in-team-a',
        searchMode: 'exact',
        pageNumber: '1',
        pageSize: '100',
        workspaceIds,
      },
    });
  assert.equal((await inWorkspace(id)).total, 1);
  assert.equal((await inWorkspace(defaults[0]!.workspaceId as string)).total, 0);
});
