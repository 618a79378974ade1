// The AgentRun API by hand: creates the example agent, publishes two versions, routes 20% of an
// endpoint's traffic to the second, calls it, and cleans up — with nothing but @alicloud/openapi-client.
// Against the local emulator:
//   npm run emulator            (prints the control-plane URL and the demo key)
//   ALIBABA_CLOUD_ACCESS_KEY_ID=… ALIBABA_CLOUD_ACCESS_KEY_SECRET=… node examples/call-api.mjs http://127.0.0.1:PORT
import OpenApi from '@alicloud/openapi-client';
import TeaUtil from '@alicloud/tea-util';
import { ZipArchive } from 'archiver';
import { fileURLToPath } from 'node:url';

const [endpoint = 'http://127.0.0.1:9000'] = process.argv.slice(2);
const url = new URL(endpoint);
const client = new OpenApi.default(
  new OpenApi.Config({
    accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    endpoint: url.host,
    protocol: url.protocol.replace(':', ''),
  }),
);
const RUNTIMES = '/2025-09-10/agents/runtimes';

/** One signed ROA call; returns the envelope's `data`. */
async function call(action, method, pathname, body) {
  const params = new OpenApi.Params({
    action,
    version: '2025-09-10',
    protocol: 'HTTPS',
    pathname,
    method,
    authType: 'AK',
    style: 'ROA',
    reqBodyType: 'json',
    bodyType: 'json',
  });
  const response = await client.callApi(
    params,
    new OpenApi.OpenApiRequest({ body }),
    new TeaUtil.RuntimeOptions({}),
  );
  return response.body.data;
}

async function until(read, done) {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (/FAILED$/.test(value.status ?? '')) throw new Error(`${value.status}: ${value.statusReason}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function zipBase64(dir) {
  const archive = new ZipArchive();
  const chunks = [];
  archive.on('data', (chunk) => chunks.push(chunk));
  const ended = new Promise((resolve, reject) => archive.on('end', resolve).on('error', reject));
  archive.directory(dir, false);
  await archive.finalize();
  await ended;
  return Buffer.concat(chunks).toString('base64');
}

const code = {
  language: 'python3.12',
  command: ['python3', 'main.py'],
  zipFile: await zipBase64(fileURLToPath(new URL('./code', import.meta.url))),
};
const config = (environment) => ({
  agentRuntimeName: 'call-api-example',
  artifactType: 'Code',
  codeConfiguration: code,
  cpu: 1,
  memory: 2048,
  port: 8000,
  networkConfiguration: { networkMode: 'PUBLIC' },
  environmentVariables: { ENVIRONMENT: environment },
});

const created = await call('CreateAgentRuntime', 'POST', RUNTIMES, config('stable'));
const runtimePath = `${RUNTIMES}/${created.agentRuntimeId}`;
const ready = () =>
  until(
    () => call('GetAgentRuntime', 'GET', runtimePath),
    (r) => r.status === 'READY',
  );
await ready();
const v1 = await call('PublishRuntimeVersion', 'POST', `${runtimePath}/versions`, { description: 'stable' });
console.log(`runtime ${created.agentRuntimeId}: version ${v1.agentRuntimeVersion} published`);

await call('UpdateAgentRuntime', 'PUT', runtimePath, config('canary'));
await ready();
const v2 = await call('PublishRuntimeVersion', 'POST', `${runtimePath}/versions`, { description: 'canary' });
console.log(`version ${v2.agentRuntimeVersion} published`);

const endpointCreated = await call('CreateAgentRuntimeEndpoint', 'POST', `${runtimePath}/endpoints`, {
  agentRuntimeEndpointName: 'production',
  targetVersion: v1.agentRuntimeVersion,
  routingConfiguration: { versionWeights: [{ version: v2.agentRuntimeVersion, weight: 0.2 }] },
});
const endpointPath = `${runtimePath}/endpoints/${endpointCreated.agentRuntimeEndpointId}`;
const live = await until(
  () => call('GetAgentRuntimeEndpoint', 'GET', endpointPath),
  (e) => e.status === 'READY',
);
console.log(`endpoint production: ${live.endpointPublicUrl}`);

const answers = { stable: 0, canary: 0 };
for (let i = 0; i < 200; i++) {
  const response = await fetch(live.endpointPublicUrl, {
    method: 'POST',
    body: JSON.stringify({ prompt: `#${i}` }),
  });
  answers[(await response.json()).environment]++;
}
console.log(
  `200 calls: ${answers.stable} answered by version 1 (stable), ${answers.canary} by version 2 (canary)`,
);

await call('DeleteAgentRuntimeEndpoint', 'DELETE', endpointPath);
// A runtime can be deleted once it has no endpoints left.
await until(
  () => call('ListAgentRuntimeEndpoints', 'GET', `${runtimePath}/endpoints`),
  (page) => page.items.length === 0,
);
await call('DeleteAgentRuntime', 'DELETE', runtimePath);
console.log('endpoint and runtime deleted');
