// `package`: the zips it writes are the bytes a deploy uploads, captured at the AgentRun client.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { ObjectStore } from '../../emulator/oss.js';
import type { CreateAgentRuntimeInput } from '../../src/agentrun/model.js';
import type { PackageResult } from '../../src/app/commands/package.js';
import { defaultDeps } from '../../src/app/run.js';
import { crc64 } from '../../src/package/crc64.js';
import { readZip } from '../package/helpers.js';
import { runCli } from './helpers.js';

let emulator: Emulator;
const project = mkdtempSync(join(tmpdir(), 'agentrun-cli-package-'));
after(() => rmSync(project, { recursive: true, force: true }));

// Two agents with code of their own, and one from a container image, which has nothing to zip.
const agent = (resource: string, name: string, source: string) => `
  ${resource}:
    component: agentrun
    props:
      region: cn-hangzhou
      agent:
        name: ${name}
        ${source}`;
writeFileSync(
  join(project, 's.yaml'),
  `edition: 3.0.0\nname: app\nresources:` +
    agent(
      'alpha',
      'alpha-agent',
      'code: { src: ./alpha, language: python3.12, command: [python3, main.py] }',
    ) +
    agent('beta', 'beta-agent', 'code: { src: ./beta, language: python3.12, command: [python3, main.py] }') +
    agent(
      'image',
      'image-agent',
      'customContainerConfig: { image: registry.cn-hangzhou.aliyuncs.com/ns/agent:1 }',
    ) +
    '\n',
);
cpSync('examples/code', join(project, 'alpha'), { recursive: true });
cpSync('examples/code', join(project, 'beta'), { recursive: true });
mkdirSync(join(project, 'beta', 'prompts'));
writeFileSync(join(project, 'beta', 'prompts', 'system.txt'), 'You are helpful.\n'.repeat(500));

const keys = () => ({
  ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
});

// The emulator keeps the code uploaded through OSS beside its state file, where the test reads it back.
const stateFile = join(project, 'emulator-state.json');
const uploadedObjects = new ObjectStore(`${stateFile}.objects`);

before(async () => {
  emulator = await startEmulator({ delayMs: 20, stateFile });
});
after(() => emulator.stop());

test('package writes each agent’s zip and sends nothing; --json reports files, bytes, CRC-64, fingerprint', async () => {
  const out = join(project, 'zips');
  const { code, stdout, stderr } = await runCli(['package', '--out', out, '--json'], project);
  assert.equal(code, 0, stderr);
  const { result } = JSON.parse(stdout) as { result: PackageResult };
  assert.deepEqual(
    result.packages.map((p) => p.resource),
    ['alpha', 'beta'],
  );
  assert.deepEqual(result.skipped, ['image']);
  for (const written of result.packages) {
    const bytes = readFileSync(join(out, `${written.resource}.zip`));
    assert.equal(written.zip, join(out, `${written.resource}.zip`));
    assert.equal(written.bytes, bytes.length);
    assert.equal(written.checksum, crc64(bytes));
    assert.match(written.fingerprint, /^[0-9a-f]{16}$/);
    assert.equal(written.files, (await readZip(written.zip)).length);
  }
  assert.deepEqual(
    (await readZip(join(out, 'beta.zip'))).map((entry) => entry.name),
    ['main.py', 'prompts/system.txt'],
  );
  assert.equal(emulator.requestLog().length, 0, 'no request reached AgentRun');

  const text = await runCli(['package', '--out', out], project);
  assert.equal(text.code, 0, text.stderr);
  assert.match(
    text.stdout,
    /^alpha \(runtime alpha-agent\): .*alpha\.zip, 1 file, [\d.]+ \w?B \(\d+ bytes\), CRC-64 \d+, fingerprint [0-9a-f]{16}$/m,
  );
  assert.match(text.stdout, /^image: no local code to package/m);
});

test('the zips package writes are byte for byte what a deploy uploads', async () => {
  const out = join(project, 'compare');
  const packaged = await runCli(['package', '--out', out, '--json'], project);
  assert.equal(packaged.code, 0, packaged.stderr);
  const { packages } = (JSON.parse(packaged.stdout) as { result: PackageResult }).result;

  const uploaded = new Map<string, CreateAgentRuntimeInput['codeConfiguration']>();
  const deployed = await runCli(['deploy', '--api-endpoint', emulator.endpoint], project, keys(), {
    deps: {
      ...defaultDeps,
      agentRun: (options) => {
        const client = defaultDeps.agentRun(options);
        return Object.assign(Object.create(client) as typeof client, {
          createRuntime: (input: CreateAgentRuntimeInput) => {
            uploaded.set(input.agentRuntimeName, input.codeConfiguration);
            return client.createRuntime(input);
          },
        });
      },
    },
  });
  assert.equal(deployed.code, 0, deployed.stderr);
  assert.deepEqual([...uploaded.keys()].sort(), ['alpha-agent', 'beta-agent', 'image-agent']);
  for (const written of packages) {
    const sent = uploaded.get(`${written.resource}-agent`);
    assert.ok(sent?.ossBucketName && sent.ossObjectName, `${written.resource} uploaded a zip`);
    const object = readFileSync(uploadedObjects.file(sent.ossBucketName, sent.ossObjectName));
    assert.ok(object.equals(readFileSync(written.zip)), written.resource);
    assert.equal(sent.checksum, written.checksum);
  }
});

test('list names the agents in deploy order, with their runtimes; --json as the action’s outputs', async () => {
  const text = await runCli(['list'], project);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(
    text.stdout,
    'alpha (runtime alpha-agent)\nbeta (runtime beta-agent)\nimage (runtime image-agent)\n',
  );
  const json = await runCli(['list', '--json', '--resource', 'beta,alpha'], project);
  assert.deepEqual(JSON.parse(json.stdout).result, {
    resources: ['alpha', 'beta'],
    stages: [['alpha', 'beta']],
  });

  writeFileSync(
    join(project, 's-flow.yaml'),
    readFileSync(join(project, 's.yaml'), 'utf8') + 'flow:\n  deploy:\n    - [image]\n    - [alpha, beta]\n',
  );
  const staged = await runCli(['list', 's-flow.yaml', '--json'], project);
  assert.equal(staged.code, 0, staged.stderr);
  assert.deepEqual(JSON.parse(staged.stdout).result, {
    resources: ['image', 'alpha', 'beta'],
    stages: [['image'], ['alpha', 'beta']],
  });
  const stagedText = await runCli(['list', 's-flow.yaml'], project);
  assert.match(stagedText.stdout, /^stage 1:\n {2}image \(runtime image-agent\)\nstage 2:\n {2}alpha/);
  assert.match(stagedText.stderr, /flow has 2 stages: deploy them in order/);
});
