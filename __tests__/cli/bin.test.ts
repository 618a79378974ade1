// The bundled CLI and action as real processes on the Node that runs the suite (20 here, 24 in CI's
// second pass): the `bin` entry, `--env-file` past Node's own option parsing, and `node dist/…`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const ROOT = process.cwd();
const CLI = join(ROOT, 'dist/cli.js');
const project = mkdtempSync(join(tmpdir(), 'agentrun-bin-'));
cpSync('examples', project, { recursive: true });
writeFileSync(
  join(project, 'values.env'),
  'API_KEY=sk-bin-test-7d2e\nMODEL_ENDPOINT=https://model.example.com\n',
);
after(() => rmSync(project, { recursive: true, force: true }));

/** The environment of a shell without cloud credentials, with this Node first on PATH. */
const env = {
  PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}`,
  HOME: project,
};
const spawn = (command: string, args: string[], extra: Record<string, string> = {}) => {
  const result = spawnSync(command, args, { cwd: project, env: { ...env, ...extra }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

test('the bin: --env-file reaches the CLI, which reads it, or names the file it could not read', (t) => {
  t.diagnostic(`Node ${process.version}`);
  const ok = spawn(CLI, ['plan', '--env-file', 'values.env']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /"API_KEY": "\*\*\*"/);
  assert.ok(!ok.stdout.includes('sk-bin-test-7d2e'));

  // Node 20 and 24 would stop at a missing --env-file themselves (`node: missing.env: not found`, exit 9).
  const missing = spawn(CLI, ['plan', '--env-file', 'missing.env']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^error: cannot read the env file .*missing\.env/m);
  assert.doesNotMatch(missing.stderr, /^node: /m);
});

test('node dist/cli.js takes --env-file too; node -- dist/cli.js reports a missing one itself', () => {
  const ok = spawn(process.execPath, [CLI, 'plan', '--env-file', 'values.env', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).ok, true);

  const missing = spawn(process.execPath, ['--', CLI, 'plan', '--env-file', 'missing.env']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read the env file/);
});

test('node dist/cli.js --version and dist/index.js run on this Node', () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  assert.deepEqual(spawn(process.execPath, [CLI, '--version']), {
    code: 0,
    stdout: `${version}\n`,
    stderr: '',
  });

  const action = spawn(process.execPath, [join(ROOT, 'dist/index.js')], {
    GITHUB_WORKSPACE: project,
    INPUT_COMMAND: 'plan',
    'INPUT_ENV-FILE': 'values.env',
  });
  assert.equal(action.code, 0, action.stdout + action.stderr);
  assert.match(action.stdout, /resource `my-agent` → runtime `production-agent` in cn-hangzhou/);
});
