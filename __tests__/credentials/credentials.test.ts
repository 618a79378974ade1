import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import {
  CredentialsError,
  MissingCredentialsError,
  resolveCredentials,
  type CredentialsDeps,
  type CredentialsInput,
  type Environment,
} from '../../src/credentials/index.js';
import { startRecordingServer } from './sts-server.js';

const ROLE = 'acs:ram::1234567890123456:role/github-deployer';
const PROVIDER = 'acs:ram::1234567890123456:oidc-provider/github';
// A JWT-shaped token: header.payload.signature.
const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJnaXRodWIiLCJleHAiOjk5OTk5OTk5OTl9.c2lnbmF0dXJl';

/** Deps that record what was masked and which audience was asked for. */
function fakeDeps(overrides: Partial<CredentialsDeps> = {}) {
  const masked: string[] = [];
  const audiences: string[] = [];
  const deps: CredentialsDeps = {
    setSecret: (value) => masked.push(value),
    getIDToken: (audience) => {
      audiences.push(audience);
      return Promise.resolve(ID_TOKEN);
    },
    ...overrides,
  };
  return { deps, masked, audiences };
}

async function resolve(input: CredentialsInput, env: Environment, deps = fakeDeps().deps) {
  return resolveCredentials(input, env, deps);
}

void describe('sources', () => {
  const cases: {
    name: string;
    input?: CredentialsInput;
    env: Environment;
    alias?: string;
    expected: object;
  }[] = [
    {
      name: 'inputs',
      input: { accessKeyId: 'LTAIinput', accessKeySecret: 'secret-input', securityToken: 'token-input' },
      env: {},
      expected: {
        accessKeyId: 'LTAIinput',
        accessKeySecret: 'secret-input',
        securityToken: 'token-input',
        source: 'inputs',
      },
    },
    {
      name: 'ALIBABA_CLOUD_*',
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.a',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret-a',
        ALIBABA_CLOUD_SECURITY_TOKEN: 'token-a',
      },
      expected: {
        accessKeyId: 'STS.a',
        accessKeySecret: 'secret-a',
        securityToken: 'token-a',
        source: 'ALIBABA_CLOUD_* environment',
      },
    },
    {
      name: 'ALICLOUD_*',
      env: {
        ALICLOUD_ACCESS_KEY: 'STS.b',
        ALICLOUD_SECRET_KEY: 'secret-b',
        ALICLOUD_SECURITY_TOKEN: 'token-b',
      },
      expected: {
        accessKeyId: 'STS.b',
        accessKeySecret: 'secret-b',
        securityToken: 'token-b',
        source: 'ALICLOUD_* environment',
      },
    },
    {
      name: 'ALIBABACLOUD_*',
      env: { ALIBABACLOUD_ACCESS_KEY_ID: 'LTAIc', ALIBABACLOUD_ACCESS_KEY_SECRET: 'secret-c' },
      expected: { accessKeyId: 'LTAIc', accessKeySecret: 'secret-c', source: 'ALIBABACLOUD_* environment' },
    },
    {
      name: 'Serverless Devs variables',
      env: { AccountID: '1111', AccessKeyID: 'LTAId', AccessKeySecret: 'secret-d' },
      expected: {
        accessKeyId: 'LTAId',
        accessKeySecret: 'secret-d',
        accountId: '1111',
        source: 'Serverless Devs AccountID/AccessKeyID/AccessKeySecret environment',
      },
    },
    {
      name: 'default_serverless_devs_key',
      env: {
        default_serverless_devs_key: JSON.stringify({
          AccountID: 2222,
          AccessKeyID: 'LTAIe',
          AccessKeySecret: 'secret-e',
          SecurityToken: 'token-e',
        }),
      },
      expected: {
        accessKeyId: 'LTAIe',
        accessKeySecret: 'secret-e',
        securityToken: 'token-e',
        accountId: '2222',
        source: 'default_serverless_devs_key',
      },
    },
    {
      name: 'the s.yaml alias',
      alias: 'prod',
      env: {
        default_serverless_devs_key: '{"AccessKeyID":"wrong","AccessKeySecret":"wrong"}',
        prod_serverless_devs_key: '{"AccessKeyID":"LTAIf","AccessKeySecret":"secret-f"}',
      },
      expected: { accessKeyId: 'LTAIf', accessKeySecret: 'secret-f', source: 'prod_serverless_devs_key' },
    },
    {
      name: 'the CI alias override',
      alias: 'prod',
      env: {
        GITHUB_ACTIONS: 'true',
        serverless_devs_access_cicd_alias_name: 'ci',
        ci_serverless_devs_key: '{"AccessKeyID":"LTAIg","AccessKeySecret":"secret-g"}',
      },
      expected: { accessKeyId: 'LTAIg', accessKeySecret: 'secret-g', source: 'ci_serverless_devs_key' },
    },
    {
      name: 'AccountID added to another source',
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIh',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret-h',
        AccountID: '3333',
      },
      expected: {
        accessKeyId: 'LTAIh',
        accessKeySecret: 'secret-h',
        accountId: '3333',
        source: 'ALIBABA_CLOUD_* environment',
      },
    },
  ];
  for (const { name, input = {}, env, alias, expected } of cases) {
    void test(name, async () => {
      const { deps, masked } = fakeDeps({ alias });
      const credentials = await resolve(input, env, deps);
      assert.deepEqual(credentials, expected);
      const values = [credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken];
      for (const value of values.filter(Boolean)) assert.ok(masked.includes(value!), `${value} is masked`);
    });
  }

  void test('blank inputs count as not given', async () => {
    const credentials = await resolve(
      { accessKeyId: '', accessKeySecret: '  ', roleToAssume: '', oidcProviderArn: '' },
      { ALICLOUD_ACCESS_KEY: 'LTAIx', ALICLOUD_SECRET_KEY: 'secret-x' },
    );
    assert.equal(credentials.source, 'ALICLOUD_* environment');
  });
});

