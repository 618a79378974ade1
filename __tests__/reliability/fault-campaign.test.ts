// A fault campaign through the real deploy path (run() against the emulator, and the bundled action
// killed mid-deploy): throttling, 5xx, resets, lost answers, failed transitions and SIGKILL. After each
// scenario a clean re-run must succeed and leave exactly what the s.yaml says: one runtime, one of each
// endpoint, one version per distinct configuration, traffic only on published versions that serve,
// and no secret in anything the runs printed.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmulator, type Emulator, type FaultRule, type RequestLogEntry } from '../../emulator/index.js';
import type { ControlFaultRule } from '../../emulator/faults.js';
import type { Clock } from '../../src/system/clock.js';
import { agentRun } from '../emulator/helpers.js';
import {
  remoteState,
  requestsSince,
  runAction,
  runInProcess,
  tempProject,
  type Inputs,
  type Project,
} from '../e2e/helpers.js';

const API = '/2025-09-10/agents/runtimes';
const RUNTIME = 'campaign-agent';
/** Each endpoint with the version it serves: the newest, or the first one, pinned. */
const TARGETS = { live: 'LATEST', stable: '1' } as const;
const ENDPOINTS = Object.keys(TARGETS) as (keyof typeof TARGETS)[];
/** Every status transition of the emulator takes this long. */
const TRANSITION_MS = 20;
/** Lost answers: the emulator holds them past the deploy's request timeout. */
const REQUEST_TIMEOUT = '400ms';
const HELD_MS = 600;

/**
 * Backoffs and polls shortened to at most 10 ms: the retry decisions are the product's, only the
 * waiting between them is cut, so hundreds of faults fit in a short run.
 */
const quickClock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(Math.min(ms, 10)) };

type Change = 'runtime' | 'endpoints' | 'both' | 'none';
type Outcome = 'success' | 'failure' | 'any';

interface Scenario {
  name: string;
  change: Change;
  faults?: ControlFaultRule[];
  /** The faulty run's expected result: retryable faults within the budget succeed, failed transitions fail. */
  expect?: Outcome;
  requestTimeout?: string;
  /** Run the bundled action and SIGKILL it as soon as the request log shows this. */
  killAfter?: { action: string; nth?: number; status?: number };
  /** Two jobs at once. */
  concurrent?: boolean;
}

interface Desired {
  environment: string;
  cpu: number;
  memory: number;
  descriptions: Record<keyof typeof TARGETS, string>;
}

const totals = {
  faults: 0,
  scenarios: 0,
  duplicates: 0,
  /** Versions two concurrent jobs published of one change by reading the versions in the same instant. */
  raced: 0,
  lost: 0,
  wrong: 0,
  leaks: 0,
  problems: [] as string[],
};

function environmentOf(config: { environmentVariables?: unknown }): string | undefined {
  return (config.environmentVariables as Record<string, string> | undefined)?.ENVIRONMENT;
}

/** What a version's answer holds besides its configuration. */
const NOT_CONFIGURATION = new Set([
  'agentRuntimeVersion',
  'agentRuntimeArn',
  'agentRuntimeId',
  'createdAt',
  'lastUpdatedAt',
  'status',
  'statusReason',
]);

/** A version's configuration as comparable text. */
function configurationOf(version: Record<string, unknown>): string {
  return stableJson(
    Object.fromEntries(Object.entries(version).filter(([key]) => !NOT_CONFIGURATION.has(key))),
  );
}

/** JSON with the keys of every object sorted, so equal configurations give equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** One emulator, one project and what its s.yaml says, through a sequence of scenarios. */
class Stage {
  private counter = 0;
  /** Published version → its configuration; versions never change, so each is read once. */
  private readonly snapshots = new Map<string, Record<string, unknown>>();
  /** Versions already counted as duplicates, so that each is counted once. */
  private readonly duplicates = new Set<string>();
  /** Distinct runtime configurations the s.yaml has asked for: one version each. */
  private readonly configurations = new Set<string>();
  readonly secret = `sk-campaign-${randomBytes(12).toString('hex')}`;
  desired: Desired = {
    environment: 'campaign-0',
    cpu: 1,
    memory: 2048,
    descriptions: { live: 'live 0', stable: 'stable 0' },
  };

  private constructor(
    readonly emulator: Emulator,
    readonly project: Project,
  ) {}

