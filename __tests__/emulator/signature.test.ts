import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { agentRun, failure, pythonAgentZip, runtimeBody, sts, type Credentials } from './helpers.js';

const RUNTIMES = '/2025-09-10/agents/runtimes';
const ROLE = 'acs:ram::1000000000000001:role/deployer';
const PROVIDER = 'acs:ram::1000000000000001:oidc-provider/github';

function jwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}
const now = () => Math.floor(Date.now() / 1000);
const githubToken = () =>
  jwt({
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:acme/agent:ref:refs/heads/main',
    aud: 'sts.aliyuncs.com',
    iat: now(),
    exp: now() + 600,
  });

/** Forwards requests unchanged except for the body, like an attacker on the wire. */
async function tamperingProxy(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks)));
  });
  const forward = (req: IncomingMessage, res: ServerResponse, original: Buffer): void => {
    const body = Buffer.from(original.toString().replace('"cpu":1', '"cpu":9'));
    const url = new URL(target);
    const headers = { ...req.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const upstream = request(
      { host: url.hostname, port: url.port, path: req.url, method: req.method, headers },
      (response) => {
        res.writeHead(response.statusCode ?? 500, response.headers);
        response.pipe(res);
      },
    );
    upstream.end(body);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('signature and STS', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ maxStsTokenTtlMs: 1500 });
  });
  after(() => emulator.stop());

  /** STS keys as the control plane must take them: it answers a signed call made with them. */
  async function acceptedTemporaryKeys(credentials: Record<string, string>): Promise<Credentials> {
    const temporary: Credentials = {
      accessKeyId: credentials.AccessKeyId!,
      accessKeySecret: credentials.AccessKeySecret!,
      securityToken: credentials.SecurityToken!,
    };
    const answer = await agentRun(emulator.endpoint, temporary)('ListAgentRuntimes', 'GET', RUNTIMES);
    assert.equal(answer.code, 'SUCCESS');
    return temporary;
  }

  it('accepts the official client and ships a demo key that does not look like a real one', async () => {
    const list = await agentRun(emulator)('ListAgentRuntimes', 'GET', RUNTIMES, {
      query: { pageSize: '10' },
    });
    assert.equal(list.code, 'SUCCESS');
    assert.doesNotMatch(emulator.credentials.accessKeyId, /LTAI[0-9A-Za-z]{12,}/);
    assert.doesNotMatch(emulator.credentials.accessKeySecret, /LTAI[0-9A-Za-z]{12,}/);
  });

  it('rejects an unknown key id, a wrong secret and a tampered body', async () => {
    const unknown = await failure(
      agentRun(emulator.endpoint, { accessKeyId: 'nobody', accessKeySecret: 'x' })(
        'ListAgentRuntimes',
        'GET',
        RUNTIMES,
      ),
    );
    assert.equal(unknown.code, 'InvalidAccessKeyId.NotFound');
    assert.equal(unknown.statusCode, 404);

    const madeUpToken = await failure(
      agentRun(emulator.endpoint, { ...emulator.credentials, securityToken: 'CAISmadeup' })(
        'ListAgentRuntimes',
        'GET',
        RUNTIMES,
      ),
    );
    assert.equal(madeUpToken.code, 'InvalidSecurityToken.MismatchWithAccessKey');
    assert.equal(madeUpToken.statusCode, 400);

    const wrongSecret = await failure(
      agentRun(emulator.endpoint, { ...emulator.credentials, accessKeySecret: 'wrong' })(
        'ListAgentRuntimes',
        'GET',
        RUNTIMES,
        {
          query: { pageNumber: '1' },
        },
      ),
    );
    assert.equal(wrongSecret.code, 'SignatureDoesNotMatch');
    assert.match(
      wrongSecret.data.message as string,
      /server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/,
    );

    const proxy = await tamperingProxy(emulator.endpoint);
    try {
      const port = (proxy.address() as AddressInfo).port;
      const tampered = await failure(
        agentRun(`http://127.0.0.1:${port}`, emulator.credentials)('CreateAgentRuntime', 'POST', RUNTIMES, {
          body: runtimeBody('tampered', pythonAgentZip()),
        }),
      );
      assert.equal(tampered.code, 'SignatureDoesNotMatch');
      assert.match(tampered.data.message as string, /x-acs-content-sha256/);
    } finally {
      proxy.close();
    }
    assert.ok(emulator.requestLog().some((e) => e.action === 'CreateAgentRuntime' && e.status === 400));
  });

  it('issues STS keys with AssumeRoleWithOIDC that the control plane accepts until they expire', async () => {
    const response = await sts(emulator.endpoint, 'AssumeRoleWithOIDC', {
      OIDCProviderArn: PROVIDER,
      RoleArn: ROLE,
      OIDCToken: githubToken(),
      RoleSessionName: 'github-actions',
      DurationSeconds: '900',
    });
    const credentials = response.Credentials as Record<string, string>;
    assert.match(credentials.AccessKeyId!, /^STS\./);
    assert.match(credentials.Expiration!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(Object.keys(response).sort(), [
      'AssumedRoleUser',
      'Credentials',
      'OIDCTokenInfo',
      'RequestId',
    ]);
    assert.equal(
      (response.OIDCTokenInfo as Record<string, string>).Issuer,
      'https://token.actions.githubusercontent.com',
    );
    assert.match(
      (response.AssumedRoleUser as Record<string, string>).Arn!,
      /role\/deployer\/github-actions$/,
    );

    const temporary = await acceptedTemporaryKeys(credentials);
    const noToken = await failure(
      agentRun(emulator.endpoint, { ...temporary, securityToken: undefined })(
        'ListAgentRuntimes',
        'GET',
        RUNTIMES,
      ),
    );
    assert.equal(noToken.code, 'MissingSecurityToken');
    await sleep(Date.parse(credentials.Expiration!) - Date.now() + 1100);
    const expired = await failure(
      agentRun(emulator.endpoint, temporary)('ListAgentRuntimes', 'GET', RUNTIMES),
    );
    assert.equal(expired.code, 'InvalidSecurityToken.Expired');
  });

  it('validates AssumeRoleWithOIDC parameters and tokens', async () => {
    const base = {
      OIDCProviderArn: PROVIDER,
      RoleArn: ROLE,
      OIDCToken: githubToken(),
      RoleSessionName: 'gha',
    };
    const cases: [Record<string, string>, string][] = [
      [{ ...base, RoleArn: '' }, 'MissingRoleArn'],
      [{ ...base, RoleArn: 'deployer' }, 'InvalidParameter.RoleArn'],
      [{ ...base, OIDCToken: 'not-a-jwt' }, 'AuthenticationFail.OIDCToken.Invalid'],
      [{ ...base, OIDCToken: jwt({ iss: 'x', exp: now() - 10 }) }, 'AuthenticationFail.OIDCToken.Expired'],
      [{ ...base, DurationSeconds: '60' }, 'InvalidParameter.DurationSeconds'],
    ];
    for (const [query, code] of cases) {
      const error = await failure(sts(emulator.endpoint, 'AssumeRoleWithOIDC', query));
      assert.equal(error.code, code);
      assert.equal(error.statusCode, 400);
      assert.equal(typeof error.data.RequestId, 'string');
    }
  });

  it('supports a signed AssumeRole and refuses it unsigned', async () => {
    const response = await sts(
      emulator.endpoint,
      'AssumeRole',
      { RoleArn: ROLE, RoleSessionName: 'deploy' },
      emulator.credentials,
    );
    await acceptedTemporaryKeys(response.Credentials as Record<string, string>);
    const unsigned = await failure(
      sts(emulator.endpoint, 'AssumeRole', { RoleArn: ROLE, RoleSessionName: 'deploy' }),
    );
    assert.match(unsigned.code, /^Missing/);
    const madeUpToken = await failure(
      sts(
        emulator.endpoint,
        'AssumeRole',
        { RoleArn: ROLE, RoleSessionName: 'deploy' },
        { ...emulator.credentials, securityToken: 'CAISmadeup' },
      ),
    );
    assert.equal(madeUpToken.code, 'InvalidSecurityToken.MismatchWithAccessKey');
  });
});
