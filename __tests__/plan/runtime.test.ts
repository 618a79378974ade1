import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildRuntimeInput } from '../../src/plan/runtime.js';
import { PlanError } from '../../src/plan/types.js';
import { CODE, propsOf } from './helpers.js';

void describe('buildRuntimeInput', () => {
  void it('builds the minimal code body, leaving the sizes the file omits to the service, with an explicit PUBLIC network', () => {
    assert.deepEqual(buildRuntimeInput(propsOf({ name: 'my-agent', code: CODE })), {
      agentRuntimeName: 'my-agent',
      description: '',
      artifactType: 'Code',
      codeConfiguration: { language: 'python3.12', command: ['python3', 'main.py'] },
      networkConfiguration: { networkMode: 'PUBLIC' },
      environmentVariables: {},
    });
  });

  void it('sends each size and limit the file sets, under its API name', () => {
    const agent = {
      name: 'sized',
      code: CODE,
      cpu: 2,
      memory: 4096,
      diskSize: 10240,
      port: 9000,
      instanceConcurrency: 50,
      sessionIdleTimeoutSeconds: 600,
    };
    const body = buildRuntimeInput(propsOf(agent));
    assert.deepEqual([body.cpu, body.memory, body.diskSize, body.port], [2, 4096, 10240, 9000]);
    assert.deepEqual([body.sessionConcurrencyLimitPerInstance, body.sessionIdleTimeoutSeconds], [50, 600]);
    const onlyPort = buildRuntimeInput(propsOf({ name: 'p', code: CODE, port: 9000 }));
    assert.deepEqual(
      ['cpu', 'memory', 'diskSize', 'port'].filter((field) => field in onlyPort),
      ['port'],
    );
  });

  void it('maps a container image, sending optional fields only when set', () => {
    const body = buildRuntimeInput(
      propsOf({
        name: 'c',
        customContainerConfig: {
          image: 'reg/ns/app:1',
          imageRegistryType: 'ACREE',
          acrInstanceId: 'cri-abc',
          port: 9000,
        },
      }),
    );
    assert.equal(body.artifactType, 'Container');
    assert.equal(body.codeConfiguration, undefined);
    assert.deepEqual(body.containerConfiguration, {
      image: 'reg/ns/app:1',
      imageRegistryType: 'ACREE',
      acrInstanceId: 'cri-abc',
      port: 9000,
    });
  });

  void it('puts OSS code names and a user checksum straight into codeConfiguration', () => {
    const code = {
      ossBucketName: 'b',
      ossObjectName: 'a/v1.zip',
      language: 'nodejs20',
      command: ['node', 'index.js'],
      checksum: '123',
    };
    assert.deepEqual(buildRuntimeInput(propsOf({ name: 'o', code })).codeConfiguration, {
      language: 'nodejs20',
      command: ['node', 'index.js'],
      ossBucketName: 'b',
      ossObjectName: 'a/v1.zip',
      checksum: '123',
    });
  });

  void describe('network mode (component rule)', () => {
    const vpcConfig = { vpcId: 'vpc-1', vSwitchIds: 'vsw-1', securityGroupId: 'sg-1' };
    const vpc = { vpcId: 'vpc-1', vswitchIds: ['vsw-1'], securityGroupId: 'sg-1' };
    const cases: { name: string; agent: Record<string, unknown>; expected: unknown }[] = [
      { name: 'nothing set → PUBLIC', agent: {}, expected: { networkMode: 'PUBLIC' } },
      {
        name: 'internetAccess false → PRIVATE',
        agent: { internetAccess: false },
        expected: { networkMode: 'PRIVATE' },
      },
      {
        name: 'VPC → PUBLIC_AND_PRIVATE',
        agent: { vpcConfig },
        expected: { networkMode: 'PUBLIC_AND_PRIVATE', ...vpc },
      },
      {
        name: 'VPC without internet → PRIVATE',
        agent: { vpcConfig, internetAccess: false },
        expected: { networkMode: 'PRIVATE', ...vpc },
      },
    ];
    for (const { name, agent, expected } of cases) {
      void it(name, () =>
        assert.deepEqual(
          buildRuntimeInput(propsOf({ name: 'n', code: CODE, ...agent })).networkConfiguration,
          expected,
        ),
      );
    }
  });

  void describe('execution role', () => {
    void it('keeps a full ARN', () => {
      const body = buildRuntimeInput(propsOf({ name: 'n', code: CODE, role: 'acs:ram::1:role/R' }));
      assert.equal(body.executionRoleArn, 'acs:ram::1:role/R');
    });
    void it('expands a bare role name with the account id', () => {
      const body = buildRuntimeInput(propsOf({ name: 'n', code: CODE, role: 'AgentRole' }), {
        accountId: '42',
      });
      assert.equal(body.executionRoleArn, 'acs:ram::42:role/AgentRole');
    });
    void it('refuses a bare role name when the account is unknown', () => {
      assert.throws(
        () => buildRuntimeInput(propsOf({ name: 'n', code: CODE, role: 'AgentRole' })),
        (error: unknown) => error instanceof PlanError && error.path.join('.') === 'agent.role',
      );
    });
  });

  void describe('log configuration', () => {
    void it('passes { project, logstore } through', () => {
      const body = buildRuntimeInput(
        propsOf({ name: 'n', code: CODE, logConfig: { project: 'p', logstore: 'l' } }),
      );
      assert.deepEqual(body.logConfiguration, { project: 'p', logstore: 'l' });
    });
    void it('names the component-created SLS project for auto', () => {
      const body = buildRuntimeInput(propsOf({ name: 'n', code: CODE, logConfig: 'auto' }, 'cn-shanghai'), {
        accountId: '42',
      });
      assert.deepEqual(body.logConfiguration, {
        project: 'aliyun-serverless-42-cn-shanghai',
        logstore: 'default-logs',
      });
    });
    void it('leaves auto without the account id to the deploy, which reads it from STS', () => {
      const body = buildRuntimeInput(propsOf({ name: 'n', code: CODE, logConfig: 'auto' }));
      assert.equal(body.logConfiguration, undefined);
    });
  });

  void it('fills health check defaults but keeps an explicit 0', () => {
    const body = buildRuntimeInput(
      propsOf({
        name: 'n',
        code: CODE,
        healthCheckConfiguration: { initialDelaySeconds: 0, periodSeconds: 10 },
      }),
    );
    assert.deepEqual(body.healthCheckConfiguration, {
      httpGetUrl: '/health',
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
      successThreshold: 1,
    });
  });

  void it('fills protocol type HTTP and empty settings when the block is present', () => {
    const body = buildRuntimeInput(propsOf({ name: 'n', code: CODE, protocolConfiguration: {} }));
    assert.deepEqual(body.protocolConfiguration, { type: 'HTTP', protocolSettings: [] });
  });

  void it('renames the component props to API fields', () => {
    const body = buildRuntimeInput(
      propsOf({
        name: 'n',
        code: CODE,
        instanceConcurrency: 50,
        sessionIdleTimeoutSeconds: 60,
        environmentVariables: { A: 'b' },
      }),
    );
    assert.equal(body.sessionConcurrencyLimitPerInstance, 50);
    assert.equal(body.sessionIdleTimeoutSeconds, 60);
    assert.deepEqual(body.environmentVariables, { A: 'b' });
  });
});
