// The bundled action with GitHub OIDC: the Actions toolkit fetches the job's ID token from a local
// server playing GitHub's token service, and the action exchanges it at the emulator's STS.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import {
  ask,
  remoteState,
  requestsSince,
  runAction,
  startTokenServer,
  tempProject,
  type Inputs,
  type Project,
  type TokenServer,
} from './helpers.js';

const ROLE = 'acs:ram::1234567890123456:role/github-deployer';
const PROVIDER = 'acs:ram::1234567890123456:oidc-provider/github';

void describe('OIDC through the bundled action', () => {
  let emulator: Emulator;
  let tokens: TokenServer;
  let project: Project;
  let inputs: Inputs;

  before(async () => {
    // The account the role belongs to: Function Compute's code bucket checks the account it is named for.
    emulator = await startEmulator({ delayMs: 50, accountId: '1234567890123456' });
    tokens = await startTokenServer();
    project = await tempProject('single');
    inputs = {
      'api-endpoint': emulator.endpoint,
      'role-to-assume': ROLE,
      'oidc-provider-arn': PROVIDER,
      'sts-endpoint': emulator.endpoint,
      'session-duration': '15m',
    };
  });
  after(async () => {
    await Promise.all([emulator.stop(), tokens.stop()]);
    await project.remove();
  });

  void test('exchanges the job token at STS and deploys with the temporary key', async () => {
    const run = await runAction(project.dir, inputs, {
      ACTIONS_ID_TOKEN_REQUEST_URL: tokens.url,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: tokens.requestToken,
    });
    assert.equal(run.code, 0, [...run.lines, run.stderr].join('\n'));

    assert.equal(tokens.issued.length, 1);
    assert.equal(tokens.issued[0]!.audience, 'sts.aliyuncs.com', 'the default audience');
    const [sts, ...agentRunCalls] = emulator.requestLog();
    assert.deepEqual(sts && { action: sts.action, status: sts.status, path: sts.path }, {
      action: 'AssumeRoleWithOIDC',
      status: 200,
      path: '/',
    });
    assert.ok(agentRunCalls.length > 0 && agentRunCalls.every((entry) => entry.status === 200));
    assert.ok(run.lines.includes(`Credentials: OIDC role ${ROLE}`), run.lines.join('\n'));

    // The job token is a credential: registered as a mask, never printed.
    const token = tokens.issued[0]!.token;
    assert.ok(run.lines.includes(`::add-mask::${token}`));
    assert.deepEqual(
      run.lines.filter((line) => line.includes(token) && !line.startsWith('::add-mask::')),
      [],
    );

    const [runtime] = await remoteState(emulator);
    assert.equal(run.outputs['runtime-id'], runtime?.agentRuntimeId);
    assert.equal((await ask(run.outputs.url!, 'via oidc')).status, 200);
  });

  void test('an s.yaml error is reported before the token is exchanged at STS', async () => {
    const broken = await tempProject('bad-region');
    try {
      const since = emulator.requestLog().length;
      const run = await runAction(broken.dir, inputs, {
        ACTIONS_ID_TOKEN_REQUEST_URL: tokens.url,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: tokens.requestToken,
      });
      assert.equal(run.code, 1);
      assert.ok(run.lines.some((line) => line.startsWith('::error file=s.yaml,line=10,')));
      assert.deepEqual(requestsSince(emulator, since), []);
      assert.equal(tokens.issued.length, 1, 'no token fetched beyond the first test');
    } finally {
      await broken.remove();
    }
  });

  void test('without `id-token: write` the run fails saying so, before any API call', async () => {
    const since = emulator.requestLog().length;
    // The runner sets ACTIONS_ID_TOKEN_REQUEST_URL only for jobs with that permission.
    const run = await runAction(project.dir, inputs, {});
    assert.equal(run.code, 1);
    const errors = run.lines.filter((line) => line.startsWith('::error::'));
    assert.equal(errors.length, 1, run.lines.join('\n'));
    assert.match(errors[0]!, /Could not get a GitHub OIDC token for audience "sts\.aliyuncs\.com"/);
    assert.match(errors[0]!, /permissions: id-token: write/);
    assert.deepEqual(requestsSince(emulator, since), []);
  });
});
