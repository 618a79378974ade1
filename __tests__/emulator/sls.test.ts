/**
 * The emulator's Simple Log Service driven by the official SDK, `@alicloud/sls20201230` 5.9.0: the
 * steps `initSls` takes for `logConfig: auto` (get, else create: project, logstore, index), an agent's
 * output landing in its runtime's logstore, and GetLogsV2 over it with the query language `logs` uses.
 * The SDK addresses a project as the host `<project>.<endpoint>`; `resolveProjectHosts` makes
 * `<project>.127.0.0.1` resolve to the emulator, as DNS does for `<project>.<region>.log.aliyuncs.com`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Sls, * as $Sls from '@alicloud/sls20201230';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { SlsClient } from '../../src/logs/client.js';
import { ensureAutoLogstore } from '../../src/logs/ensure.js';
import { autoLogIndex, autoLogstore, LogField } from '../../src/logs/layout.js';
import { agentRun, failure, runtimeBody, waitFor, zip } from './helpers.js';
import { resolveProjectHosts } from './sls-hosts.js';

// CommonJS interop: under NodeNext the default import is module.exports, whose `default` is the class.
const OfficialSls = Sls.default;

let emulator: Emulator;
let restoreDns: () => void;
before(async () => {
  restoreDns = resolveProjectHosts();
  emulator = await startEmulator({ delayMs: 20 });
});
after(async () => {
  await emulator.stop();
  restoreDns();
});

type SdkConfig = ConstructorParameters<typeof OfficialSls>[0];

function sdk(secret = emulator.credentials.accessKeySecret): InstanceType<typeof OfficialSls> {
  // The SDK's Config (from @alicloud/openapi-core) is a plain-field model; the client reads the fields.
  const config = {
    accessKeyId: emulator.credentials.accessKeyId,
    accessKeySecret: secret,
    endpoint: emulator.endpoint.replace('http://', ''),
    protocol: 'http',
    regionId: 'cn-hangzhou',
    readTimeout: 10_000,
  };
  return new OfficialSls(config as SdkConfig);
}

const PROJECT = 'aliyun-serverless-1000000000000001-cn-hangzhou';
const LOGSTORE = 'default-logs';

test('initSls’s steps through the official SDK: missing, created, then found, never twice', async () => {
  const client = sdk();
  assert.equal((await failure(client.getProject(PROJECT))).code, 'ProjectNotExist');
  await client.createProject(new $Sls.CreateProjectRequest({ projectName: PROJECT, description: 'auto' }));
  const project = await client.getProject(PROJECT);
  assert.equal(project.body?.projectName, PROJECT);
  assert.equal(project.body?.region, 'cn-hangzhou');
  const again = await failure(
    client.createProject(new $Sls.CreateProjectRequest({ projectName: PROJECT, description: 'auto' })),
  );
  assert.equal(again.code, 'ProjectAlreadyExist');

  assert.equal((await failure(client.getLogStore(PROJECT, LOGSTORE))).code, 'LogStoreNotExist');
  await client.createLogStore(PROJECT, new $Sls.CreateLogStoreRequest(autoLogstore()));
  const logstore = await client.getLogStore(PROJECT, LOGSTORE);
  assert.deepEqual([logstore.body?.ttl, logstore.body?.shardCount], [3600, 1]);

  assert.equal((await failure(client.getIndex(PROJECT, LOGSTORE))).code, 'IndexConfigNotExist');
  const index = autoLogIndex();
  await client.createIndex(
    PROJECT,
    LOGSTORE,
    new $Sls.CreateIndexRequest({
      body: new $Sls.Index({
        line: new $Sls.IndexLine({ token: index.line!.token, caseSensitive: false, chn: false }),
        keys: Object.fromEntries(
          Object.entries(index.keys!).map(([name, key]) => [
            name,
            new $Sls.IndexKey({ type: key.type, caseSensitive: key.caseSensitive, token: key.token }),
          ]),
        ),
      }),
    }),
  );
  const read = await client.getIndex(PROJECT, LOGSTORE);
  assert.deepEqual(Object.keys(read.body?.keys ?? {}).sort(), Object.keys(index.keys!).sort());
});

test('a request signed with the wrong secret is refused with the service’s error', async () => {
  const refused = await failure(sdk('not-the-secret').getProject(PROJECT));
  assert.equal(refused.code, 'SignatureNotMatch');
});

test('an agent’s output lands in its logstore, tagged, and GetLogsV2 finds it by query and time', async () => {
  const call = agentRun(emulator);
  const agent = zip({
    'main.py': [
      'import os, sys',
      'from http.server import BaseHTTPRequestHandler, HTTPServer',
      'print("starting the weather agent", flush=True)',
      'print("warning: no API key, answering from cache", file=sys.stderr, flush=True)',
      'class H(BaseHTTPRequestHandler):',
      '    def do_GET(self):',
      '        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")',
      '    def log_message(self, *args): pass',
      'HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()',
    ].join('\n'),
  });
  const body = runtimeBody('logged-agent', agent, {
    logConfiguration: { project: PROJECT, logstore: LOGSTORE },
  });
  const created = await call('CreateAgentRuntime', 'POST', '/2025-09-10/agents/runtimes', { body });
  const id = created.data.agentRuntimeId as string;
  await waitFor(
    () => call('GetAgentRuntime', 'GET', `/2025-09-10/agents/runtimes/${id}`),
    (answer) => answer.data.status === 'READY',
  );

  const client = sdk();
  const now = Math.floor(Date.now() / 1000);
  const query = async (text: string) => {
    const answer = await client.getLogsV2(
      PROJECT,
      LOGSTORE,
      new $Sls.GetLogsV2Request({ from: now - 60, to: now + 60, query: text, line: 100 }),
    );
    assert.equal(answer.body?.meta?.progress, 'Complete');
    return (answer.body?.data ?? []).map((log) => log[LogField.message]);
  };
  const lines = await waitFor(
    () => query(`${LogField.runtime}: logged-agent`),
    (found) => found.length >= 2,
  );
  assert.deepEqual(lines, ['starting the weather agent', 'warning: no API key, answering from cache']);
  assert.deepEqual(await query(`${LogField.version}: LATEST and warning`), [
    'warning: no API key, answering from cache',
  ]);
  assert.deepEqual(await query('weather or "API key"'), lines);
  assert.deepEqual(await query('agent and not (cache or key)'), ['starting the weather agent']);
  assert.deepEqual(await query(`${LogField.version}: 7`), []);
  assert.deepEqual(await query('star*'), ['starting the weather agent']);

  const tagged = await client.getLogsV2(
    PROJECT,
    LOGSTORE,
    new $Sls.GetLogsV2Request({ from: now - 60, to: now + 60, query: 'starting', line: 1 }),
  );
  const [log] = tagged.body?.data ?? [];
  assert.equal(log?.[LogField.endpoint], 'LATEST');
  assert.match(log?.[LogField.instance] ?? '', /^c-[0-9a-f]{16}$/);

  // The time range decides: nothing was written an hour ago.
  const before = await client.getLogsV2(
    PROJECT,
    LOGSTORE,
    new $Sls.GetLogsV2Request({ from: now - 3600, to: now - 3000, query: '*' }),
  );
  assert.deepEqual(before.body?.data, []);

  const bad = await failure(
    client.getLogsV2(PROJECT, LOGSTORE, new $Sls.GetLogsV2Request({ from: now - 60, to: now, query: '(a' })),
  );
  assert.equal(bad.code, 'ParameterInvalid');
});

test('two jobs ensuring the same logConfig: auto project at once both succeed, and it exists once', async () => {
  const client = new SlsClient({ credentials: emulator.credentials, endpoint: emulator.endpoint });
  const project = 'aliyun-serverless-1000000000000002-cn-hangzhou';
  const before = emulator.requestLog().length;
  const [one, two] = await Promise.all([
    ensureAutoLogstore(client, project, 'cn-hangzhou'),
    ensureAutoLogstore(client, project, 'cn-hangzhou'),
  ]);
  // Each part was created by exactly one of them; the other found it, or lost the race to create it.
  for (const part of ['project', 'logstore', 'index'] as const) {
    assert.deepEqual([one[part], two[part]].sort(), ['created', 'exists'], part);
  }
  const made = emulator
    .requestLog()
    .slice(before)
    .filter((entry) => entry.action.startsWith('Create') && entry.status === 200);
  assert.deepEqual(made.map((entry) => entry.action).sort(), [
    'CreateIndex',
    'CreateLogStore',
    'CreateProject',
  ]);
  assert.equal((await sdk().getLogStore(project, LOGSTORE)).body?.logstoreName, LOGSTORE);
});