void describe('precedence', () => {
  // One complete set per source, highest precedence first.
  const layers: Environment[] = [
    { ALIBABA_CLOUD_ACCESS_KEY_ID: 'id1', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret1' },
    { ALICLOUD_ACCESS_KEY: 'id2', ALICLOUD_SECRET_KEY: 'secret2' },
    { ALIBABACLOUD_ACCESS_KEY_ID: 'id3', ALIBABACLOUD_ACCESS_KEY_SECRET: 'secret3' },
    { AccountID: '4444', AccessKeyID: 'id4', AccessKeySecret: 'secret4' },
    { default_serverless_devs_key: '{"AccessKeyID":"id5","AccessKeySecret":"secret5"}' },
  ];
  const everything: Environment = Object.assign({}, ...layers);

  void test('inputs beat OIDC and every environment source', async () => {
    const { deps, audiences } = fakeDeps();
    const credentials = await resolve(
      { accessKeyId: 'id0', accessKeySecret: 'secret0', roleToAssume: ROLE, oidcProviderArn: PROVIDER },
      everything,
      deps,
    );
    assert.equal(credentials.accessKeyId, 'id0');
    assert.deepEqual(audiences, [], 'no OIDC token requested');
  });

  void test('environment sources in the documented order', async () => {
    const seen = [];
    for (let first = 0; first < layers.length; first++) {
      seen.push((await resolve({}, Object.assign({}, ...layers.slice(first)))).accessKeyId);
    }
    assert.deepEqual(seen, ['id1', 'id2', 'id3', 'id4', 'id5']);
  });
});

void describe('errors', () => {
  void test('no credentials: one error listing every way to provide them', async () => {
    await assert.rejects(resolve({}, { AccountID: '123' }), (error: Error) => {
      assert.ok(error instanceof MissingCredentialsError);
      for (const name of [
        'access-key-id',
        'access-key-secret',
        'security-token',
        'role-to-assume',
        'oidc-provider-arn',
        'id-token: write',
        'ALIBABA_CLOUD_ACCESS_KEY_ID',
        'ALIBABA_CLOUD_SECURITY_TOKEN',
        'ALICLOUD_ACCESS_KEY',
        'ALIBABACLOUD_ACCESS_KEY_SECRET',
        'AccessKeyID',
        'default_serverless_devs_key',
      ]) {
        assert.ok(error.message.includes(name), `mentions ${name}:\n${error.message}`);
      }
      return true;
    });
  });

  const halves: { name: string; input?: CredentialsInput; env?: Environment; missing: string }[] = [
    { name: 'input id without secret', input: { accessKeyId: 'id' }, missing: 'access-key-secret not set' },
    {
      name: 'input token alone',
      input: { securityToken: 'tok' },
      missing: 'access-key-id, access-key-secret not set',
    },
    {
      name: 'env secret without id',
      env: { ALICLOUD_SECRET_KEY: 'secret' },
      missing: 'ALICLOUD_ACCESS_KEY not set',
    },
    {
      name: 'Serverless Devs pair without AccountID',
      env: { AccessKeyID: 'id', AccessKeySecret: 'secret' },
      missing: 'AccountID not set',
    },
    {
      name: 'alias JSON without secret',
      env: { default_serverless_devs_key: '{"AccessKeyID":"id"}' },
      missing: 'default_serverless_devs_key.AccessKeySecret not set',
    },
    { name: 'role without provider', input: { roleToAssume: ROLE }, missing: 'needs both oidc-provider-arn' },
    {
      name: 'provider without role',
      input: { oidcProviderArn: PROVIDER },
      missing: 'needs both role-to-assume',
    },
  ];
  for (const { name, input = {}, env = {}, missing } of halves) {
    void test(`half-given: ${name}`, async () => {
      await assert.rejects(resolve(input, env), (error: Error) => {
        assert.ok(error instanceof CredentialsError);
        // Only "nothing given at all" lets `plan` go on without credentials.
        assert.ok(!(error instanceof MissingCredentialsError), error.name);
        assert.ok(error.message.includes(missing), error.message);
        return true;
      });
    });
  }

  void test('a half-given secret is masked before the error', async () => {
    const { deps, masked } = fakeDeps();
    await assert.rejects(resolve({ accessKeySecret: 'lonely-secret' }, {}, deps), CredentialsError);
    assert.deepEqual(masked, ['lonely-secret']);
  });

  void test('alias JSON that does not parse is reported without its value', async () => {
    await assert.rejects(
      resolve({}, { default_serverless_devs_key: '{"AccessKeyID": "leaky' }),
      (error: Error) => {
        assert.match(error.message, /default_serverless_devs_key is not valid JSON/);
        assert.ok(!error.message.includes('leaky'));
        return true;
      },
    );
  });

  const oidcInputs = { roleToAssume: ROLE, oidcProviderArn: PROVIDER };
  const invalid: { name: string; input: CredentialsInput; message: RegExp }[] = [
    {
      name: 'role ARN',
      input: { ...oidcInputs, roleToAssume: 'github-deployer' },
      message: /not a RAM role ARN/,
    },
    {
      name: 'provider ARN',
      input: { ...oidcInputs, oidcProviderArn: ROLE },
      message: /not an OIDC provider ARN/,
    },
    {
      name: 'session name',
      input: { ...oidcInputs, roleSessionName: 'has space' },
      message: /2-64 characters/,
    },
    { name: 'duration', input: { ...oidcInputs, sessionDuration: 60 }, message: /from 900 to 43200/ },
  ];
  for (const { name, input, message } of invalid) {
    void test(`OIDC: invalid ${name}`, async () => {
      await assert.rejects(resolve(input, {}), message);
    });
  }

  void test('OIDC outside GitHub Actions, or without id-token permission', async () => {
    await assert.rejects(
      resolve(oidcInputs, {}, fakeDeps({ getIDToken: undefined }).deps),
      /only a GitHub Actions job/,
    );
    const denied = fakeDeps({
      getIDToken: () => Promise.reject(new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable')),
    });
    await assert.rejects(
      resolve(oidcInputs, {}, denied.deps),
      /ACTIONS_ID_TOKEN_REQUEST_URL[\s\S]*id-token: write/,
    );
  });
});

void describe('OIDC: the request on the wire (STS behaviour is tested against the emulator)', () => {
  const issued = {
    AccessKeyId: 'STS.issued',
    AccessKeySecret: 'issued-secret',
    SecurityToken: 'issued-token',
  };

  void test('sends an anonymous RPC AssumeRoleWithOIDC and returns the temporary keys', async () => {
    const sts = await startRecordingServer(() => ({
      status: 200,
      body: { RequestId: 'req-1', Credentials: { ...issued, Expiration: '2030-01-01T00:00:00Z' } },
    }));
    const { deps, masked, audiences } = fakeDeps();
    const credentials = await resolve(
      { ...{ roleToAssume: ROLE, oidcProviderArn: PROVIDER }, audience: 'my-aud', stsEndpoint: sts.endpoint },
      {},
      deps,
    );
    assert.deepEqual(credentials, {
      accessKeyId: 'STS.issued',
      accessKeySecret: 'issued-secret',
      securityToken: 'issued-token',
      accountId: '1234567890123456',
      source: `OIDC role ${ROLE}`,
    });
    assert.deepEqual(audiences, ['my-aud']);
    assert.deepEqual(masked, [ID_TOKEN, 'STS.issued', 'issued-secret', 'issued-token']);

    const [request] = sts.requests;
    assert.equal(request?.method, 'POST');
    const query = request!.url.searchParams;
    assert.equal(query.get('Action'), 'AssumeRoleWithOIDC');
    assert.equal(query.get('Version'), '2015-04-01');
    assert.equal(query.get('RoleArn'), ROLE);
    assert.equal(query.get('OIDCProviderArn'), PROVIDER);
    assert.equal(query.get('RoleSessionName'), 'agentrun-deploy');
    assert.equal(query.get('DurationSeconds'), '3600');
    assert.equal(query.get('Signature'), null, 'anonymous: not signed');
    assert.equal(request!.headers.authorization, undefined);
    assert.equal(request!.form.get('OIDCToken'), ID_TOKEN);
    assert.ok(!request!.url.href.includes(ID_TOKEN), 'the token stays out of the URL');
  });

  void test('an unreachable endpoint says so', async () => {
    // A port that was just free: nothing listens there.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((done) => server.close(done));
    await assert.rejects(
      resolve({ roleToAssume: ROLE, oidcProviderArn: PROVIDER, stsEndpoint: `http://127.0.0.1:${port}` }, {}),
      new RegExp(`Could not reach STS at http://127\\.0\\.0\\.1:${port}`),
    );
  });

  void test('a success without credentials is an error, not undefined keys', async () => {
    const sts = await startRecordingServer(() => ({ status: 200, body: { RequestId: 'req-3' } }));
    await assert.rejects(
      resolve({ roleToAssume: ROLE, oidcProviderArn: PROVIDER, stsEndpoint: sts.endpoint }, {}),
      /returned no Credentials\.AccessKeyId/,
    );
  });
});
