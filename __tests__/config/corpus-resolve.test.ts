/**
 * Runs every resolution case of __tests__/fixtures/config and, for the successful ones, runs the real
 * @serverless-devs/parse-spec on the same directory and environment as a differential oracle.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import dotenv from 'dotenv';
import { expand } from 'dotenv-expand';
import { ConfigError, formatProblem, resolveSpec, type Credential } from '../../src/config/index.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'config');
const require = createRequire(import.meta.url);
// parse-spec reads ~/.s (credentials, default env) when first loaded: point it at an empty directory.
const ORACLE_HOME = mkdtempSync(path.join(os.tmpdir(), 'parse-spec-home-'));

interface Case {
  description: string;
  env?: Record<string, string>;
  dotenv?: string;
  credential?: Credential;
  /** false when parse-spec cannot run the case; the description says why. */
  oracle?: boolean;
  expect: { resolved?: Record<string, unknown>; order?: string[]; resolveErrors?: string[] };
}

interface OracleStep {
  projectName: string;
  props: unknown;
}
interface ParseSpecModule {
  default: new (file: string, options: object) => { start(): Promise<{ steps: OracleStep[] }> };
}

const quiet = Object.fromEntries(
  ['log', 'info', 'warn', 'warnOnce', 'tips', 'debug', 'error', 'write'].map((name) => [name, () => {}]),
);

/** Runs parse-spec with exactly `env` as process.env and the case directory as cwd, then restores both. */
async function runOracle(dir: string, kase: Case): Promise<OracleStep[]> {
  const saved = { ...process.env };
  const savedCwd = process.cwd();
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, kase.env, { HOME: ORACLE_HOME, serverless_devs_config_home: ORACLE_HOME });
  const { AccountID, AccessKeyID, AccessKeySecret } = kase.credential ?? {};
  // s's credential lookup takes a key pair from these three variables.
  if (AccountID && AccessKeyID && AccessKeySecret)
    Object.assign(process.env, { AccountID, AccessKeyID, AccessKeySecret });
  if (kase.dotenv !== undefined) {
    // s has no dotenv input: the nearest equivalent is a CI step exporting the body before s runs.
    const parsed = dotenv.parse(kase.dotenv);
    for (const [key, value] of Object.entries(parsed)) process.env[key] ??= value;
    expand({ parsed });
  }
  try {
    process.chdir(dir);
    const file = ['s.yaml', 's.yml']
      .map((name) => path.join(dir, name))
      .find((candidate) => existsSync(candidate));
    const { default: ParseSpec } = require('@serverless-devs/parse-spec') as ParseSpecModule;
    const result = await new ParseSpec(file ?? '', { argv: ['deploy'], logger: quiet }).start();
    return result.steps;
  } finally {
    process.chdir(savedCwd);
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** Expected values may say `<dir>` for the case directory, which differs per checkout. */
function withDir(value: unknown, dir: string): unknown {
  return JSON.parse(JSON.stringify(value).replaceAll('<dir>', dir.replaceAll('\\', '\\\\'))) as unknown;
}

const cases = readdirSync(FIXTURES)
  .filter((name) => existsSync(path.join(FIXTURES, name, 'case.json')))
  .sort()
  .map((name) => ({
    name,
    kase: JSON.parse(readFileSync(path.join(FIXTURES, name, 'case.json'), 'utf8')) as Case,
  }))
  .filter(({ kase }) => kase.expect.resolved !== undefined || kase.expect.resolveErrors !== undefined);

test('the corpus has at least 25 resolution cases', () => {
  assert.ok(cases.length >= 25, `only ${cases.length} cases`);
});

for (const { name, kase } of cases) {
  const dir = path.join(FIXTURES, name);
  const options = { cwd: dir, env: kase.env ?? {}, dotenv: kase.dotenv, credential: kase.credential };
  test(`${name}: ${kase.description}`, async () => {
    const { resolved, order, resolveErrors } = kase.expect;
    if (resolveErrors) {
      const error: unknown = await resolveSpec(options).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      const lines = error.problems.filter((problem) => problem.severity === 'error').map(formatProblem);
      assert.deepEqual(lines, resolveErrors);
      if (kase.oracle !== false) await assert.rejects(runOracle(dir, kase), 'parse-spec accepts this file');
      return;
    }
    const spec = await resolveSpec(options);
    const props = Object.fromEntries(spec.resources.map((resource) => [resource.name, resource.props]));
    assert.deepEqual(JSON.parse(JSON.stringify(props)), withDir(resolved, dir));
    if (order)
      assert.deepEqual(
        spec.resources.map((resource) => resource.name),
        order,
      );
    if (kase.oracle === false) return;
    const steps = await runOracle(dir, kase);
    assert.deepStrictEqual(
      spec.resources.map((resource) => [resource.name, resource.props]),
      steps.map((step) => [step.projectName, step.props]),
    );
  });
}
