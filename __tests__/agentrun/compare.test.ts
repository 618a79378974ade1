import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedFields } from '../../src/agentrun/compare.js';

const deployed = {
  agentRuntimeName: 'agent',
  cpu: 2,
  memory: 4096,
  status: 'READY',
  codeConfiguration: { language: 'python3.12', command: ['python3', 'main.py'] },
  networkConfiguration: { networkMode: 'PUBLIC' },
  environmentVariables: { A: '1', B: '2' },
  healthCheckConfiguration: { httpGetUrl: '/health', periodSeconds: 30 },
};

test('nothing changed: fields the service adds on its own do not count', () => {
  const desired = {
    agentRuntimeName: 'agent',
    cpu: 2.0,
    codeConfiguration: { language: 'python3.12', command: ['python3', 'main.py'] },
    environmentVariables: { B: '2', A: '1' },
  };
  assert.deepEqual(changedFields(desired, deployed), []);
});

test('changed scalars, arrays and nested fields are named by path', () => {
  const desired = {
    cpu: 4,
    codeConfiguration: { language: 'python3.12', command: ['python3', 'app.py'] },
    networkConfiguration: { networkMode: 'PUBLIC_AND_PRIVATE', vpcId: 'vpc-1' },
  };
  assert.deepEqual(changedFields(desired, deployed), [
    'cpu',
    'codeConfiguration.command',
    'networkConfiguration.networkMode',
    'networkConfiguration.vpcId',
  ]);
});

test('a removed environment variable is a change', () => {
  assert.deepEqual(changedFields({ environmentVariables: { A: '1' } }, deployed), ['environmentVariables']);
});

test('fields a GET never returns are not compared: the code package, its checksum, ARMS', () => {
  const desired = {
    codeConfiguration: {
      language: 'python3.12',
      command: ['python3', 'main.py'],
      checksum: '42',
      zipFile: 'UEsDBA==',
    },
    armsConfiguration: { enableArms: true, armsLicenseKey: 'key' },
  };
  assert.deepEqual(changedFields(desired, deployed), []);
});

test('an empty value equals an absent one, either way round', () => {
  const desired = { description: '', environmentVariables: {}, codeConfiguration: { command: [] } };
  assert.deepEqual(changedFields(desired, { codeConfiguration: {} }), []);
  assert.deepEqual(changedFields({ cpu: 2 }, { cpu: 2, description: '' }), []);
  assert.deepEqual(changedFields({ description: 'new' }, {}), ['description']);
  assert.deepEqual(changedFields({ environmentVariables: {} }, { environmentVariables: { A: '1' } }), [
    'environmentVariables',
  ]);
});
