import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Endpoint } from '../../src/agentrun/api.js';
import { endpointBody, fileDecides, type RoutingHold } from '../../src/deploy/routing.js';

const desired = {
  agentRuntimeEndpointName: 'production',
  description: 'from the file',
  targetVersion: 'LATEST',
  routingConfiguration: { versionWeights: [] },
};
const deployed: Endpoint = {
  agentRuntimeEndpointId: 'ep-1',
  agentRuntimeEndpointName: 'production',
  description: 'rollout marker',
  targetVersion: '3',
  routingConfiguration: { versionWeights: [{ version: '4', weight: 0.3 }] },
};

test('the s.yaml decides the split unless the split is held', () => {
  assert.deepEqual(endpointBody(desired, deployed, fileDecides), { body: desired });
  assert.deepEqual(
    endpointBody(desired, undefined, () => ({ by: 'never asked for a new endpoint' })),
    { body: desired },
  );
});

test('a held split keeps the deployed target and weights; the other settings still come from the file', () => {
  const rollout: RoutingHold = (current) =>
    current.agentRuntimeEndpointName === 'production' ? { by: 'rollout of version 4 at 30%' } : undefined;
  assert.deepEqual(endpointBody(desired, deployed, rollout), {
    body: {
      ...desired,
      targetVersion: '3',
      routingConfiguration: { versionWeights: [{ version: '4', weight: 0.3 }] },
    },
    heldBy: 'rollout of version 4 at 30%',
  });
});

test('a holder that keeps its state in the description keeps that description', () => {
  const rollout: RoutingHold = (_current, file) => ({
    by: 'rollout',
    description: `${file.description} [state]`,
  });
  assert.deepEqual(endpointBody(desired, deployed, rollout).body.description, 'from the file [state]');
});
