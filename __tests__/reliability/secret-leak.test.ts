// Every command of the action and the CLI, run with known secret values supplied every way a secret
// comes in, against the emulator. Everything a user can see is scanned: the action's log as the runner
// shows it (after its masks), its stderr, job summary and outputs; the CLI's stdout and stderr; and the
// code package the deploy uploaded. No secret may appear, and no ordinary value may be masked.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { ObjectStore } from '../../emulator/oss.js';
import { COMMANDS, type CommandName } from '../../src/app/commands/index.js';
import { runnerEnv } from '../github/helpers.js';
import { startGitHubServer, type GitHubServer } from '../github/server.js';
import { readZip } from '../package/helpers.js';
import { ROOT, runAction, runProcess, tempProject, type Inputs, type Project } from '../e2e/helpers.js';

const secret = (label: string) => `${label}-${randomBytes(10).toString('hex')}`;

/** One secret per way in; each is random, so any occurrence is a leak. */
const SECRETS = {
  /** A value of the `dotenv` input with an ordinary name: secret because of where it came from. */
  dotenvValue: secret('dotenv-value'),
  dotenvKey: secret('dotenv-key'),
  /** From the env-file, secret by its name. */
  envFilePassword: secret('env-file-password'),
  /** From the env-file, secret because `secret-env` lists it. */
  listed: secret('listed-host'),
  /** From the process environment through ${env()}. */
  processToken: secret('process-token'),
  accessKeySecret: secret('access-key-secret'),
  securityToken: `CAIS${randomBytes(24).toString('hex')}`,
  githubToken: `ghs_${randomBytes(18).toString('hex')}`,
  /** A token the service refuses: printed nowhere either. */
  wrongToken: `CAIS${randomBytes(24).toString('hex')}`,
  /** In `.env` files inside the code directory, which must never be packaged. */
  codeDotenv: secret('code-dotenv'),
};

/** Values that are not secret, and where a command shows them they must read in clear. */
const PLAIN = {
  region: 'cn-hangzhou',
  endpoint: 'production',
  greeting: 'production',
  logLevel: 'verbose-logging',
  agent: 'leak-scan-agent',
};

const AGENT_COMMAND = '[python3, main.py]';

const S_YAML = `edition: 3.0.0
name: leak-scan
access: default

resources:
  agent:
    component: agentrun
    props:
      region: \${env('REGION')}
      agent:
        name: ${PLAIN.agent}
        description: \${env('GREETING')} in \${env('REGION')}
        code:
          src: ./code
          language: python3.12
          command: ${AGENT_COMMAND}
        environmentVariables:
          GREETING: \${env('GREETING')}
          LOG_LEVEL: \${env('LOG_LEVEL')}
          PLAIN_BY_NAME_FROM_DOTENV: \${env('PLAIN_BY_NAME_FROM_DOTENV')}
          OPENAI_API_KEY: \${env('OPENAI_API_KEY')}
          DB_PASSWORD: \${env('DB_PASSWORD')}
          INTERNAL_HOST: \${env('INTERNAL_HOST')}
          SERVICE_TOKEN: \${env('SERVICE_TOKEN')}
        endpoints:
          - name: ${PLAIN.endpoint}
            version: LATEST
            description: \${env('GREETING')} traffic
`;

const ENV_FILE = `REGION=${PLAIN.region}
GREETING=${PLAIN.greeting}
LOG_LEVEL=${PLAIN.logLevel}
DB_PASSWORD=${SECRETS.envFilePassword}
INTERNAL_HOST=${SECRETS.listed}
`;

const CRASHING_AGENT = `[python3, -c, 'import os, sys; sys.exit("bad key " + os.environ["OPENAI_API_KEY"] + " for " + os.environ["SERVICE_TOKEN"])']`;