  static async open(): Promise<Stage> {
    const key = { accessKeyId: 'campaign-key', accessKeySecret: randomBytes(16).toString('hex') };
    const stage = new Stage(
      await startEmulator({ delayMs: TRANSITION_MS, accessKeys: [key] }),
      await tempProject('single'),
    );
    await stage.write();
    return stage;
  }

  close = async (): Promise<void> => {
    await this.emulator.stop();
    await this.project.remove();
  };

  /** Values that must never be printed. */
  get secrets(): string[] {
    return [this.secret, this.emulator.credentials.accessKeySecret];
  }

  inputs(extra: Inputs = {}): Inputs {
    return {
      'api-endpoint': this.emulator.endpoint,
      'access-key-id': this.emulator.credentials.accessKeyId,
      'access-key-secret': this.emulator.credentials.accessKeySecret,
      dotenv: `API_KEY=${this.secret}\n`,
      ...extra,
    };
  }

  async change(change: Change): Promise<void> {
    const n = ++this.counter;
    if (change === 'runtime' || change === 'both') {
      const cpu = n % 3 === 0 ? (this.desired.cpu === 1 ? 2 : 1) : this.desired.cpu;
      this.desired = { ...this.desired, environment: `campaign-${n}`, cpu, memory: cpu * 2048 };
    }
    if (change === 'endpoints' || change === 'both') {
      this.desired = { ...this.desired, descriptions: { live: `live ${n}`, stable: `stable ${n}` } };
    }
    await this.write();
  }

  private async write(): Promise<void> {
    const { environment, cpu, memory, descriptions } = this.desired;
    this.configurations.add(JSON.stringify([environment, cpu, memory]));
    const endpoints = ENDPOINTS.map(
      (name) =>
        `          - name: ${name}\n            version: ${TARGETS[name]}\n            description: ${descriptions[name]}\n`,
    ).join('');
    await writeFile(
      join(this.project.dir, 's.yaml'),
      `edition: 3.0.0
name: fault-campaign
access: default

resources:
  agent:
    component: agentrun
    props:
      region: cn-hangzhou
      agent:
        name: ${RUNTIME}
        code:
          src: ./code
          language: python3.12
          command: [python3, main.py]
        cpu: ${cpu}
        memory: ${memory}
        environmentVariables:
          ENVIRONMENT: ${environment}
          GREETING: production
          API_KEY: \${env(API_KEY)}
        endpoints:
${endpoints}`,
    );
  }

  /** Each published version's configuration, read through the official client. */
  async versions(runtimeId: string, numbers: string[]): Promise<Map<string, Record<string, unknown>>> {
    const call = agentRun(this.emulator);
    for (const version of numbers) {
      if (this.snapshots.has(version)) continue;
      const answer = await call<Record<string, unknown>>('GetAgentRuntime', 'GET', `${API}/${runtimeId}`, {
        query: { agentRuntimeVersion: version },
      });
      this.snapshots.set(version, answer.data);
    }
    return this.snapshots;
  }

  /**
   * After a faulty run: an endpoint serves a published version, or the draft (LATEST) of a runtime
   * that has not failed — never a configuration whose transition failed. Endpoints and versions may be missing or
   * mid-change here; the clean re-run has to sort that out.
   */
  async checkServing(scenario: string): Promise<void> {
    const [runtime] = (await remoteState(this.emulator)).filter((r) => r.agentRuntimeName === RUNTIME);
    if (!runtime) return;
    const published = await this.versions(
      runtime.agentRuntimeId!,
      runtime.versions.map((v) => v.agentRuntimeVersion!),
    );
    const allowed = new Set([...published.values()].map(environmentOf));
    if (!runtime.status?.endsWith('_FAILED')) allowed.add(environmentOf(runtime));
    for (const endpoint of runtime.endpoints) {
      if (!endpoint.endpointPublicUrl) continue;
      const answer = await invoke(endpoint.endpointPublicUrl);
      if (answer.status === 200 && !allowed.has(answer.environment)) {
        const name = endpoint.agentRuntimeEndpointName;
        problem(
          'wrong',
          scenario,
          `${name} serves ${answer.environment}, neither published nor a live draft`,
        );
      }
    }
  }

