import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StsError, resolveCredentials, type CredentialsDeps } from '../../src/credentials/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';

const ROLE = 'acs:ram::1234567890123456:role/github-deployer';
const PROVIDER = 'acs:ram::1234567890123456:oidc-provider/github';

/** A JWT-shaped GitHub token: the emulator checks shape, `iss` and `exp`, not the signature. */
function githubToken(expiresInSeconds: number): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: 'https://token.actions.githubusercontent.com',
    aud: 'sts.aliyuncs.com',
    sub: 'repo:acme/agent:ref:refs/heads/main',
    iat: now - 60,
    exp: now + expiresInSeconds,
  };
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

void describe('OIDC against the emulator', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.stop());

  const deps = (token: string, masked: string[] = []): CredentialsDeps => ({
    getIDToken: () => Promise.resolve(token),
    setSecret: (value) => masked.push(value),
  });

  void test('exchanges the GitHub token for STS credentials', async () => {
    const masked: string[] = [];
    const credentials = await resolveCredentials(
      { roleToAssume: ROLE, oidcProviderArn: PROVIDER, stsEndpoint: emulator.endpoint, sessionDuration: 900 },
      {},
      deps(githubToken(600), masked),
    );
    assert.match(credentials.accessKeyId, /^STS\./);
    assert.ok(credentials.accessKeySecret && credentials.securityToken);
    assert.equal(credentials.accountId, '1234567890123456');
    assert.equal(credentials.source, `OIDC role ${ROLE}`);
    for (const value of [credentials.accessKeyId, credentials.accessKeySecret, credentials.securityToken!]) {
      assert.ok(masked.includes(value));
    }
  });

  void test('reports a refused token with the STS code and request id', async () => {
    await assert.rejects(
      resolveCredentials(
        { roleToAssume: ROLE, oidcProviderArn: PROVIDER, stsEndpoint: emulator.endpoint },
        {},
        deps(githubToken(-60)),
      ),
      (error: Error) => {
        assert.ok(error instanceof StsError, error.message);
        assert.equal(error.code, 'AuthenticationFail.OIDCToken.Expired');
        assert.equal(error.statusCode, 400);
        assert.ok(error.requestId && error.message.includes(error.requestId), error.message);
        for (const part of ['oidc:aud', 'oidc:sub', PROVIDER])
          assert.ok(error.message.includes(part), error.message);
        return true;
      },
    );
  });
});