/** How a command is run for the scan; `deployed` deploys first, so the command meets an existing agent. */
interface Invocation {
  label: string;
  inputs?: Inputs;
  /** The agent's command, when not the example agent's. */
  command?: string;
  deployed?: boolean;
  /** Run without any credentials. */
  anonymous?: boolean;
  /** The run is expected to fail (and its error path is scanned). */
  fails?: boolean;
  /** What the run must show (masked) on stderr or in the log, proving the secrets did travel there. */
  shows?: RegExp;
  /** The GitHub event the run is for (a fixture), with pull request #7 open on the local GitHub. */
  event?: string;
  /** Pull request #7 was previewed, then closed, before the run. */
  previewed?: boolean;
  /** A CLI command that takes none of the action's inputs: secrets come from `.env` and the environment. */
  noInputs?: boolean;
}

/**
 * How each command of the table is run. Typed by the table, so a new command does not compile until it
 * is given an invocation here — and so is scanned.
 */
const INVOCATIONS = {
  deploy: [
    { label: 'first deploy' },
    { label: 'redeploy, nothing changed', deployed: true },
    { label: 'refused security token', inputs: { 'security-token': SECRETS.wrongToken }, fails: true },
    // The service reports why an agent would not start: here, a message quoting two of its secrets.
    {
      label: 'an agent that crashes quoting its secrets',
      command: CRASHING_AGENT,
      fails: true,
      shows: /CREATE_FAILED: .*bad key \*\*\* for \*\*\*/,
    },
  ],
  plan: [
    { label: 'plan against the deployed agent', deployed: true },
    { label: 'plan without credentials', anonymous: true },
  ],
  package: [{ label: 'package without credentials', anonymous: true }],
  list: [{ label: 'list without credentials', anonymous: true }],
  preview: [{ label: 'preview of pull request #7', event: 'pull_request.opened', deployed: true }],
  'preview-cleanup': [
    {
      label: 'cleanup of closed pull request #7',
      event: 'pull_request.closed',
      deployed: true,
      previewed: true,
    },
  ],
  // The rollout commands on an agent with no rollout: what they print and the errors they end in.
  promote: [{ label: 'promote with no rollout in progress', deployed: true, fails: true }],
  rollback: [{ label: 'rollback with no rollout', deployed: true, fails: true }],
  abort: [{ label: 'abort with no rollout in progress', deployed: true, fails: true }],
  status: [{ label: 'status of the deployed agent', deployed: true }],
  advance: [{ label: 'advance with no rollout in progress', deployed: true }],
  info: [{ label: 'info of the deployed agent', deployed: true }],
  logs: [{ label: 'logs of an agent without a logstore', deployed: true, fails: true }],
} satisfies Record<CommandName, Invocation[]>;

/** Commands only the CLI has (`--show-secrets` prints secrets on request, so it is not scanned). */
const CLI_ONLY: Record<string, Invocation[]> = {
  resolve: [{ label: 'resolve', noInputs: true }],
};

interface Scanned {
  label: string;
  text: string;
  /** Non-secret values this output must show in clear. */
  shows?: readonly string[];
}

const totals = { outputs: 0, occurrences: 0, masked: 0, findings: [] as string[] };

function scan(outputs: readonly Scanned[], masks: readonly string[] = []): void {
  for (const { label, text, shows = [] } of outputs) {
    totals.outputs++;
    for (const [name, value] of Object.entries(SECRETS)) {
      const count = text.split(value).length - 1;
      if (count) {
        totals.occurrences += count;
        totals.findings.push(`${label}: ${name} shown ${count}×`);
      }
    }
    for (const value of shows) {
      if (!text.includes(value)) {
        totals.masked++;
        totals.findings.push(`${label}: ${JSON.stringify(value)} is not shown in clear`);
      }
    }
  }
  // A registered mask hides every occurrence, also inside ordinary values.
  for (const mask of masks) {
    for (const value of Object.values(PLAIN)) {
      if (value.includes(mask)) {
        totals.masked++;
        totals.findings.push(`a mask hides ${JSON.stringify(value)}`);
      }
    }
  }
}

