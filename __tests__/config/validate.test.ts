import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatProblem, type KeyPath, type SourcePosition } from '../../src/config/types.js';
import { validateResource } from '../../src/config/validate.js';

const AGENT = {
  name: 'my-agent',
  code: { src: './code', language: 'python3.12', command: ['python3', 'main.py'] },
};

/** Problems as `path: message` lines (no positions), for props with `agent` merged over a valid one. */
function problemsFor(agent: Record<string, unknown>, region: unknown = 'cn-hangzhou'): string[] {
  const result = validateResource(
    { name: 'a', props: { region, agent: { ...AGENT, ...agent } } },
    () => undefined,
  );
  return result.problems.map((problem) => `${problem.severity} ${formatProblem(problem)}`);
}

const P = 'resources.a.props.agent';

void describe('validateResource: one problem each', () => {
  const cases: { name: string; agent: Record<string, unknown>; region?: unknown; expected: string[] }[] = [
    {
      name: 'unknown region, with the list and a suggestion',
      agent: {},
      region: 'cn-hangzou',
      expected: [
        'error resources.a.props.region: expected an AgentRun region: cn-beijing, cn-hangzhou, cn-shanghai, cn-zhangjiakou, cn-shenzhen, cn-guangzhou, cn-chengdu, cn-hongkong, ap-southeast-1, ap-southeast-5, us-west-1, eu-west-1, eu-central-1, ap-northeast-1, got "cn-hangzou"; did you mean `cn-hangzhou`?',
      ],
    },
    {
      name: 'bad runtime name',
      agent: { name: '1-agent' },
      expected: [
        `error ${P}.name: expected a name of 1-128 letters, digits, _ or -, starting with a letter, got "1-agent"`,
      ],
    },
    {
      name: 'cpu too small',
      agent: { cpu: 0.01 },
      expected: [`error ${P}.cpu: expected a number from 0.05 to 16, got 0.01`],
    },
    {
      name: 'cpu as a string (no coercion, like the component)',
      agent: { cpu: '2' },
      expected: [
        `error ${P}.cpu: expected a number from 0.05 to 16, got "2"; values from \${env()} are strings: write \${env('NAME') * 1} for a number`,
      ],
    },
    {
      name: 'fractional memory reported once',
      agent: { memory: 100.5 },
      expected: [`error ${P}.memory: expected an integer from 128 to 32768, got 100.5`],
    },
    {
      name: 'disk size outside the enum',
      agent: { diskSize: 1024 },
      expected: [`error ${P}.diskSize: expected a disk size in MB: 512 or 10240, got 1024`],
    },
    {
      name: 'concurrency too high',
      agent: { instanceConcurrency: 201 },
      expected: [`error ${P}.instanceConcurrency: expected an integer from 1 to 200, got 201`],
    },
    {
      name: 'number as an environment value',
      agent: { environmentVariables: { PORT: 8000, OK: 'yes' } },
      expected: [
        `error ${P}.environmentVariables.PORT: expected a string (quote numbers and booleans, e.g. "8000"), got 8000`,
      ],
    },
    {
      name: 'role with a bad shape',
      agent: { role: 'acs:ram::12:role/' },
      expected: [
        `error ${P}.role: expected a RAM role ARN (acs:ram::<account>:role/<name>) or a role name, got "acs:ram::12:role/"`,
      ],
    },
    {
      name: 'unsupported language',
      agent: { code: { src: './code', language: 'custom' } },
      expected: [
        `error ${P}.code.language: expected one of python3.10, python3.12, nodejs18, nodejs20, java8, java11, java17, got "custom"`,
      ],
    },
    {
      name: 'code and container together',
      agent: { customContainerConfig: { image: 'registry.cn-hangzhou.aliyuncs.com/ns/app:1' } },
      expected: [
        `error ${P}.customContainerConfig: expected either \`code\` or \`customContainerConfig\`, not both`,
      ],
    },
    {
      name: 'neither code nor container',
      agent: { code: undefined },
      expected: [`error ${P}: expected \`code\` or \`customContainerConfig\``],
    },
    {
      name: 'src and OSS together',
      agent: { code: { src: './code', ossBucketName: 'b', ossObjectName: 'o.zip', language: 'python3.12' } },
      expected: [
        `error ${P}.code.src: expected either \`src\` or \`ossBucketName\` + \`ossObjectName\`, not both`,
      ],
    },
    {
      name: 'half an OSS location',
      agent: { code: { ossBucketName: 'b', language: 'python3.12' } },
      expected: [`error ${P}.code.ossObjectName: expected both \`ossBucketName\` and \`ossObjectName\``],
    },
    {
      name: 'ACREE without instance id',
      agent: {
        code: undefined,
        customContainerConfig: { image: 'x.cr.aliyuncs.com/ns/a:1', imageRegistryType: 'ACREE' },
      },
      expected: [
        `error ${P}.customContainerConfig.acrInstanceId: expected \`acrInstanceId\` (cri-…) when imageRegistryType is ACREE`,
      ],
    },
    {
      name: 'bad VPC ids',
      agent: { vpcConfig: { vpcId: 'vpc_1', vSwitchIds: ['vsw-1a', 'sw-2'], securityGroupId: 'sg1' } },
      expected: [
        `error ${P}.vpcConfig.vpcId: expected a VPC id like vpc-xxxx, got "vpc_1"`,
        `error ${P}.vpcConfig.vSwitchIds.1: expected a vSwitch id like vsw-xxxx, got "sw-2"`,
        `error ${P}.vpcConfig.securityGroupId: expected a security group id like sg-xxxx, got "sg1"`,
      ],
    },
    {
      name: 'empty vSwitch list',
      agent: { vpcConfig: { vpcId: 'vpc-1', vSwitchIds: [], securityGroupId: 'sg-1' } },
      expected: [`error ${P}.vpcConfig.vSwitchIds: expected a non-empty list of vSwitch ids, got a list`],
    },
    {
      name: 'NAS without VPC',
      agent: { nasConfig: { mountPoints: [{ serverAddr: 'x.nas.aliyuncs.com:/', mountDir: '/mnt/nas' }] } },
      expected: [`error ${P}.nasConfig: expected \`vpcConfig\` too: NAS is mounted through the VPC`],
    },
    {
      name: 'logConfig missing logstore',
      agent: { logConfig: { project: 'p' } },
      expected: [`error ${P}.logConfig.logstore: missing, expected a non-empty string`],
    },
    {
      name: 'logConfig neither auto nor object',
      agent: { logConfig: 'on' },
      expected: [`error ${P}.logConfig: expected \`auto\` or { project, logstore }, got "on"`],
    },
    {
      name: 'health check timeout beyond the API range',
      agent: { healthCheckConfiguration: { timeoutSeconds: 10 } },
      expected: [
        `error ${P}.healthCheckConfiguration.timeoutSeconds: expected an integer from 1 to 3, got 10`,
      ],
    },
    {
      name: 'empty endpoint list',
      agent: { endpoints: [] },
      expected: [
        `error ${P}.endpoints: expected at least one endpoint (omit \`endpoints\` to create none), got a list`,
      ],
    },
    {
      name: 'duplicate endpoint names',
      agent: { endpoints: [{ name: 'prod' }, { name: 'prod', version: 2 }] },
      expected: [`error ${P}.endpoints.1.name: expected unique endpoint names, got "prod" twice`],
    },
    {
      name: 'bad endpoint version',
      agent: { endpoints: [{ name: 'prod', version: 'v2' }] },
      expected: [
        `error ${P}.endpoints.0.version: expected LATEST or a published version number (1, 2, …), got "v2"`,
      ],
    },
    {
      name: 'weight out of range',
      agent: {
        endpoints: [
          { name: 'prod', version: 1 },
          { name: 'canary', version: 2, weight: 1.5 },
        ],
      },
      expected: [
        `error ${P}.endpoints.1.weight: expected a number above 0 and below 1 (the share of the traffic, e.g. 0.1), got 1.5`,
      ],
    },
    {
      name: 'canary weights over 1',
      agent: {
        endpoints: [
          { name: 'prod', version: 1 },
          { name: 'c1', version: 2, weight: 0.6 },
          { name: 'c2', version: 3, weight: 0.5 },
        ],
      },
      expected: [
        `error ${P}.endpoints: expected the canary weights to sum to at most 1, got 0.6 + 0.5 = 1.1`,
      ],
    },
    {
      name: 'only canaries',
      agent: { endpoints: [{ name: 'c1', version: 2, weight: 0.5 }] },
      expected: [
        `error ${P}.endpoints: expected an endpoint without \`weight\` for the canary weights to split traffic from`,
      ],
    },
    {
      name: 'misspelt key is a warning with a suggestion',
      agent: { instanceConcurency: 20 },
      expected: [
        `warning ${P}.instanceConcurency: unknown key \`instanceConcurency\` is ignored; did you mean \`instanceConcurrency\`?`,
      ],
    },
    {
      name: 'unknown key in a nested object, case-insensitive match',
      agent: { vpcConfig: { vpcId: 'vpc-1', vSwitchIds: 'vsw-1', securityGroupId: 'sg-1', vswitchids: [] } },
      expected: [
        `warning ${P}.vpcConfig.vswitchids: unknown key \`vswitchids\` is ignored; did you mean \`vSwitchIds\`?`,
      ],
    },
    {
      name: 'unknown key without a close match',
      agent: { colour: 'blue' },
      expected: [`warning ${P}.colour: unknown key \`colour\` is ignored`],
    },
    {
      name: 'customDomain is accepted, with what to do instead of deploying it here',
      agent: { customDomain: { domainName: 'agent.example.com', protocol: 'HTTP' } },
      expected: [
        `warning ${P}.customDomain: \`customDomain\` is not deployed by this action: \`s deploy\` binds it through Serverless Devs' fc3-domain component. Bind the domain once (with \`s deploy\`, or under Custom domains in the AgentRun console) and keep it in the s.yaml for \`s\`; deploys here leave the binding as it is, and the endpoint URL stays reachable`,
      ],
    },
    {
      name: 'timeout is accepted but ignored',
      agent: { timeout: 600 },
      expected: [
        `warning ${P}.timeout: AgentRun has no request timeout setting, so \`timeout\` is ignored (the agentrun component ignores it too); sessions end after \`sessionIdleTimeoutSeconds\``,
      ],
    },
    {
      name: 'unconfirmed language',
      agent: { code: { src: './app.jar', language: 'java17', command: ['java', '-jar', 'app.jar'] } },
      expected: [
        `warning ${P}.code.language: \`java17\` is not in the AgentRun API's published language list; the service may refuse it`,
      ],
    },
  ];
  for (const { name, agent, region, expected } of cases) {
    void it(name, () => assert.deepEqual(problemsFor(agent, region), expected));
  }
});