  /**
   * After the clean re-run: exactly what the s.yaml says, and nothing twice — except, after two
   * concurrent jobs (`raced`), one version right after its twin: both jobs read the versions in the same
   * instant before publishing, which no API call can exclude (there is no conditional publish).
   */
  async checkConverged(scenario: string, raced: boolean): Promise<void> {
    const runtimes = (await remoteState(this.emulator)).filter((r) => r.agentRuntimeName === RUNTIME);
    if (runtimes.length !== 1) {
      problem(
        runtimes.length ? 'duplicates' : 'lost',
        scenario,
        `${runtimes.length} runtimes named ${RUNTIME}`,
      );
      if (!runtimes.length) return;
    }
    const runtime = runtimes[0]!;
    const { desired } = this;
    if (runtime.status !== 'READY') problem('wrong', scenario, `runtime is ${runtime.status}`);
    const expectedEnv = { ENVIRONMENT: desired.environment, GREETING: 'production', API_KEY: this.secret };
    const actual = {
      env: runtime.environmentVariables,
      cpu: runtime.cpu,
      memory: runtime.memory,
    };
    try {
      assert.deepEqual(actual, { env: expectedEnv, cpu: desired.cpu, memory: desired.memory });
    } catch {
      problem(
        'wrong',
        scenario,
        `runtime ${JSON.stringify({ ...actual, env: { ...actual.env, API_KEY: '…' } })}`,
      );
    }

    const numbers = runtime.versions.map((v) => v.agentRuntimeVersion!);
    const snapshots = await this.versions(runtime.agentRuntimeId!, numbers);
    const seen = new Map<string, string>();
    for (const version of numbers) {
      const configuration = configurationOf(snapshots.get(version)!);
      const twin = seen.get(configuration);
      if (twin && !this.duplicates.has(version)) {
        this.duplicates.add(version);
        if (raced && Number(version) === Number(twin) + 1) totals.raced++;
        else problem('duplicates', scenario, `versions ${twin} and ${version} are the same configuration`);
      }
      seen.set(configuration, twin ?? version);
    }
    if (seen.size < this.configurations.size) {
      problem('lost', scenario, `${this.configurations.size} configurations, ${seen.size} versions`);
    }
    const latest = snapshots.get(numbers.at(-1) ?? '');
    const latestEnv = latest && environmentOf(latest);
    if (latestEnv !== desired.environment) problem('wrong', scenario, `latest version has ${latestEnv}`);

    for (const name of ENDPOINTS) {
      const endpoints = runtime.endpoints.filter((e) => e.agentRuntimeEndpointName === name);
      if (endpoints.length !== 1) {
        problem(endpoints.length ? 'duplicates' : 'lost', scenario, `${endpoints.length} endpoints ${name}`);
        continue;
      }
      const endpoint = endpoints[0]!;
      if (endpoint.status !== 'READY') problem('wrong', scenario, `endpoint ${name} is ${endpoint.status}`);
      if (endpoint.description !== desired.descriptions[name] || endpoint.targetVersion !== TARGETS[name]) {
        problem('wrong', scenario, `endpoint ${name}: ${endpoint.description} → ${endpoint.targetVersion}`);
      }
      const weights = endpoint.routingConfiguration?.versionWeights ?? [];
      for (const { version } of weights) {
        if (!numbers.includes(version!))
          problem('wrong', scenario, `${name} routes to unpublished ${version}`);
      }
      const answer = await invoke(endpoint.endpointPublicUrl!);
      const serves = name === 'live' ? desired.environment : environmentOf(snapshots.get(TARGETS[name])!);
      if (answer.status !== 200 || answer.environment !== serves) {
        problem('wrong', scenario, `${name} answers ${answer.status} from ${answer.environment}`);
      }
    }
    const extra = runtime.endpoints.filter(
      (e) => !(ENDPOINTS as string[]).includes(e.agentRuntimeEndpointName!),
    );
    if (extra.length)
      problem(
        'wrong',
        scenario,
        `unexpected endpoints ${extra.map((e) => e.agentRuntimeEndpointName).join()}`,
      );
  }

  /** Counts each secret found in what a run showed. */
  checkLeaks(scenario: string, shown: string): void {
    for (const secret of this.secrets) {
      if (shown.includes(secret)) problem('leaks', scenario, 'a secret value was printed');
    }
  }
}

type Counter = 'duplicates' | 'lost' | 'wrong' | 'leaks';

function problem(counter: Counter, scenario: string, message: string): void {
  totals[counter]++;
  totals.problems.push(`${scenario}: ${message}`);
}