/** What the runner shows of the action's stdout: workflow commands consumed, masks applied in order. */
function asRunnerShows(lines: readonly string[]): { text: string; masks: string[] } {
  const masks: string[] = [];
  const shown: string[] = [];
  for (const line of lines) {
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) masks.push(mask[1]!);
    else shown.push(masks.reduce((out, value) => out.split(value).join('***'), line));
  }
  return { text: shown.join('\n'), masks };
}

let project: Project;

before(async () => {
  project = await tempProject('single');
  await mkdir(join(project.dir, 'config'));
  await writeFile(join(project.dir, 'config/deploy.env'), ENV_FILE);
  // The .env beside the s.yaml, read when no env-file is given: what `resolve` sees.
  await writeFile(
    join(project.dir, '.env'),
    `${ENV_FILE.replace(SECRETS.listed, 'internal.example')}OPENAI_API_KEY=${SECRETS.dotenvKey}\n` +
      'PLAIN_BY_NAME_FROM_DOTENV=plain\n',
  );
  // .env files beside the code: never packaged, whatever their name.
  await writeFile(join(project.dir, 'code/.env'), `OPENAI_API_KEY=${SECRETS.codeDotenv}\n`);
  await mkdir(join(project.dir, 'code/settings'));
  await writeFile(join(project.dir, 'code/settings/.env.production'), `TOKEN=${SECRETS.codeDotenv}\n`);
});
after(() => project.remove());

/** The emulator playing AgentRun and the local server playing GitHub, for one invocation. */
interface Servers {
  emulator: Emulator;
  github: GitHubServer;
}

function inputsFor({ emulator }: Servers, invocation: Invocation): Inputs {
  const credentials: Inputs = invocation.anonymous
    ? {}
    : {
        'access-key-id': emulator.credentials.accessKeyId,
        'access-key-secret': emulator.credentials.accessKeySecret,
        'security-token': SECRETS.securityToken,
      };
  return {
    'api-endpoint': emulator.endpoint,
    ...credentials,
    'env-file': 'config/deploy.env',
    'secret-env': 'INTERNAL_HOST',
    'github-token': SECRETS.githubToken,
    dotenv: `OPENAI_API_KEY=${SECRETS.dotenvKey}\nPLAIN_BY_NAME_FROM_DOTENV=${SECRETS.dotenvValue}\n`,
    'request-timeout': '10s',
    ...invocation.inputs,
  };
}

/** The process environment of both entry points: nearly empty, a secret for ${env()}, the event's variables. */
function processEnv({ github }: Servers, invocation: Invocation): Record<string, string> {
  const event = invocation.event ? runnerEnv(github, invocation.event) : {};
  return { SERVICE_TOKEN: SECRETS.processToken, ...event };
}

/**
 * A fresh emulator whose key and security token are the known secrets (with a state file to read the
 * uploaded code from), and a local GitHub that takes the known token. Returns the emulator's state and
 * what GitHub shows: the pull request's comments and the deployments.
 */
async function withServers(
  body: (servers: Servers) => Promise<void>,
): Promise<{ state: unknown; packages: string[]; onGitHub: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'agentrun-leak-scan-'));
  const stateFile = join(dir, 'state.json');
  const emulator = await startEmulator({
    delayMs: 20,
    stateFile,
    accessKeys: [
      {
        accessKeyId: 'leak-scan-key',
        accessKeySecret: SECRETS.accessKeySecret,
        securityToken: SECRETS.securityToken,
      },
    ],
  });
  const github = await startGitHubServer({ tokens: { [SECRETS.githubToken]: 'write' } });
  github.addPull({ number: 7, headSha: '1'.repeat(40), headRepo: github.repository });
  let onGitHub: string[];
  try {
    await body({ emulator, github });
  } finally {
    onGitHub = [
      ...github.comments(7).map((comment) => comment.body),
      ...github.deployments().map((deployment) => JSON.stringify(deployment)),
    ];
    await github.close();
    await emulator.stop();
  }
  assert.deepEqual(github.problems, [], 'every GitHub call matched GitHub’s description');
  const state: unknown = JSON.parse(await readFile(stateFile, 'utf8').catch(() => 'null'));
  const packages = await Promise.all(packagesIn(state, new ObjectStore(`${stateFile}.objects`)));
  await rm(dir, { recursive: true, force: true });
  return { state, packages, onGitHub };
}

