// What dist/ ships besides the code: every bundled package's licence, and no source maps.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

/** The entry points and the chunks they load on demand. */
const bundles = [
  'index.js',
  'cli.js',
  'emulator.js',
  ...readdirSync('dist/chunks').map((name) => `chunks/${name}`),
];

test('dist/licenses.txt names every package bundled into dist/ with its licence', () => {
  const licenses = readFileSync('dist/licenses.txt', 'utf8');
  const listed = new Set(
    [...licenses.matchAll(/^((?:@[^/\s]+\/)?[^@\s]+)@\d[^\s]*\n(.+)$/gm)].map((m) => m[1]),
  );
  const bundled = new Set(
    bundles.flatMap((file) =>
      [
        ...readFileSync(`dist/${file}`, 'utf8').matchAll(
          /^\/\/ (?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//gm,
        ),
      ].map((m) => m[1]!),
    ),
  );
  assert.ok(bundled.has('@actions/core') && bundled.has('@alicloud/openapi-client') && bundled.has('yaml'));
  assert.deepEqual(
    [...bundled].filter((name) => !listed.has(name)),
    [],
  );
  assert.match(licenses, /^yaml@[\d.]+\nISC\nCopyright/m);
});

test('no source maps: nothing would load them', () => {
  assert.deepEqual(
    readdirSync('dist').filter((name) => name.endsWith('.map')),
    [],
  );
  for (const file of bundles) {
    assert.doesNotMatch(readFileSync(`dist/${file}`, 'utf8'), /sourceMappingURL/, file);
  }
});
