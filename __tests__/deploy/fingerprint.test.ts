import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Version } from '../../src/agentrun/api.js';
import { fingerprintOf, marker, recorded } from '../../src/deploy/fingerprint.js';
import { newest } from '../../src/deploy/runtime.js';

const body = {
  agentRuntimeName: 'agent',
  artifactType: 'Code' as const,
  codeConfiguration: { language: 'python3.12', command: ['python3', 'main.py'] },
  cpu: 1,
  memory: 2048,
  port: 8000,
  networkConfiguration: { networkMode: 'PUBLIC' as const },
};

test('the newest published version is the highest number; LATEST, the draft, is none', () => {
  const versions: Version[] = ['LATEST', '2', '10', '9'].map((v) => ({ agentRuntimeVersion: v }));
  assert.equal(newest(versions)?.agentRuntimeVersion, '10');
  assert.equal(newest([{ agentRuntimeVersion: 'LATEST' }]), undefined);
});

test('a version description carries the fingerprint, read back exactly', () => {
  const print = fingerprintOf(body, '0123456789abcdef');
  const version = {
    agentRuntimeVersion: '3',
    description: `Deployed by acme/agent@c0ffee1 ${marker(print)}`,
  };
  assert.deepEqual(recorded(version), print);
  assert.equal(recorded({ agentRuntimeVersion: '1', description: 'published by hand' }), undefined);
});

test('the configuration digest ignores the package and key order, and sees any setting', () => {
  const withPackage = {
    ...body,
    codeConfiguration: { ...body.codeConfiguration, zipFile: 'UEsDBA==', checksum: '42' },
  };
  const reordered = Object.fromEntries(Object.entries(body).reverse()) as typeof body;
  assert.equal(fingerprintOf(withPackage, undefined).config, fingerprintOf(body, undefined).config);
  assert.equal(fingerprintOf(reordered, undefined).config, fingerprintOf(body, undefined).config);
  const arms = { ...body, armsConfiguration: { enableArms: true } };
  assert.notEqual(fingerprintOf(arms, undefined).config, fingerprintOf(body, undefined).config);
});