async function actionRun(label: string, servers: Servers, command: string, invocation: Invocation) {
  const run = await runAction(
    project.dir,
    { ...inputsFor(servers, invocation), command },
    processEnv(servers, invocation),
  );
  assert.equal(run.code, invocation.fails ? 1 : 0, `${label}:\n${run.lines.join('\n')}\n${run.stderr}`);
  const log = asRunnerShows(run.lines);
  if (invocation.shows) assert.match(log.text, invocation.shows, label);
  const shows = command === 'deploy' && !invocation.fails ? [PLAIN.endpoint] : [];
  scan(
    [
      { label: `${label}: log`, text: log.text, shows: invocation.fails ? [] : [PLAIN.agent, ...shows] },
      { label: `${label}: stderr`, text: run.stderr },
      { label: `${label}: job summary`, text: run.summary, shows },
      ...Object.entries(run.outputs).map(([name, value]) => ({
        label: `${label}: output ${name}`,
        text: value,
      })),
    ],
    log.masks,
  );
  return run;
}

/** Runs dist/cli.js asynchronously: the emulator it talks to runs in this process. */
async function cliRun(label: string, servers: Servers, command: string, invocation: Invocation) {
  const inputs = invocation.noInputs ? {} : inputsFor(servers, invocation);
  const flags = Object.entries(inputs).flatMap(([name, value]) => [`--${name}`, value]);
  const {
    code,
    stdout: out,
    stderr: err,
  } = await runProcess(process.execPath, [join(ROOT, 'dist/cli.js'), command, ...flags], {
    cwd: project.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: project.dir, ...processEnv(servers, invocation) },
  });
  assert.equal(code, invocation.fails ? 1 : 0, `${label}:\n${out}\n${err}`);
  if (invocation.shows) assert.match(err, invocation.shows, label);
  const shown = invocation.fails ? [] : [PLAIN.agent, PLAIN.endpoint];
  // What a plan or resolve prints: the s.yaml's ordinary values in clear, next to the masked ones.
  const printed = ['plan', 'resolve'].includes(command) ? [PLAIN.region, PLAIN.greeting, PLAIN.logLevel] : [];
  scan([
    { label: `${label}: stdout`, text: out, shows: printed },
    { label: `${label}: stderr`, text: err, shows: command === 'deploy' ? shown : [] },
  ]);
}

/** Every code package the emulator's state names: inline zips, and the OSS objects code was sent as. */
function packagesIn(value: unknown, objects: ObjectStore): Promise<string>[] {
  if (Array.isArray(value)) return value.flatMap((item) => packagesIn(item, objects));
  if (!value || typeof value !== 'object') return [];
  const { ossBucketName: bucket, ossObjectName: key } = value as Record<string, unknown>;
  const object =
    typeof bucket === 'string' && typeof key === 'string'
      ? [readFile(objects.file(bucket, key)).then((zip) => zip.toString('base64'))]
      : [];
  return Object.entries(value)
    .flatMap(([name, item]) =>
      name === 'zipFile' && typeof item === 'string' ? [Promise.resolve(item)] : packagesIn(item, objects),
    )
    .concat(object);
}