async function invoke(url: string): Promise<{ status: number; environment?: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'campaign' }),
  });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status };
  return { status: 200, environment: (JSON.parse(text) as { environment?: string }).environment };
}

/** How many faults `rules` still hold (every rule of the campaign has `times`). */
function armedCount(rules: readonly FaultRule[]): number {
  return rules.reduce((sum, rule) => sum + ('times' in rule ? (rule.times ?? 0) : 0), 0);
}

/**
 * Runs the bundled action and SIGKILLs it once the request log shows `point`. `killed` is false when
 * the deploy ended first; `shown` is everything it printed but the runner's mask registrations.
 */
async function killedAction(
  stage: Stage,
  point: NonNullable<Scenario['killAfter']>,
  inputs: Inputs,
): Promise<{ killed: boolean; shown: string }> {
  const since = stage.emulator.requestLog().length;
  let child: ChildProcess | undefined;
  let finished = false;
  const running = runAction(stage.project.dir, inputs, {}, (started) => (child = started)).finally(
    () => (finished = true),
  );
  const reached = (entries: RequestLogEntry[]) =>
    entries.filter((e) => e.action === point.action && e.status === (point.status ?? 200)).length >=
    (point.nth ?? 1);
  let killed = false;
  while (!finished) {
    if (reached(requestsSince(stage.emulator, since))) {
      killed = child?.kill('SIGKILL') ?? false;
      break;
    }
    await sleep(2);
  }
  const run = await running;
  const shown = [
    ...run.lines.filter((line) => !line.startsWith('::add-mask::')),
    run.stderr,
    run.summary,
    ...Object.values(run.outputs),
  ].join('\n');
  return { killed: killed && run.code === null, shown };
}

async function play(stage: Stage, scenario: Scenario): Promise<void> {
  const { name } = scenario;
  totals.scenarios++;
  await stage.change(scenario.change);
  const { emulator } = stage;
  emulator.faults.inject(scenario.faults ?? []);
  const armed = armedCount(scenario.faults ?? []);
  const extra: Inputs = scenario.requestTimeout ? { 'request-timeout': scenario.requestTimeout } : {};

  let fired: number;
  if (scenario.killAfter) {
    const { killed, shown } = await killedAction(stage, scenario.killAfter, stage.inputs(extra));
    stage.checkLeaks(name, shown);
    if (!killed) totals.problems.push(`${name}: the deploy ended before the kill point`);
    fired = armed - armedCount(emulator.faults.list()) + (killed ? 1 : 0);
  } else {
    // Concurrent jobs keep the product's clock: its jittered polls are what keeps two jobs that wait
    // for the same READY from reading the versions, and publishing, in the same instant.
    const jobs = scenario.concurrent ? 2 : 1;
    const deps = scenario.concurrent ? {} : { clock: quickClock };
    const runs = await Promise.all(
      Array.from({ length: jobs }, () => runInProcess(stage.inputs(extra), stage.project.dir, deps)),
    );
    fired = armed - armedCount(emulator.faults.list());
    for (const run of runs) {
      stage.checkLeaks(name, `${run.captured.everything()}\n${run.failure ?? ''}`);
      const outcome = run.failure === undefined ? 'success' : 'failure';
      const expected = scenario.expect ?? 'success';
      if (expected !== 'any' && outcome !== expected) {
        problem('wrong', name, `the faulty run ended in ${outcome}: ${run.failure ?? ''}`);
      }
    }
    if ((scenario.expect ?? 'success') !== 'any' && fired !== armed) {
      totals.problems.push(`${name}: ${fired} of ${armed} faults fired`);
    }
  }
  totals.faults += fired;
  emulator.faults.clear();
  await stage.checkServing(name);

  const clean = await runInProcess(stage.inputs(), stage.project.dir, { clock: quickClock });
  stage.checkLeaks(name, `${clean.captured.everything()}\n${clean.failure ?? ''}`);
  if (clean.failure !== undefined) {
    problem('wrong', name, `the clean re-run failed: ${clean.failure}`);
    return;
  }
  await stage.checkConverged(name, scenario.concurrent ?? false);
}

// ── The scenarios ───────────────────────────────────────────────────────────────────────────────

