import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Endpoint } from '../../src/agentrun/api.js';
import { splitWeights } from '../../src/agentrun/service.js';
import { endpointBody, fileDecides, type RoutingHold } from '../../src/deploy/routing.js';

const desired = {
  agentRuntimeEndpointName: 'production',
  description: 'from the file',
  targetVersion: '3',
};
const deployed: Endpoint = {
  agentRuntimeEndpointId: 'ep-1',
  agentRuntimeEndpointName: 'production',
  description: 'rollout marker',
  targetVersion: '3',
  routingConfiguration: { versionWeights: [{ version: '4', weight: 0.3 }] },
};
const single = (version: string): Endpoint => ({
  ...deployed,
  targetVersion: version,
  routingConfiguration: undefined,
});

test('without a split the body carries no routing, on create and on update', () => {
  assert.deepEqual(endpointBody(desired, undefined, fileDecides), { body: desired });
  assert.deepEqual(endpointBody(desired, single('2'), fileDecides), { body: desired });
  assert.deepEqual(
    endpointBody(desired, undefined, () => ({ by: 'never asked for a new endpoint' })),
    { body: desired },
  );
});

test('a split the file no longer has is taken away without an empty list, leaving one version', () => {
  const { body } = endpointBody(desired, deployed, fileDecides);
  const weights = body.routingConfiguration?.versionWeights;
  assert.ok(weights && weights.length > 0, 'an empty list is never sent');
  assert.equal(body.targetVersion, '3');
  // What the endpoint then holds routes to version 3 alone, and the next deploy leaves it be.
  const after = { ...deployed, ...body };
  assert.deepEqual(splitWeights(after), []);
  assert.deepEqual(endpointBody(desired, after, fileDecides), { body: desired });
  // Moving the target later does not let that routing send traffic to the old version.
  const moved = endpointBody({ ...desired, targetVersion: '5' }, after, fileDecides).body;
  assert.deepEqual(splitWeights({ ...after, ...moved }), []);
});

test('a split in the file is sent as it is', () => {
  const split = { ...desired, routingConfiguration: { versionWeights: [{ version: '4', weight: 0.1 }] } };
  assert.deepEqual(endpointBody(split, deployed, fileDecides), { body: split });
});

test('a held split keeps the deployed target and weights; the other settings still come from the file', () => {
  const rollout: RoutingHold = (current) =>
    current.agentRuntimeEndpointName === 'production' ? { by: 'rollout of version 4 at 30%' } : undefined;
  assert.deepEqual(endpointBody({ ...desired, targetVersion: 'LATEST' }, deployed, rollout), {
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
