/**
 * Every case of the s.yaml corpus says what it expects under keys one of the corpus suites reads, so a
 * misspelt key fails here instead of turning the case into one that checks nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'config');
/** corpus-resolve reads the first three, corpus-validate the last two. */
const KNOWN = new Set(['resolved', 'order', 'resolveErrors', 'problems', 'plan']);

test('every corpus case expects something, under keys the suites read', () => {
  const cases = readdirSync(FIXTURES).filter((name) => existsSync(path.join(FIXTURES, name, 'case.json')));
  assert.ok(cases.length > 0);
  for (const name of cases) {
    const { expect } = JSON.parse(readFileSync(path.join(FIXTURES, name, 'case.json'), 'utf8')) as {
      expect?: Record<string, unknown>;
    };
    const keys = Object.keys(expect ?? {});
    assert.ok(keys.length > 0, `${name}: case.json has no expectations`);
    const unknown = keys.filter((key) => !KNOWN.has(key));
    assert.deepEqual(unknown, [], `${name}: unknown expect keys (known: ${[...KNOWN].join(', ')})`);
  }
});