const RETRYABLE = ['throttle', 'server-error', 'unavailable', 'reset'] as const;
/** Every request an update of runtime and endpoints makes. */
const UPDATE_ACTIONS = [
  'ListAgentRuntimes',
  'ListAgentRuntimeVersions',
  'UpdateAgentRuntime',
  'GetAgentRuntime',
  'PublishRuntimeVersion',
  'ListAgentRuntimeEndpoints',
  'UpdateAgentRuntimeEndpoint',
  'GetAgentRuntimeEndpoint',
] as const;
/** Calls a runtime-only change makes. */
const RUNTIME_ACTIONS = UPDATE_ACTIONS.slice(0, 6);

const rule = (
  action: string,
  kind: ControlFaultRule['kind'],
  times: number,
  more: Partial<ControlFaultRule> = {},
) => ({ action, kind, times, ...more }) as ControlFaultRule;
const slow = (action: string) => rule(action, 'slow', 1, { delayMs: HELD_MS });

function updateScenarios(): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const kind of RETRYABLE) {
    scenarios.push({
      name: `${kind} ×3 on every call of an update`,
      change: 'both',
      faults: UPDATE_ACTIONS.map((action) => rule(action, kind, 3)),
    });
  }
  // The retry budget is 6 attempts: 5 failures in a row on one call still succeed.
  RUNTIME_ACTIONS.forEach((action, i) => {
    scenarios.push({
      name: `${RETRYABLE[i % 4]} ×5 on ${action}`,
      change: 'runtime',
      faults: [rule(action, RETRYABLE[i % 4]!, 5)],
    });
  });
  for (const action of ['UpdateAgentRuntimeEndpoint', 'GetAgentRuntimeEndpoint']) {
    scenarios.push({
      name: `reset ×5 on ${action}`,
      change: 'endpoints',
      faults: [rule(action, 'reset', 5)],
    });
  }
  for (const kind of RETRYABLE) {
    scenarios.push({ name: `${kind} on the first 4 calls`, change: 'both', faults: [rule('*', kind, 4)] });
    scenarios.push({
      name: `${kind} on 40% of calls (at most 5)`,
      change: 'both',
      faults: [rule('*', kind, 5, { probability: 0.4 })],
      expect: 'any',
    });
  }
  scenarios.push({
    name: 'a mix of every retryable fault on a no-op deploy',
    change: 'none',
    faults: RETRYABLE.map((kind) => rule('*', kind, 1)),
  });
  scenarios.push({
    name: 'a mix of every retryable fault on an endpoint-only change',
    change: 'endpoints',
    faults: RETRYABLE.map((kind) => rule('UpdateAgentRuntimeEndpoint', kind, 1)),
  });
  // Answers lost after the service acted: the retry must find the change made, not make it twice.
  for (const action of [
    'UpdateAgentRuntime',
    'PublishRuntimeVersion',
    'UpdateAgentRuntimeEndpoint',
    'ListAgentRuntimes',
  ]) {
    scenarios.push({
      name: `answer to ${action} lost`,
      change: 'both',
      faults: [slow(action)],
      requestTimeout: REQUEST_TIMEOUT,
    });
  }
  scenarios.push({
    name: 'answers to every write lost, and throttled retries',
    change: 'both',
    faults: [
      slow('UpdateAgentRuntime'),
      slow('PublishRuntimeVersion'),
      slow('UpdateAgentRuntimeEndpoint'),
      rule('ListAgentRuntimeVersions', 'throttle', 2),
    ],
    requestTimeout: REQUEST_TIMEOUT,
  });
  // Transitions that end in *_FAILED: the run fails, traffic stays on what was published.
  for (const [action, change] of [
    ['UpdateAgentRuntime', 'runtime'],
    ['UpdateAgentRuntime', 'both'],
    ['UpdateAgentRuntimeEndpoint', 'endpoints'],
    ['UpdateAgentRuntimeEndpoint', 'both'],
  ] as const) {
    scenarios.push({
      name: `${action} ends FAILED (${change} change)`,
      change,
      faults: [rule(action, 'fail-transition', 1, { message: 'injected: no capacity' })],
      expect: 'failure',
    });
  }
  scenarios.push({
    name: 'throttled, then the update ends FAILED',
    change: 'both',
    faults: [
      rule('ListAgentRuntimes', 'throttle', 2),
      rule('UpdateAgentRuntime', 'server-error', 2),
      rule('UpdateAgentRuntime', 'fail-transition', 1),
    ],
    expect: 'failure',
  });
  // Two jobs deploying the same change at once, with faults.
  for (const [kind, change] of [
    ['throttle', 'both'],
    ['unavailable', 'both'],
    ['reset', 'runtime'],
    ['server-error', 'runtime'],
    ['throttle', 'endpoints'],
  ] as const) {
    scenarios.push({
      name: `two jobs at once (${change} change), ${kind} on the first 4 calls`,
      change,
      faults: [rule('*', kind, 4)],
      concurrent: true,
    });
  }
  for (const action of ['UpdateAgentRuntime', 'PublishRuntimeVersion', 'UpdateAgentRuntimeEndpoint']) {
    scenarios.push({
      name: `two jobs at once, ${action} throttled twice`,
      change: 'both',
      faults: [rule(action, 'throttle', 2)],
      concurrent: true,
    });
  }
  // SIGKILL of the bundled action at each step of an update.
  for (const [action, nth] of [
    ['UpdateAgentRuntime', 1],
    ['GetAgentRuntime', 1],
    ['PublishRuntimeVersion', 1],
    ['ListAgentRuntimeEndpoints', 1],
    ['UpdateAgentRuntimeEndpoint', 1],
    ['UpdateAgentRuntimeEndpoint', 2],
  ] as const) {
    scenarios.push({ name: `killed after ${action} #${nth}`, change: 'both', killAfter: { action, nth } });
  }
  scenarios.push({
    name: 'killed while retrying a throttled publish',
    change: 'runtime',
    faults: [rule('PublishRuntimeVersion', 'throttle', 1)],
    killAfter: { action: 'PublishRuntimeVersion', status: 429 },
  });
  scenarios.push({
    name: 'killed while an answer is held',
    change: 'both',
    faults: [rule('UpdateAgentRuntime', 'slow', 1, { delayMs: HELD_MS })],
    killAfter: { action: 'GetAgentRuntime', nth: 1 },
    requestTimeout: REQUEST_TIMEOUT,
  });
  return scenarios;
}

