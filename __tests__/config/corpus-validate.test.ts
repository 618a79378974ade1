/**
 * Validation and plan cases of the shared s.yaml corpus (__tests__/fixtures/config/*): each case
 * directory holds an s.yaml (and maybe a .env) and a case.json whose `expect` has `problems` (every
 * line `formatProblem` prints, warnings included) and/or `plan` (`planToJson`). Cases with neither
 * key test the resolver alone and are skipped here.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { resolveSpec } from '../../src/config/index.js';
import { ConfigError, formatProblem, type Problem } from '../../src/config/types.js';
import { buildPlan, planToJson, type Plan } from '../../src/plan/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));

interface Case {
  description: string;
  env?: Record<string, string>;
  dotenv?: string;
  expect: { problems?: string[]; plan?: unknown };
}

/** Problems of the whole file (resolver warnings first), with file paths relative to the case dir. */
async function run(dir: string, c: Case): Promise<{ problems: string[]; plan?: Plan }> {
  const spec = await resolveSpec({ cwd: dir, env: c.env ?? {}, dotenv: c.dotenv });
  let plan: Plan | undefined;
  let found: readonly Problem[];
  try {
    plan = buildPlan(spec);
    found = plan.warnings;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    found = error.problems;
  }
  const relative = (problem: Problem): Problem =>
    problem.position
      ? {
          ...problem,
          position: {
            ...problem.position,
            file: path.relative(dir, path.resolve(dir, problem.position.file)),
          },
        }
      : problem;
  return { problems: [...spec.warnings, ...found].map((problem) => formatProblem(relative(problem))), plan };
}

const cases = readdirSync(FIXTURES)
  .sort()
  .map((name) => ({ name, dir: path.join(FIXTURES, name) }))
  .filter(({ dir }) => existsSync(path.join(dir, 'case.json')))
  .map(({ name, dir }) => ({
    name,
    dir,
    c: JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as Case,
  }))
  .filter(({ c }) => c.expect.problems !== undefined || c.expect.plan !== undefined);

void describe('corpus: validation and plan', () => {
  void it('has validation cases', () => assert.ok(cases.length >= 12, `only ${cases.length} cases`));

  for (const { name, dir, c } of cases) {
    void it(`${name}: ${c.description}`, async () => {
      const { problems, plan } = await run(dir, c);
      if (c.expect.problems !== undefined) assert.deepEqual(problems, c.expect.problems);
      if (c.expect.plan !== undefined) {
        assert.ok(plan, `expected a plan, got problems:\n${problems.join('\n')}`);
        assert.deepEqual(JSON.parse(planToJson(plan)), c.expect.plan);
      }
    });
  }
});
