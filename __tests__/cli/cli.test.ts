import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { agentYaml, runCli } from './helpers.js';

const SECRET_KEY = 'sk-cli-test-3f9a7c21';
const SECRET_URL = 'https://model.internal.example.com/v1';

/** A copy of examples/ with a .env holding secrets, removed after the tests. */
const project = mkdtempSync(join(tmpdir(), 'agentrun-cli-'));
cpSync('examples', project, { recursive: true });
writeFileSync(join(project, '.env'), `API_KEY=${SECRET_KEY}\nMODEL_ENDPOINT="${SECRET_URL}"\n`);
after(() => rmSync(project, { recursive: true, force: true }));

const cli = (args: string[], cwd = project) => runCli(args, cwd);

test('plan prints the request bodies with .env secrets masked, on stdout and stderr alike', () => {
  // API_KEY is secret by its name, MODEL_ENDPOINT because it is listed.
  const { code, stdout, stderr } = cli(['plan', '--secret-env', 'MODEL_ENDPOINT']);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /"agentRuntimeName": "production-agent"/);
  assert.match(stdout, /"networkMode": "PUBLIC_AND_PRIVATE"/);
  assert.match(stdout, /"API_KEY": "\*\*\*"/);
  for (const secret of [SECRET_KEY, SECRET_URL]) {
    assert.ok(!stdout.includes(secret), `stdout leaks ${secret}`);
    assert.ok(!stderr.includes(secret), `stderr leaks ${secret}`);
  }
  assert.match(stderr, /No credentials given: showing the desired state only/);
});

test('resolve prints every resource’s props as s would, secrets as *** unless --show-secrets', () => {
  const masked = cli(['resolve', 's.yaml']);
  assert.equal(masked.code, 0, masked.stderr);
  const props = JSON.parse(masked.stdout);
  assert.deepEqual(Object.keys(props), ['my-agent']);
  assert.equal(props['my-agent'].region, 'cn-hangzhou');
  assert.equal(props['my-agent'].agent.environmentVariables.API_KEY, '***');
  assert.equal(props['my-agent'].agent.cpu, 2);

  const shown = cli(['resolve', 's.yaml', '--show-secrets']);
  assert.equal(JSON.parse(shown.stdout)['my-agent'].agent.environmentVariables.API_KEY, SECRET_KEY);
});

test('resolve exits non-zero with every missing variable at file:line:col', () => {
  writeFileSync(join(project, 'empty.env'), '# nothing here\n');
  const { code, stdout, stderr } = cli(['resolve', '--env-file', 'empty.env']);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /s\.yaml:\d+:\d+: error: .*env\('API_KEY'\) not found/);
  assert.match(stderr, /s\.yaml:\d+:\d+: error: .*env\('MODEL_ENDPOINT'\) not found/);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
});

test('an invalid file: plan reports every problem with file:line:col and fails', () => {
  const { code, stdout, stderr } = cli(
    ['plan', '--config', '__tests__/fixtures/config/v12-many-problems/s.yaml'],
    process.cwd(),
  );
  assert.equal(code, 1);
  assert.equal(stdout, '');
  const errors = stderr
    .split('\n')
    .filter((line) => /^__tests__\/fixtures\/config\/v12-many-problems\/s\.yaml:\d+:\d+: error: /.test(line));
  assert.equal(errors.length, 10, stderr);
  assert.match(
    stderr,
    /s\.yaml:24:14: error: resources\.agent\.props\.agent\.cpu: expected a number from 0\.05 to 16, got 0/,
  );
  assert.match(stderr, /warning: .*did you mean `internetAccess`\?/);
  assert.match(stderr, /The configuration has 10 problems; each is reported above\./);
});

test('deploy without credentials names every way to provide them', () => {
  const { code, stderr } = cli(['deploy']);
  assert.equal(code, 1);
  assert.match(stderr, /No Alibaba Cloud credentials found/);
  assert.match(stderr, /role-to-assume/);
  assert.match(stderr, /ALIBABA_CLOUD_ACCESS_KEY_ID/);
});

test('unknown command-line options are refused', () => {
  const { code, stderr } = cli(['plan', '--no-such-flag']);
  assert.equal(code, 1);
  assert.match(stderr, /no-such-flag/);
});

test('plan takes the s.yaml as an argument too; stray arguments and unknown commands are refused', () => {
  writeFileSync(join(project, 's-prod.yaml'), agentYaml('prod-agent'));
  const prod = cli(['plan', 's-prod.yaml']);
  assert.equal(prod.code, 0, prod.stderr);
  assert.match(prod.stdout, /"agentRuntimeName": "prod-agent"/);

  const both = cli(['plan', 's-prod.yaml', '--config', 's.yaml']);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /either as an argument or with --config, not both/);

  const stray = cli(['plan', 's-prod.yaml', 'extra']);
  assert.equal(stray.code, 1);
  assert.match(stray.stderr, /Unexpected arguments: extra/);

  const unknown = cli(['destroy']);
  assert.equal(unknown.code, 1);
  assert.match(
    unknown.stderr,
    /Unknown command "destroy": use deploy, plan, preview, preview-cleanup, resolve/,
  );
});

test("${config('AccountID')} resolves from the AccountID variable, as with s", () => {
  writeFileSync(
    join(project, 's-account.yaml'),
    agentYaml('account-agent', "        role: acs:ram::${config('AccountID')}:role/agent\n"),
  );
  const resolved = runCli(['resolve', 's-account.yaml'], project, { AccountID: '1234567890' });
  assert.equal(resolved.code, 0, resolved.stderr);
  // The account id is not a secret of the user's; it stays readable.
  assert.equal(JSON.parse(resolved.stdout).agent.agent.role, 'acs:ram::1234567890:role/agent');

  const missing = cli(['resolve', 's-account.yaml']);
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /config\('AccountID'\) not found — set the AccountID variable, or use role-to-assume/,
  );
});
