/** resolveSpec beyond props: file selection, actions, secrets, positions, .env options, flow stages. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, formatProblem, resolveSpec, type ResolveOptions } from '../../src/config/index.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'config');

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'resolve-test-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  return dir;
}

async function problems(options: ResolveOptions): Promise<string[]> {
  const error: unknown = await resolveSpec(options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
  return error.problems.map(formatProblem);
}

describe('file selection (s-yaml.md §1)', () => {
  test('no s.yaml/s.yml', async () => {
    assert.deepEqual(await problems({ cwd: tempDir({}), env: {} }), ['the s.yaml/s.yml file was not found.']);
  });
  test('a config path that does not exist', async () => {
    assert.deepEqual(await problems({ cwd: tempDir({}), config: 's-prod.yaml', env: {} }), [
      'The specified template file does not exist: s-prod.yaml',
    ]);
  });
  test('a config path that is not yaml', async () => {
    const cwd = tempDir({ 's.json': '{}' });
    assert.deepEqual(await problems({ cwd, config: 's.json', env: {} }), [
      's.json file should be yaml or yml file.',
    ]);
  });
  test('an explicit config file; positions are relative to cwd', async () => {
    const cwd = tempDir({
      's-prod.yaml': 'edition: 3.0.0\nresources:\n  a:\n    component: agentrun\n    props:\n      cpu: 2\n',
    });
    const spec = await resolveSpec({ cwd, config: 's-prod.yaml', env: {} });
    assert.equal(spec.file, path.join(cwd, 's-prod.yaml'));
    assert.deepEqual(spec.locate(['resources', 'a', 'props', 'cpu']), {
      file: 's-prod.yaml',
      line: 6,
      col: 12,
    });
    assert.deepEqual(spec.locate(['resources', 'a', 'props', 'missing', 'deeper']), {
      file: 's-prod.yaml',
      line: 6,
      col: 7,
    });
  });
});

describe('actions (s-yaml.md §4)', () => {
  test('global and resource actions are interpolated and returned by hook', async () => {
    const spec = await resolveSpec({ cwd: path.join(FIXTURES, '32-actions'), env: {} });
    assert.deepEqual(spec.actions, { 'pre-deploy': [{ run: 'echo ./code', path: './code' }] });
    assert.deepEqual(spec.resources[0].actions, {
      'pre-deploy': [{ run: 'pip install -r requirements.txt -t agent', path: './code' }],
      'post-deploy': [{ component: 'fc3 info' }],
    });
  });
  test('a hook that is not a list is an error (s message)', async () => {
    const cwd = tempDir({
      's.yaml':
        'edition: 3.0.0\nactions:\n  pre-deploy:\n    run: x\nresources:\n  a:\n    component: agentrun\n',
    });
    assert.deepEqual(await problems({ cwd, env: {} }), [
      's.yaml:4:5: actions.pre-deploy: Global action pre-deploy is invalid, it must be array',
    ]);
  });
  test('magic hook keys are matched against the command', async () => {
    const yaml =
      'edition: 3.0.0\nresources:\n  a:\n    component: agentrun\n    actions:\n      "pre-${regex(\'deploy|remove\')}":\n        - run: x\n';
    const cwd = tempDir({ 's.yaml': yaml });
    assert.deepEqual((await resolveSpec({ cwd, env: {} })).resources[0].actions, {
      'pre-deploy': [{ run: 'x' }],
    });
    assert.deepEqual((await resolveSpec({ cwd, env: {}, command: 'info' })).resources[0].actions, {});
  });
});

describe('environment and secrets (s-yaml.md §3.5)', () => {
  test('secret: the dotenv body, secret-looking or listed names, URLs with a password; not the rest', async () => {
    const cwd = tempDir({
      's.yaml': [
        'edition: 3.0.0',
        'resources:',
        '  a:',
        '    component: agentrun',
        '    props:',
        "      region: ${env('REGION')}",
        "      plain: ${env('FROM_PROCESS')}",
        "      password: ${env('DB_PASSWORD')}",
        "      listed: ${env('LISTED')}",
        "      dsn: https://${env('DATABASE_URL')}/",
        '',
      ].join('\n'),
      '.env': 'REGION=cn-hangzhou\nAPI_KEY=file-secret\nLISTED=listed-value\nDATABASE_URL=pg://u:pw@db\n',
    });
    const env = { FROM_PROCESS: 'process-value', DB_PASSWORD: 'process-secret' };
    const spec = await resolveSpec({ cwd, env, dotenv: 'BODY=body-secret\n', secretEnv: ['LISTED'] });
    assert.deepEqual([...spec.secretValues].sort(), [
      'body-secret',
      'file-secret',
      'https://pg://u:pw@db/',
      'listed-value',
      'pg://u:pw@db',
      'process-secret',
    ]);
    assert.deepEqual(env, { FROM_PROCESS: 'process-value', DB_PASSWORD: 'process-secret' });
    assert.equal(process.env.API_KEY, undefined);
  });
  test('an explicit envFile must exist; the default one is optional', async () => {
    const cwd = tempDir({ 's.yaml': 'edition: 3.0.0\nresources: {}\n' });
    await resolveSpec({ cwd, env: {} });
    const [line] = await problems({ cwd, env: {}, envFile: 'missing.env' });
    assert.match(line, /cannot read the env file .*missing\.env/);
  });
  test('an explicit envFile replaces the default one', async () => {
    const cwd = tempDir({
      's.yaml':
        "edition: 3.0.0\nresources:\n  a:\n    component: agentrun\n    props:\n      v: ${env('V')}\n",
      '.env': 'V=default\n',
      'ci.env': 'V=explicit\n',
    });
    const spec = await resolveSpec({ cwd, env: {}, envFile: 'ci.env' });
    assert.deepEqual(spec.resources[0].props, { v: 'explicit' });
  });
});

describe('order and flow (s-yaml.md §2, §4)', () => {
  test('flow stages are reported and other commands fall back to dependency order', async () => {
    const dir = path.join(FIXTURES, '24-flow');
    const deploy = await resolveSpec({ cwd: dir, env: {} });
    assert.deepEqual(
      deploy.resources.map((resource) => [resource.name, resource.stage]),
      [
        ['b', 0],
        ['a', 1],
        ['c', 1],
      ],
    );
    const info = await resolveSpec({ cwd: dir, env: {}, command: 'info' });
    assert.deepEqual(
      info.resources.map((resource) => [resource.name, resource.stage]),
      [
        ['a', undefined],
        ['b', undefined],
        ['c', undefined],
      ],
    );
  });
  test('resources left out of the flow are dropped with a warning', async () => {
    const spec = await resolveSpec({ cwd: path.join(FIXTURES, '24-flow'), env: {}, command: 'remove' });
    assert.deepEqual(
      spec.resources.map((resource) => resource.name),
      ['a'],
    );
    assert.equal(spec.warnings.length, 2);
  });
  test('template props that fail point into the template', async () => {
    const yaml = [
      'edition: 3.0.0',
      'template:',
      '  t:',
      "    key: ${env('NOPE')}",
      'resources:',
      '  a:',
      '    component: agentrun',
      '    extend: { name: t }',
      '',
    ].join('\n');
    const lines = await problems({ cwd: tempDir({ 's.yaml': yaml }), env: {} });
    assert.ok(
      lines.every((line) => line.startsWith('s.yaml:4:10: ')),
      lines.join('\n'),
    );
  });
});
