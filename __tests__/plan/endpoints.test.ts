import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildEndpointInputs } from '../../src/plan/endpoints.js';
import { CODE, propsOf } from './helpers.js';

const bodies = (endpoints: unknown[]) => buildEndpointInputs(propsOf({ name: 'n', code: CODE, endpoints }));

void describe('buildEndpointInputs', () => {
  void it('creates none without endpoints', () => {
    assert.deepEqual(buildEndpointInputs(propsOf({ name: 'n', code: CODE })), []);
  });

  void it('defaults to LATEST, sends versions as strings, and no routing without a split', () => {
    assert.deepEqual(
      bodies([
        { name: 'dev' },
        { name: 'prod', version: 3, description: 'main' },
        { name: 's', version: '2' },
      ]),
      [
        {
          agentRuntimeEndpointName: 'dev',
          description: '',
          targetVersion: 'LATEST',
        },
        {
          agentRuntimeEndpointName: 'prod',
          description: 'main',
          targetVersion: '3',
        },
        {
          agentRuntimeEndpointName: 's',
          description: '',
          targetVersion: '2',
        },
      ],
    );
  });

  void it('splits the first unweighted endpoint towards each canary, which serves its own version', () => {
    const result = bodies([
      { name: 'production', version: 1 },
      { name: 'staging', version: 'LATEST' },
      { name: 'canary', version: 2, weight: 0.1 },
      { name: 'canary-b', version: 3, weight: 0.3 },
    ]);
    assert.deepEqual(
      result.map((body) => [
        body.agentRuntimeEndpointName,
        body.targetVersion,
        body.routingConfiguration?.versionWeights,
      ]),
      [
        [
          'production',
          '1',
          [
            { version: '2', weight: 0.1 },
            { version: '3', weight: 0.3 },
          ],
        ],
        ['staging', 'LATEST', undefined],
        ['canary', '2', undefined],
        ['canary-b', '3', undefined],
      ],
    );
  });
});