/** Faults on a first deploy, each on an empty account. */
function createScenarios(): Scenario[] {
  const create = 'CreateAgentRuntime';
  const endpoint = 'CreateAgentRuntimeEndpoint';
  return [
    ...RETRYABLE.map((kind): Scenario => ({
      name: `first deploy: ${kind} ×3 on ${create} and ${endpoint}`,
      change: 'none',
      faults: [rule(create, kind, 3), rule(endpoint, kind, 3)],
    })),
    {
      name: `first deploy: answers to ${create} and ${endpoint} lost`,
      change: 'none',
      faults: [slow(create), slow(endpoint)],
      requestTimeout: REQUEST_TIMEOUT,
    },
    {
      name: `first deploy: ${create} ends FAILED`,
      change: 'none',
      faults: [rule(create, 'fail-transition', 1)],
      expect: 'failure',
    },
    {
      name: `first deploy: ${endpoint} ends FAILED`,
      change: 'none',
      faults: [rule(endpoint, 'fail-transition', 1)],
      expect: 'failure',
    },
    ...(
      [
        [create, 1],
        ['PublishRuntimeVersion', 1],
        [endpoint, 1],
        [endpoint, 2],
      ] as const
    ).map(([action, nth]): Scenario => ({
      name: `first deploy: killed after ${action} #${nth}`,
      change: 'none',
      killAfter: { action, nth },
    })),
  ];
}

void describe('fault campaign', () => {
  void test('faults during first deploys', async () => {
    for (const scenario of createScenarios()) {
      const stage = await Stage.open();
      try {
        await play(stage, scenario);
      } finally {
        await stage.close();
      }
    }
  });

  void test('faults during updates of a deployed agent', async () => {
    const stage = await Stage.open();
    try {
      const first = await runInProcess(stage.inputs(), stage.project.dir, { clock: quickClock });
      assert.equal(first.failure, undefined, first.captured.lines.join('\n'));
      for (const scenario of updateScenarios()) await play(stage, scenario);
    } finally {
      await stage.close();
    }
  });

  void test('totals', (t) => {
    const { faults, scenarios, duplicates, raced, lost, wrong, leaks, problems } = totals;
    t.diagnostic(
      `fault campaign: ${faults} faults in ${scenarios} scenarios, ${duplicates} duplicates, ${lost} lost resources, ` +
        `${wrong} wrong final states, ${leaks} leaked secrets; ${raced} change published twice by two jobs at once`,
    );
    assert.deepEqual(problems, []);
    assert.ok(faults >= 200, `only ${faults} faults fired`);
  });
});
