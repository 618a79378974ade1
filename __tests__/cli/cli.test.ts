// The CLI in process: commands, help, usage errors and exit codes, --json, colours, s.yaml lookup.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { COMMANDS } from '../../src/app/commands/index.js';
import { agentYaml, runCli } from './helpers.js';

const SECRET_KEY = 'sk-cli-test-3f9a7c21';
const SECRET_URL = 'https://model.internal.example.com/v1';
const COMMAND_LIST = [...Object.keys(COMMANDS), 'resolve'].join(', ');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** A copy of examples/ with a .env holding secrets, removed after the tests. */
const project = mkdtempSync(join(tmpdir(), 'agentrun-cli-'));
cpSync('examples', project, { recursive: true });
writeFileSync(join(project, '.env'), `API_KEY=${SECRET_KEY}\nMODEL_ENDPOINT="${SECRET_URL}"\n`);
after(() => rmSync(project, { recursive: true, force: true }));

const cli = (args: string[], cwd = project, env: Record<string, string> = {}) => runCli(args, cwd, env);

test('plan prints the request bodies with .env secrets masked, on stdout and stderr alike', async () => {
  // API_KEY is secret by its name, MODEL_ENDPOINT because it is listed.
  const { code, stdout, stderr } = await cli(['plan', '--secret-env', 'MODEL_ENDPOINT']);
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

test('resolve prints every resource’s props as s would, secrets as *** unless --show-secrets', async () => {
  const masked = await cli(['resolve', 's.yaml']);
  assert.equal(masked.code, 0, masked.stderr);
  const props = JSON.parse(masked.stdout);
  assert.deepEqual(Object.keys(props), ['my-agent']);
  assert.equal(props['my-agent'].region, 'cn-hangzhou');
  assert.equal(props['my-agent'].agent.environmentVariables.API_KEY, '***');
  assert.equal(props['my-agent'].agent.cpu, 2);

  const shown = await cli(['resolve', 's.yaml', '--show-secrets']);
  assert.equal(JSON.parse(shown.stdout)['my-agent'].agent.environmentVariables.API_KEY, SECRET_KEY);
});

test('resolve exits 1 with every missing variable at file:line:col', async () => {
  writeFileSync(join(project, 'empty.env'), '# nothing here\n');
  const { code, stdout, stderr } = await cli(['resolve', '--env-file', 'empty.env']);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /s\.yaml:\d+:\d+: error: .*env\('API_KEY'\) not found/);
  assert.match(stderr, /s\.yaml:\d+:\d+: error: .*env\('MODEL_ENDPOINT'\) not found/);
  assert.match(stderr, /in the `--dotenv` option/, 'options, not the action’s inputs');
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
});

test('an invalid file: plan reports every problem with file:line:col and fails', async () => {
  const { code, stdout, stderr } = await cli(
    ['plan', '__tests__/fixtures/config/v12-many-problems/s.yaml'],
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

test('deploy without credentials names every way to provide them, ~/.s/access.yaml too', async () => {
  const { code, stdout, stderr } = await cli(['deploy']);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /No Alibaba Cloud credentials found/);
  assert.match(stderr, /- --access-key-id and --access-key-secret \(plus --security-token /);
  assert.match(stderr, /GitHub OIDC: --role-to-assume and --oidc-provider-arn/);
  assert.match(stderr, /ALIBABA_CLOUD_ACCESS_KEY_ID/);
  assert.match(stderr, /keys saved by `s config add` in .*\.s\/access\.yaml/);
});

test('--help lists every command of the command table with what it does', async () => {
  const { code, stdout, stderr } = await cli(['--help']);
  assert.equal(code, 0);
  assert.equal(stderr, '');
  for (const command of [...Object.keys(COMMANDS), 'resolve', 'help']) {
    assert.match(stdout, new RegExp(`^  ${command} +\\w.{10,}$`, 'm'), `${command} has no description`);
  }
  assert.match(stdout, /Exit codes: 0 done, 1 failed, 2 wrong usage/);
});

test('each command has its own help, the same with `help <command>` and `<command> --help`', async () => {
  for (const command of [...Object.keys(COMMANDS), 'resolve']) {
    const help = await cli(['help', command]);
    assert.equal(help.code, 0);
    assert.match(
      help.stdout,
      new RegExp(`^Usage: agentrun-deploy ${command} \\[s\\.yaml\\] \\[options\\]$`, 'm'),
    );
    assert.deepEqual(await cli([command, '--help']), help);
    assert.deepEqual(await cli([command, '-h']), help);
    // Every option line has a description after the flag.
    const options = help.stdout.split('Options:\n')[1]!.trimEnd().split('\n');
    for (const line of options) assert.match(line, /^ {2}(-\w, | {4})--[\w-]+( \S+)? {2,}\w/, line);
    assert.match(help.stdout, /-t, --template <file> +the s\.yaml/);
    assert.match(help.stdout, / {4}--config <file> +the s\.yaml, as the action’s `config` input/);
    assert.match(help.stdout, /-a, --access <alias> /);
    assert.match(help.stdout, / {4}--json /);
  }
  const deploy = (await cli(['help', 'deploy'])).stdout;
  assert.match(deploy, /--wait-timeout <duration> +how long to wait .* \(default: 15m\)/);
  assert.doesNotMatch(deploy, /--timeout /, 'the deprecated name is not advertised');
  assert.match((await cli(['help', 'plan'])).stdout, /--detailed-exitcode +exit 0 when .* 2 when/);
});

test('--version prints the version of package.json', async () => {
  assert.deepEqual(await cli(['--version']), { code: 0, stdout: `${VERSION}\n`, stderr: '' });
  assert.equal((await cli(['-v'])).stdout, `${VERSION}\n`);
});

test('usage errors exit 2 with one clear line and where to read more', async () => {
  const cases: [string[], RegExp][] = [
    [[], new RegExp(`^error: Name a command: ${COMMAND_LIST}\\.$`, 'm')],
    [['destroy'], new RegExp(`^error: Unknown command "destroy": use ${COMMAND_LIST}\\.$`, 'm')],
    [['help', 'destroy'], /^error: Unknown command "destroy"/m],
    [['--json'], /^error: Name a command before the options/m],
    [['plan', '--no-such-flag'], /^error: Unknown option '--no-such-flag'\.$/m],
    [['plan', '--template'], /^error: Option '-t, --template <value>' argument missing\.$/m],
    [['plan', 's.yaml', 'extra'], /^error: Unexpected arguments: extra\.$/m],
    [
      ['plan', 's.yaml', '-t', 's.yaml'],
      /^error: Name the s\.yaml once: as the argument, with -t\/--template or with --config\.$/m,
    ],
    [
      ['plan', '-t', 's.yaml', '--config', 's.yaml'],
      /^error: Name the s\.yaml once: as the argument, with -t\/--template or with --config\.$/m,
    ],
    [['resolve', '--publish', 'false'], /^error: Unknown option '--publish'\.$/m],
    [
      ['deploy', '--parallel', 'two'],
      /^error: --parallel must be a whole number of 1 or more, not "two"\.$/m,
    ],
    [['deploy', '--publish', 'yes please'], /^error: --publish must be true or false/m],
  ];
  for (const [args, message] of cases) {
    const { code, stdout, stderr } = await cli(args);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.equal(stdout, '');
    assert.match(stderr, message);
    assert.match(stderr, /^Run `agentrun-deploy (help \w+|--help)` for the usage\.$/m);
    assert.doesNotMatch(stderr, /Input |\n\s+at /);
  }
});

test('the s.yaml: an argument, -t or --config, else s.yaml or s.yml here; a missing one says where it looked', async () => {
  writeFileSync(join(project, 's-prod.yaml'), agentYaml('prod-agent'));
  for (const args of [
    ['plan', 's-prod.yaml'],
    ['plan', '-t', 's-prod.yaml'],
    ['plan', '--template=s-prod.yaml'],
    ['plan', '--config', 's-prod.yaml'],
  ]) {
    const run = await cli(args);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /"agentRuntimeName": "prod-agent"/);
  }

  const named = await cli(['plan', 'nothere.yaml']);
  assert.equal(named.code, 2);
  assert.match(named.stderr, new RegExp(`^error: No such file: ${join(project, 'nothere.yaml')}$`, 'm'));
  assert.equal(named.stderr.match(/error:/g)?.length, 1, 'one error');

  const empty = mkdtempSync(join(tmpdir(), 'agentrun-cli-empty-'));
  after(() => rmSync(empty, { recursive: true, force: true }));
  const none = await cli(['deploy'], empty);
  assert.equal(none.code, 2);
  assert.match(none.stderr, new RegExp(`^error: No s\\.yaml or s\\.yml in ${empty}: name the file`, 'm'));

  writeFileSync(join(empty, 's.yml'), agentYaml('yml-agent'));
  assert.match((await cli(['plan'], empty)).stdout, /"agentRuntimeName": "yml-agent"/);
});

test('--json: one JSON document on stdout for every command, failures included', async () => {
  const plan = await cli(['plan', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  const planned = JSON.parse(plan.stdout);
  assert.equal(planned.command, 'plan');
  assert.equal(planned.ok, true);
  assert.equal(planned.result.plan.resources[0].runtime.agentRuntimeName, 'production-agent');
  assert.equal(planned.result.plan.resources[0].runtime.environmentVariables.API_KEY, '***');
  assert.equal(planned.result.changes, undefined, 'no credentials: nothing compared');

  const resolved = JSON.parse((await cli(['resolve', '--json'])).stdout);
  assert.deepEqual(Object.keys(resolved), ['command', 'ok', 'result']);
  assert.equal(resolved.result['my-agent'].agent.environmentVariables.API_KEY, '***');

  const failed = await cli(['deploy', '--json']);
  assert.equal(failed.code, 1);
  const error = JSON.parse(failed.stdout);
  assert.equal(error.ok, false);
  assert.match(error.error, /No Alibaba Cloud credentials found/);
});

test('colours only on a terminal, and never with NO_COLOR', async () => {
  const args = ['plan', '--no-such-flag'];
  const red = '\u001b[31merror\u001b[39m';
  assert.ok((await runCli(args, project, {}, { tty: true })).stderr.includes(red));
  assert.ok(!(await runCli(args, project, { NO_COLOR: '1' }, { tty: true })).stderr.includes('\u001b['));
  assert.ok(!(await runCli(args, project)).stderr.includes('\u001b['));
  assert.ok(!(await runCli(['--help'], project, {}, { tty: false })).stdout.includes('\u001b['));
  assert.ok((await runCli(['--help'], project, {}, { tty: true })).stdout.includes('\u001b[1mUsage:'));
});

test("${config('AccountID')} resolves from the AccountID variable, as with s", async () => {
  writeFileSync(
    join(project, 's-account.yaml'),
    agentYaml('account-agent', "        role: acs:ram::${config('AccountID')}:role/agent\n"),
  );
  const resolved = await runCli(['resolve', 's-account.yaml'], project, { AccountID: '1234567890' });
  assert.equal(resolved.code, 0, resolved.stderr);
  // The account id is not a secret of the user's; it stays readable.
  assert.equal(JSON.parse(resolved.stdout).agent.agent.role, 'acs:ram::1234567890:role/agent');

  const missing = await cli(['resolve', 's-account.yaml']);
  assert.equal(missing.code, 1);
  assert.match(
    missing.stderr,
    /config\('AccountID'\) not found — set the AccountID variable, or use role-to-assume/,
  );
});