void describe('validateResource: the whole file at once', () => {
  void it('applies the defaults the component fills in, leaves the sizes it omits unset, and returns props', () => {
    const result = validateResource(
      { name: 'a', props: { region: 'cn-hangzhou', agent: AGENT } },
      () => undefined,
    );
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.props?.agent, { ...AGENT, internetAccess: true });
  });

  void it('keeps props when there are only warnings, drops them on any error', () => {
    const warned = validateResource(
      { name: 'a', props: { region: 'cn-hangzhou', agent: { ...AGENT, x: 1 } } },
      () => undefined,
    );
    assert.equal(warned.props?.agent.name, 'my-agent');
    const failed = validateResource(
      { name: 'a', props: { region: 'cn-hangzhou', agent: { ...AGENT, cpu: 99 } } },
      () => undefined,
    );
    assert.equal(failed.props, undefined);
  });

  void it('reports type errors, range errors, cross-field errors and unknown keys together, in file order', () => {
    const lines: Record<string, number> = {
      'resources.a.props.agent': 5,
      'resources.a.props.agent.cpu': 9,
      'resources.a.props.agent.memory': 8,
      'resources.a.props.agent.cpuu': 7,
      'resources.a.props.agent.customContainerConfig': 12,
    };
    const locate = (path: KeyPath): SourcePosition | undefined => {
      const line = lines[path.join('.')];
      return line === undefined ? undefined : { file: 's.yaml', line, col: 7 };
    };
    const props = {
      region: 'cn-hangzhou',
      agent: { ...AGENT, cpuu: 2, memory: 'big', cpu: 0, customContainerConfig: { image: 'i' }, name: 7 },
    };
    const lines_ = validateResource({ name: 'a', props }, locate).problems.map(formatProblem);
    assert.deepEqual(lines_, [
      // No position of its own: falls back to the enclosing `agent` key.
      's.yaml:5:7: resources.a.props.agent.name: expected a name of 1-128 letters, digits, _ or -, starting with a letter, got 7',
      's.yaml:7:7: resources.a.props.agent.cpuu: unknown key `cpuu` is ignored; did you mean `cpu`?',
      's.yaml:8:7: resources.a.props.agent.memory: expected an integer from 128 to 32768, got "big"',
      's.yaml:9:7: resources.a.props.agent.cpu: expected a number from 0.05 to 16, got 0',
      's.yaml:12:7: resources.a.props.agent.customContainerConfig: expected either `code` or `customContainerConfig`, not both',
    ]);
  });

  void it('says what is missing when props or agent are absent', () => {
    const none = validateResource({ name: 'a', props: undefined }, () => undefined).problems.map(
      formatProblem,
    );
    assert.deepEqual(none, ['resources.a.props: missing, expected an object with region and agent']);
    const noAgent = validateResource(
      { name: 'a', props: { region: 'cn-hangzhou' } },
      () => undefined,
    ).problems;
    assert.deepEqual(noAgent.map(formatProblem), ['resources.a.props.agent: missing, expected an object']);
  });
});