async function scanZips(label: string, packages: readonly string[]): Promise<number> {
  const zips = [...new Set(packages)];
  const dir = await mkdtemp(join(tmpdir(), 'agentrun-leak-zip-'));
  try {
    for (const [i, zip] of zips.entries()) {
      const path = join(dir, `${i}.zip`);
      await writeFile(path, Buffer.from(zip, 'base64'));
      const entries = await readZip(path);
      assert.ok(
        entries.some((entry) => entry.name === 'main.py'),
        `${label}: the package has no main.py`,
      );
      for (const entry of entries) {
        if (/(^|\/)\.env/.test(entry.name)) totals.findings.push(`${label}: ${entry.name} was packaged`);
        scan([{ label: `${label}: zip entry ${entry.name}`, text: `${entry.name}\n${entry.content}` }]);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return zips.length;
}

type Root = 'action' | 'cli';

async function runInvocation(root: Root, command: string, invocation: Invocation): Promise<void> {
  const label = `${root} ${command} (${invocation.label})`;
  await writeFile(
    join(project.dir, 's.yaml'),
    S_YAML.replace(`command: ${AGENT_COMMAND}`, `command: ${invocation.command ?? AGENT_COMMAND}`),
  );
  const { state, packages, onGitHub } = await withServers(async (servers) => {
    if (invocation.deployed) await actionRun(`${label}, deploy before`, servers, 'deploy', { label });
    if (invocation.previewed) {
      const opened = { label, event: 'pull_request.opened' };
      await actionRun(`${label}, preview before`, servers, 'preview', opened);
      servers.github.closePull(7, true);
    }
    if (root === 'action') await actionRun(label, servers, command, invocation);
    else await cliRun(label, servers, command, invocation);
  });
  if (invocation.event) assert.ok(onGitHub.length > 0, `${label}: nothing was written to GitHub`);
  scan(onGitHub.map((text, i) => ({ label: `${label}: on GitHub #${i + 1}`, text })));
  const zips = await scanZips(label, packages);
  if (command === 'deploy' && !invocation.fails) {
    assert.ok(zips > 0, `${label}: no code package to scan`);
    // Every secret did come in: the deployed agent has them all.
    const [runtime] = (state as { runtimes: { config: { environmentVariables: unknown } }[] }).runtimes;
    assert.deepEqual(runtime?.config.environmentVariables, DEPLOYED_ENV, label);
  }
}

/** What the s.yaml resolves to, from the env-file, the dotenv input and the process environment. */
const DEPLOYED_ENV = {
  GREETING: PLAIN.greeting,
  LOG_LEVEL: PLAIN.logLevel,
  PLAIN_BY_NAME_FROM_DOTENV: SECRETS.dotenvValue,
  OPENAI_API_KEY: SECRETS.dotenvKey,
  DB_PASSWORD: SECRETS.envFilePassword,
  INTERNAL_HOST: SECRETS.listed,
  SERVICE_TOKEN: SECRETS.processToken,
};

void describe('secret-leak scan', () => {
  const commands: [string, Invocation[]][] = Object.keys(COMMANDS).map((name) => [
    name,
    INVOCATIONS[name as CommandName],
  ]);
  for (const [command, invocations] of commands) {
    for (const invocation of invocations) {
      for (const root of ['action', 'cli'] as const) {
        void test(`${root} ${command}: ${invocation.label}`, () => runInvocation(root, command, invocation));
      }
    }
  }
  for (const [command, invocations] of Object.entries(CLI_ONLY)) {
    for (const invocation of invocations) {
      void test(`cli ${command}: ${invocation.label}`, () => runInvocation('cli', command, invocation));
    }
  }

  void test('totals', (t) => {
    t.diagnostic(
      `secret-leak scan: ${totals.outputs} outputs scanned, ${totals.occurrences} occurrences, ` +
        `${totals.masked} non-secrets masked`,
    );
    assert.deepEqual(totals.findings, []);
    assert.ok(
      Object.keys(COMMANDS).every((name) => INVOCATIONS[name as CommandName]?.length),
      'every command is scanned',
    );
  });
});
