import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedFields } from '../../src/agentrun/compare.js';

const deployed = {
  agentRuntimeName: 'agent',
  cpu: 2,
  memory: 4096,
  status: 'READY',
  codeConfiguration: { language: 'python3.12', command: ['python3', 'main.py'], checksum: '42' },
  networkConfiguration: { networkMode: 'PUBLIC' },
  environmentVariables: { A: '1', B: '2' },
  healthCheckConfiguration: { httpGetUrl: '/health', periodSeconds: 30 },
};

test('nothing changed: fields the service adds on its own do not count', () => {
  const desired = {
    agentRuntimeName: 'agent',
    cpu: 2.0,
    codeConfiguration: { language: 'python3.12', command: ['python3', 'main.py'], checksum: '42' },
    environmentVariables: { B: '2', A: '1' },
  };
  assert.deepEqual(changedFields(desired, deployed), []);
});

test('changed scalars, arrays and nested fields are named by path', () => {
  const desired = {
    cpu: 4,
    codeConfiguration: { language: 'python3.12', command: ['python3', 'app.py'], checksum: '43' },
    networkConfiguration: { networkMode: 'PUBLIC_AND_PRIVATE', vpcId: 'vpc-1' },
  };
  assert.deepEqual(changedFields(desired, deployed), [
    'cpu',
    'codeConfiguration.command',
    'codeConfiguration.checksum',
    'networkConfiguration.networkMode',
    'networkConfiguration.vpcId',
  ]);
});

test('a removed environment variable is a change; the inline zip never is', () => {
  const desired = {
    environmentVariables: { A: '1' },
    codeConfiguration: {
      language: 'python3.12',
      command: ['python3', 'main.py'],
      checksum: '42',
      zipFile: 'UEsDBA==',
    },
  };
  assert.deepEqual(changedFields(desired, deployed), ['environmentVariables']);
});
