// The CLI against the emulator, in process: keys from ~/.s/access.yaml as `s config add` saves them,
// results on stdout, and `plan --detailed-exitcode` like Terraform's.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { stringify } from 'yaml';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { decrypt } from '../../src/cli/access.js';
import { runCli } from './helpers.js';

// crypto-js is what Serverless Devs encrypts access.yaml with (it comes with @serverless-devs/parse-spec).
const CryptoJS = createRequire(import.meta.url)('crypto-js') as {
  AES: { encrypt(text: string, passphrase: string): { toString(): string } };
};
const encrypt = (text: string) => CryptoJS.AES.encrypt(text, 'SecretKey123').toString();

const SECOND_SECRET = 'second-secret-0123456789';
let emulator: Emulator;
const project = mkdtempSync(join(tmpdir(), 'agentrun-cli-deploy-'));
const home = mkdtempSync(join(tmpdir(), 'agentrun-cli-home-'));
cpSync('examples', project, { recursive: true });
cpSync('examples/.env.example', join(project, '.env'));

before(async () => {
  emulator = await startEmulator({
    delayMs: 20,
    // The AccountID saved with the keys: Function Compute's code bucket checks the account it is named for.
    accountId: '1234567890',
    accessKeys: [{ accessKeyId: 'second-key', accessKeySecret: SECOND_SECRET }],
  });
  // Saved as `s config add --access <alias> --AccessKeyID … --AccessKeySecret …` saves them.
  const saved = (id: string, secret: string) => ({
    AccountID: encrypt('1234567890'),
    AccessKeyID: encrypt(id),
    AccessKeySecret: encrypt(secret),
    __provider: 'Alibaba Cloud',
  });
  mkdirSync(join(home, '.s'));
  writeFileSync(
    join(home, '.s', 'access.yaml'),
    stringify({
      default: saved('second-key', SECOND_SECRET),
      wrong: saved('second-key', 'not-the-secret-at-all'),
    }),
  );
});
after(async () => {
  await emulator.stop();
  rmSync(project, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  runCli([...args, '--api-endpoint', emulator.endpoint], project, {}, { home });

test('decrypts what crypto-js encrypted, as s does; other values stay as they are', () => {
  for (const text of ['LTAI5tExample', 'a secret with spaces / and ü', 'x'.repeat(100)]) {
    assert.equal(decrypt(encrypt(text)), text);
  }
  assert.equal(decrypt('plain-value'), 'plain-value');
  assert.equal(
    decrypt('U2FsdGVkX1+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='),
    'U2FsdGVkX1+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  );
});

test('deploy with the s.yaml’s `access: default` from ~/.s/access.yaml; results on stdout', async () => {
  const { code, stdout, stderr } = await cli('deploy');
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^my-agent: runtime production-agent created, version 1 \(new\)$/m);
  assert.match(
    stdout,
    /^ {2}endpoint production created: http:\/\/127\.0\.0\.1:\d+\/agent-runtimes\/production-agent\//m,
  );
  assert.match(stderr, /Credentials: .*default_serverless_devs_key/);
  assert.ok(!stdout.includes(SECOND_SECRET) && !stderr.includes(SECOND_SECRET));
});

test('-a picks another alias; an alias that is not saved is a usage error naming those that are', async () => {
  const wrong = await cli('plan', '-a', 'wrong', '--detailed-exitcode');
  assert.equal(wrong.code, 1, 'the wrong keys are refused by the service');
  assert.match(wrong.stderr, /SignatureDoesNotMatch/);
  assert.ok(!wrong.stderr.includes('not-the-secret-at-all'));

  const missing = await cli('plan', '--access', 'staging');
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    /No keys saved under the alias "staging" in .*access\.yaml \(it has: default, wrong\)\./,
  );
});

test('plan --detailed-exitcode: 0 when up to date, 2 when a deploy would change something', async () => {
  const same = await cli('plan', '--detailed-exitcode');
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout, /my-agent: runtime production-agent is unchanged/);

  const file = join(project, 's.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('cpu: 2', 'cpu: 1'));
  const changed = await cli('plan', '--detailed-exitcode', '--json');
  assert.equal(changed.code, 2, changed.stderr);
  const { result } = JSON.parse(changed.stdout);
  assert.deepEqual(result.changes[0].changes, ['cpu']);

  const deployed = JSON.parse((await cli('deploy', '--json')).stdout);
  assert.equal(deployed.ok, true);
  assert.deepEqual(deployed.result[0].changes, ['cpu']);
  assert.equal(deployed.result[0].previousVersion, '1');
  assert.equal(deployed.result[0].version, '2');

  const blind = await runCli(['plan', '--detailed-exitcode'], project);
  assert.equal(blind.code, 1);
  assert.match(blind.stderr, /--detailed-exitcode needs credentials/);
});
