import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError, formatProblem, type KeyPath, type SourcePosition } from '../../src/config/types.js';
import { buildPlan, planToJson, renderPlan, type PlanSpec } from '../../src/plan/index.js';
import { CODE } from './helpers.js';

/** A spec whose every key sits on its own line, in the order the paths are listed. */
function spec(resources: PlanSpec['resources'], secretValues: string[] = []): PlanSpec {
  const lines = new Map<string, number>();
  const locate = (path: KeyPath): SourcePosition | undefined => {
    const key = path.join('.');
    if (!lines.has(key)) return undefined;
    return { file: 's.yaml', line: lines.get(key) ?? 0, col: 1 };
  };
  resources.forEach((resource, index) => {
    lines.set(`resources.${resource.name}`, index * 100 + 1);
    lines.set(`resources.${resource.name}.props.agent.role`, index * 100 + 50);
  });
  return { resources, secretValues, locate };
}

const agentrun = (name: string, agent: Record<string, unknown>, region = 'cn-hangzhou') => ({
  name,
  component: 'agentrun',
  props: { region, agent: { code: CODE, ...agent } },
});

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  assert.fail('expected a ConfigError');
}

void describe('buildPlan', () => {
  void it('plans agentrun resources and lists the others as skipped', () => {
    const plan = buildPlan(
      spec([
        { name: 'db', component: 'fc3', props: { anything: true } },
        agentrun('agent', { name: 'a', endpoints: [{ name: 'prod' }] }),
        { ...agentrun('pinned', { name: 'b' }), component: 'agentrun@dev' },
      ]),
    );
    assert.deepEqual(
      plan.resources.map((r) => [
        r.resource,
        r.region,
        r.runtime.agentRuntimeName,
        r.endpoints.length,
        r.code,
      ]),
      [
        ['agent', 'cn-hangzhou', 'a', 1, { src: './code' }],
        ['pinned', 'cn-hangzhou', 'b', 0, { src: './code' }],
      ],
    );
    assert.deepEqual(plan.skipped, [{ resource: 'db', component: 'fc3' }]);
    assert.deepEqual(plan.warnings, []);
  });

  void it('reports the problems of every resource together, warnings included', () => {
    const problems = problemsOf(() =>
      buildPlan(
        spec([
          agentrun('one', { name: 'a', cpu: 99, extra: 1 }),
          agentrun('two', { name: 'b', role: 'BareRole' }),
          agentrun('three', { name: 'a' }),
        ]),
      ),
    );
    assert.deepEqual(problems, [
      's.yaml:1:1: resources.one.props.agent.cpu: expected a number from 0.05 to 16, got 99',
      's.yaml:1:1: resources.one.props.agent.extra: unknown key `extra` is ignored',
      's.yaml:150:1: resources.two.props.agent.role: role name "BareRole" needs the account id to become acs:ram::<account>:role/BareRole; write the full ARN, or set the AccountID variable',
    ]);
  });

  void it('rejects two resources deploying the same runtime in one region', () => {
    const problems = problemsOf(() =>
      buildPlan(spec([agentrun('one', { name: 'a' }), agentrun('two', { name: 'a' })])),
    );
    assert.deepEqual(problems, [
      's.yaml:101:1: resources.two.props.agent.name: expected a runtime name not used by another resource, got "a" (also resource `one` in cn-hangzhou)',
    ]);
    const regions = buildPlan(
      spec([agentrun('one', { name: 'a' }), agentrun('two', { name: 'a' }, 'cn-beijing')]),
    );
    assert.equal(regions.resources.length, 2);
  });

  void it('needs at least one agentrun resource', () => {
    const problems = problemsOf(() => buildPlan(spec([{ name: 'db', component: 'fc3', props: {} }])));
    assert.deepEqual(problems, ['resources: expected at least one resource with `component: agentrun`']);
  });

  void it('fills the auto log project and the workspace from the account id', () => {
    const plan = buildPlan(
      spec([agentrun('a', { name: 'a', logConfig: 'auto', workspace: { name: 'team' } })]),
      {
        accountId: '1234',
      },
    );
    const [resource] = plan.resources;
    assert.deepEqual(resource.autoLog, {
      project: 'aliyun-serverless-1234-cn-hangzhou',
      logstore: 'default-logs',
    });
    assert.deepEqual(resource.runtime.logConfiguration, resource.autoLog);
    assert.deepEqual(resource.workspace, { name: 'team' });
  });
});

void describe('showing the plan', () => {
  const secret = 'sk-live-0123456789';
  const plan = buildPlan(
    spec(
      [
        agentrun('agent', {
          name: 'a',
          environmentVariables: { API_KEY: secret, MODE: 'prod' },
          timeout: 60,
          endpoints: [{ name: 'prod' }],
        }),
        { name: 'web', component: 'fc3', props: {} },
      ],
      [secret],
    ),
  );

  void it('keeps the real value in the body for the deploy', () => {
    assert.equal(plan.resources[0].runtime.environmentVariables?.API_KEY, secret);
  });

  void it('masks secrets in the text and the JSON', () => {
    for (const text of [renderPlan(plan), planToJson(plan)]) {
      assert.ok(!text.includes(secret), text);
      assert.match(text, /"API_KEY": "\*\*\*"/);
      assert.match(text, /"MODE": "prod"/);
    }
  });

  void it('renders resources, endpoints and skipped resources; warnings are reported, not rendered', () => {
    const text = renderPlan(plan);
    assert.match(
      text,
      /^resource `agent` → runtime `a` in cn-hangzhou\n {2}code: \.\/code \(packaged and uploaded at deploy\)/,
    );
    assert.match(text, /\n {2}endpoint `prod` body:\n {4}\{/);
    assert.match(text, /\nresource `web` \(component fc3\): skipped/);
    assert.equal(plan.warnings.length, 1);
    assert.doesNotMatch(text, /timeout/);
  });

  void it('masks secrets in problem messages', () => {
    const problems = problemsOf(() =>
      buildPlan(spec([agentrun('a', { name: 'a', cpu: secret, role: secret })], [secret])),
    );
    assert.ok(problems.length > 0);
    assert.ok(
      problems.every((line) => !line.includes(secret)),
      problems.join('\n'),
    );
  });
});
