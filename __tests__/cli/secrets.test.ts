// Secrets from .env reach neither stdout nor stderr, however they travel: through an error message,
// a value computed from them, JSON escaping, or a message that shortens the value.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { agentYaml, runCli } from './helpers.js';

/** A project with this .env and these extra `agent:` lines; removed after the tests. */
function project(dotenv: string, agentLines: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentrun-secrets-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '.env'), dotenv);
  writeFileSync(join(dir, 's.yaml'), agentYaml('secret-agent', agentLines));
  return dir;
}

function assertHidden({ stdout, stderr }: { stdout: string; stderr: string }, secrets: string[]) {
  for (const secret of secrets) {
    for (const [stream, text] of Object.entries({ stdout, stderr })) {
      assert.ok(!text.includes(secret), `${stream} shows ${JSON.stringify(secret)}:\n${text}`);
    }
  }
}

test('an error message that repeats a secret shows it masked', async () => {
  const dir = project(
    'CONFIG_SECRET={"token": "supersecret-1234",}\nAPI_KEY=sk-live-abcdef123456\n',
    `        environmentVariables:
          CFG: \${json(env("CONFIG_SECRET"))}
          F: \${file(env("API_KEY"))}
`,
  );
  for (const command of ['plan', 'resolve']) {
    const output = await runCli([command], dir);
    assert.equal(output.code, 1);
    assert.match(output.stderr, /s\.yaml:12:16: error: .*json\('\*\*\*'\) parse error/);
    assert.match(output.stderr, /s\.yaml:13:14: error: .*file\('\*\*\*'\) not found/);
    assertHidden(output, ['supersecret-1234', 'sk-live-abcdef123456']);
  }
});

test('values computed from a secret are secrets too', async () => {
  const dir = project(
    `ENV_SECRETS={"DB_PASSWORD":"hunter2hunter2","API":"sk-abcdef"}\nTEMPLATED_TOKEN='tok\${vars.a}xyz'\n`,
    `        environmentVariables: \${json(env('ENV_SECRETS'))}
        description: \${env('TEMPLATED_TOKEN')}
vars:
  a: AAA
`,
  );
  for (const command of ['plan', 'resolve']) {
    const output = await runCli([command], dir);
    assert.equal(output.code, 0, output.stderr);
    assert.match(output.stdout, /"DB_PASSWORD": "\*\*\*"/);
    assertHidden(output, ['hunter2hunter2', 'sk-abcdef', 'tokAAAxyz']);
  }
});

test('secrets with quotes, backslashes or line breaks stay masked in the JSON of the plan', async () => {
  const dir = project(
    'TOKEN=abc\\def"ghi\nPRIVATE_PEM="-----BEGIN KEY-----\\nMIIEsecretline\\n-----END KEY-----"\n',
    `        environmentVariables:
          TOKEN: \${env('TOKEN')}
          PEM: \${env('PRIVATE_PEM')}
`,
  );
  const output = await runCli(['plan'], dir);
  assert.equal(output.code, 0, output.stderr);
  assert.match(output.stdout, /"TOKEN": "\*\*\*"/);
  assert.match(output.stdout, /"PEM": "\*\*\*"/);
  assertHidden(output, ['abc\\\\def', 'def\\"ghi', 'MIIEsecretline']);
});

test('a long secret in a validation message is masked before the message shortens it', async () => {
  const role = `not a role ${'x'.repeat(90)}`;
  const dir = project(`ROLE=${role}\n`, "        role: ${env('ROLE')}\n");
  const output = await runCli(['plan', '--secret-env', 'ROLE'], dir);
  assert.equal(output.code, 1);
  assert.match(
    output.stderr,
    /resources\.agent\.props\.agent\.role: expected a RAM role ARN .*, got "\*\*\*"/,
  );
  assertHidden(output, [role.slice(0, 40), 'xxxxxxxxxx']);
});

test('a number through ${env()} is refused with the way to convert it', async () => {
  const dir = project('CPU=2\n', "        cpu: ${env('CPU')}\n");
  const output = await runCli(['plan'], dir);
  assert.equal(output.code, 1);
  assert.match(
    output.stderr,
    /cpu: expected a number .*got "2"; values from \$\{env\(\)\} are strings: write \$\{env\('NAME'\) \* 1\} for a number/,
  );
});

test('a value that is not secret prints as it is; the secret next to it stays masked', async () => {
  const dir = project(
    'REGION=cn-hangzhou\nGREETING=production\nAPI_KEY=sk-live-0123456789\n',
    `        description: \${env('GREETING')} in \${env('REGION')}
        environmentVariables:
          API_KEY: \${env('API_KEY')}
`,
  );
  const output = await runCli(['plan'], dir);
  assert.equal(output.code, 0, output.stderr);
  assert.match(output.stdout, /"description": "production in cn-hangzhou"/);
  assert.match(output.stdout, /"API_KEY": "\*\*\*"/);
  assertHidden(output, ['sk-live-0123456789']);
});
