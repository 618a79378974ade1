import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { editDistance, suggest } from '../../src/config/suggest.js';

void describe('editDistance', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['cpu', 'cpu', 0],
    ['cpu', 'cpuu', 1],
    ['memroy', 'memory', 1], // adjacent swap counts once
    ['port', 'prot', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ];
  for (const [a, b, expected] of cases) {
    void it(`${JSON.stringify(a)} → ${JSON.stringify(b)} = ${expected}`, () =>
      assert.equal(editDistance(a, b), expected));
  }
});

void describe('suggest', () => {
  const keys = [
    'cpu',
    'memory',
    'port',
    'instanceConcurrency',
    'vSwitchIds',
    'logConfig',
    'description',
    'healthCheckConfiguration',
  ];
  const cases: [string, string | undefined][] = [
    ['instanceConcurency', 'instanceConcurrency'],
    ['memroy', 'memory'],
    ['vswitchIds', 'vSwitchIds'],
    ['logconfig', 'logConfig'],
    ['descripton', 'description'],
    ['cpus', 'cpu'],
    ['colour', undefined],
    ['concurrency', undefined],
    ['x', undefined],
    ['healthCheckConfig', 'healthCheckConfiguration'],
    ['instance', 'instanceConcurrency'],
    ['desc', undefined],
  ];
  for (const [word, expected] of cases) {
    void it(`${word} → ${String(expected)}`, () => assert.equal(suggest(word, keys), expected));
  }
});
