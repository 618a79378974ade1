/**
 * Hostile inputs for everything read before the first request: the s.yaml and the files it pulls in,
 * `.env` files and the dotenv input, credentials, and the action's inputs. Each case is generated in a
 * fresh directory and must end exactly as described: refused with a problem that names the file (with
 * line:col where there is one) and the field, or accepted. Never a stack trace, the parser's raw text,
 * a hang or minutes of work. The per-case timeout only stops a hang from blocking the suite; how fast
 * loading is goes in bench/config.bench.ts. Prints its totals.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, describe, test } from 'node:test';
import { ConfigError, formatProblem, resolveSpec, type ResolveOptions } from '../../src/config/index.js';
import { CredentialsError, resolveCredentials, type CredentialsInput } from '../../src/credentials/index.js';
import { InputError } from '../../src/inputs.js';
import { buildPlan } from '../../src/plan/index.js';
import { readSettings, type InputName } from '../../src/settings.js';
import { runCli } from '../cli/helpers.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** How a case ended: accepted (with its warnings), or refused with an error of some class. */
interface Outcome {
  kind: string;
  lines: string[];
  value?: unknown;
}

/** One hostile input: files to write (or set up), what reads them, and how it must end. */
interface Case {
  name: string;
  files?: Record<string, string | Buffer>;
  setup?: (dir: string) => void;
  run?: (dir: string) => Promise<Outcome>;
  kind: 'accepted' | 'ConfigError' | 'CredentialsError' | 'InputError' | 'exit 1' | 'exit 2';
  /** Each expected line, in order; for accepted cases, the warnings. */
  lines?: (string | RegExp)[];
  check?: (outcome: Outcome) => void;
}

// What a leaked implementation detail looks like: a stack frame or another layer's raw message.
const RAW = /^\s+at |Maximum call stack|Excessive alias|Invalid string length|EISDIR|ENOENT|ERR_|\[object /m;

async function outcome(action: () => Promise<{ lines: string[]; value?: unknown }>): Promise<Outcome> {
  try {
    return { kind: 'accepted', ...(await action()) };
  } catch (error) {
    if (error instanceof ConfigError)
      return { kind: 'ConfigError', lines: error.problems.map(formatProblem) };
    if (error instanceof CredentialsError || error instanceof InputError) {
      return {
        kind: error.name === 'InputError' ? 'InputError' : 'CredentialsError',
        lines: [error.message],
      };
    }
    throw error;
  }
}

/** resolveSpec on the case directory; accepted cases give their warnings and resolved props. */
const resolve =
  (options: Partial<ResolveOptions> = {}) =>
  (dir: string) =>
    outcome(async () => {
      const spec = await resolveSpec({ cwd: dir, env: {}, ...options });
      const props = Object.fromEntries(spec.resources.map((resource) => [resource.name, resource.props]));
      return { lines: spec.warnings.map(formatProblem), value: props };
    });

/** resolveSpec, then the validation and request bodies of the plan. */
const plan = () => (dir: string) =>
  outcome(async () => {
    const spec = await resolveSpec({ cwd: dir, env: {} });
    return { lines: buildPlan(spec).warnings.map(formatProblem) };
  });

/** Credentials as the deploy looks them up; STS and GitHub must not be asked for anything. */
const credentials =
  (input: CredentialsInput, env: Record<string, string> = {}) =>
  () =>
    outcome(async () => {
      const found = await resolveCredentials(input, env, {
        setSecret: () => {},
        getIDToken: () => Promise.reject(new Error('the OIDC token was requested')),
      });
      return { lines: [found.source] };
    });

/** The action's inputs as readSettings reads them. */
const inputs = (values: Partial<Record<InputName, string>>) => (dir: string) =>
  outcome(async () => {
    const settings = readSettings((name) => values[name] ?? '', dir);
    return { lines: [], value: settings };
  });

/** The whole CLI, for cases whose promise is about the command as a user runs it. */
const cli = (args: string[]) => async (dir: string) => {
  const { code, stdout, stderr } = await runCli(args, dir);
  return { kind: `exit ${code}`, lines: [stdout, stderr] };
};

const HEAD =
  'edition: 3.0.0\nresources:\n  agent:\n    component: agentrun\n    props:\n      region: cn-hangzhou\n';
const AGENT = `${HEAD}      agent:\n        name: demo\n        code: { src: ./code, language: python3.12, command: [python3, main.py] }\n`;
const yaml = (text: string | Buffer) => ({ 's.yaml': text });
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

/** Nine levels of nine aliases: a 2 KB file that would expand to 387 million values. */
function aliasBomb(merge: boolean): string {
  const lines = [
    'edition: 3.0.0',
    'vars:',
    merge ? '  l0: &l0 {k: v}' : '  l0: &l0 [x, x, x, x, x, x, x, x, x]',
  ];
  for (let level = 1; level <= 9; level++) {
    const refs = Array.from({ length: 9 }, () => `*l${level - 1}`).join(', ');
    lines.push(
      merge ? `  l${level}: &l${level} {<<: [${refs}], k${level}: v}` : `  l${level}: &l${level} [${refs}]`,
    );
  }
  return `${lines.join('\n')}\nresources: {}\n`;
}

/** `levels` nested maps under vars, each indented one space more. */
function deepBlock(levels: number): string {
  let text = 'edition: 3.0.0\nvars:\n';
  for (let level = 0; level < levels; level++) text += `${' '.repeat(level + 1)}k:\n`;
  return `${text}${' '.repeat(levels + 1)}v\nresources: {}\n`;
}

function manyKeys(count: number): string {
  const lines = ['edition: 3.0.0', 'vars:'];
  for (let i = 0; i < count; i++) lines.push(`  key${i}: value-${i}`);
  return `${lines.join('\n')}\nresources: {}\n`;
}

const CASES: Case[] = [
  // --- YAML structure (items 1-3) ---
  {
    name: 'alias bomb: nine levels of nine aliases',
    files: yaml(aliasBomb(false)),
    kind: 'ConfigError',
    lines: [
      's.yaml:7:12: vars.l4.0: the alias *l3 takes the file past 10,000 keys and list items once aliases are expanded (an alias bomb?): write the values out, or nest fewer aliases',
    ],
  },
  {
    name: 'alias bomb through << merges',
    files: yaml(aliasBomb(true)),
    kind: 'ConfigError',
    lines: [/^s\.yaml:7:37: vars\.l4\.4: the alias \*l3 takes the file past 10,000 keys/],
  },
  {
    name: 'a recursive alias: vars: {a: &a [1, *a]}',
    files: yaml('edition: 3.0.0\nvars: {a: &a [1, *a]}\nresources: {}\n'),
    kind: 'ConfigError',
    lines: [
      's.yaml:2:18: vars.a.1: the alias *a is inside the value &a it refers to, which would make that value infinite: refer to a value defined elsewhere',
    ],
  },
  {
    name: 'a recursive merge: <<: *self inside &self',
    files: yaml('edition: 3.0.0\nvars:\n  a: &self\n    x: 1\n    y: {<<: *self}\nresources: {}\n'),
    kind: 'ConfigError',
    lines: [/^s\.yaml:5:13: vars\.a\.y: the alias \*self is inside the value &self/],
  },
  {
    name: 'an alias to an anchor that does not exist',
    files: yaml('edition: 3.0.0\nvars: {a: *nowhere}\nresources: {}\n'),
    kind: 'ConfigError',
    lines: [
      's.yaml:2:11: vars.a: the alias *nowhere has no anchor &nowhere before it: define the anchor first',
    ],
  },
  {
    name: '3,000 levels of block nesting under vars (4.5 MB of indentation)',
    files: yaml(deepBlock(3000)),
    kind: 'ConfigError',
    lines: ['s.yaml is larger than the 1 MiB limit; expected a regular YAML file of at most 1 MiB'],
  },
  {
    name: '1,000 levels of block nesting under vars, within the size cap',
    files: yaml(deepBlock(1000)),
    kind: 'ConfigError',
    lines: [
      /^s\.yaml:6\d:\d+: nested more than 64 levels deep; an s\.yaml needs about ten: flatten the structure$/,
    ],
  },
  {
    name: '65 levels of block nesting: one past the cap',
    files: yaml(deepBlock(64)),
    kind: 'ConfigError',
    lines: [
      's.yaml:67:67: nested more than 64 levels deep; an s.yaml needs about ten: flatten the structure',
    ],
  },
  {
    name: '64 levels of block nesting: at the cap',
    files: yaml(deepBlock(63)),
    kind: 'accepted',
    lines: [],
  },
  {
    name: '100,000 nested flow sequences',
    files: yaml(`edition: 3.0.0\nvars:\n  a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\nresources: {}\n`),
    kind: 'ConfigError',
    lines: [/^s\.yaml:3:\d+: nested more than 64 levels deep/],
  },
  {
    name: '200 nested flow maps',
    files: yaml(`edition: 3.0.0\nvars:\n  a: ${'{a: '.repeat(200)}x${'}'.repeat(200)}\nresources: {}\n`),
    kind: 'ConfigError',
    lines: [/^s\.yaml:3:\d+: nested more than 64 levels deep/],
  },
  {
    name: '10 MB s.yaml with 160,000 keys in one map',
    files: yaml(manyKeys(160_000).padEnd(10_000_000, '#')),
    kind: 'ConfigError',
    lines: ['s.yaml is larger than the 1 MiB limit; expected a regular YAML file of at most 1 MiB'],
  },
  {
    name: '10,001 keys in one map: refused at the 10,001st key of the file',
    files: yaml(manyKeys(10_001)),
    kind: 'ConfigError',
    lines: [
      's.yaml:10001:3: vars.key9998: the file has more than 10,000 keys and list items; an s.yaml needs a few hundred: move data into files the agent reads, or split the file',
    ],
  },
  {
    name: '9,000 keys in one map: within the cap',
    files: yaml(manyKeys(9_000)),
    kind: 'accepted',
    lines: [],
  },
  {
    name: 'duplicate keys, each reported with the line of the first',
    files: yaml(`${HEAD}      region: cn-shanghai\n      region: cn-beijing\n`),
    kind: 'ConfigError',
    lines: [
      's.yaml:7:7: resources.agent.props.region: duplicate key: already defined at line 6 (keys must be unique in a map)',
      's.yaml:8:7: resources.agent.props.region: duplicate key: already defined at line 6 (keys must be unique in a map)',
    ],
  },
  {
    name: 'keys that only look alike are not duplicates: 1 and "1", true and "true"',
    files: yaml(
      'edition: 3.0.0\nvars: {1: a, "1": b, true: c, "true": d, <<: {x: 1}, <<: {y: 2}}\nresources: {}\n',
    ),
    kind: 'accepted',
    lines: [],
  },
  {
    name: 'tabs as indentation',
    files: yaml('edition: 3.0.0\nvars:\n\ta: 1\nresources: {}\n'),
    kind: 'ConfigError',
    lines: [/^s\.yaml:3:1: s\.yaml format is incorrect: Tabs are not allowed as indentation/],
  },
  {
    name: 'two documents in one file',
    files: yaml('edition: 3.0.0\nresources: {}\n---\nedition: 3.0.0\n'),
    kind: 'ConfigError',
    lines: [
      's.yaml:3:1: s.yaml format is incorrect: expected a single document in the stream, but found more',
    ],
  },
  {
    name: 'a 900 KB string in one scalar, past the description limit',
    files: yaml(`${AGENT}        description: ${'x'.repeat(900_000)}\n`),
    run: plan(),
    kind: 'ConfigError',
    lines: [/^s\.yaml:10:22: resources\.agent\.props\.agent\.description: expected at most 256 characters/],
  },
  // --- text (item 4) ---
  {
    name: 'invalid UTF-8 (E9 FF FE) inside description',
    files: yaml(bytes(`${AGENT}        description: "caf`, [0xe9, 0xff, 0xfe], '"\n')),
    kind: 'ConfigError',
    lines: ['s.yaml:10:26: s.yaml is not valid UTF-8 (byte 0xE9 here): save the file with UTF-8 encoding'],
  },
  {
    name: 'a truncated UTF-8 sequence at the end of the file',
    files: yaml(bytes(`${AGENT}# caf`, [0xc3])),
    kind: 'ConfigError',
    lines: ['s.yaml:10:6: s.yaml is not valid UTF-8 (byte 0xC3 here): save the file with UTF-8 encoding'],
  },
  {
    name: 'a NUL byte inside description',
    files: yaml(bytes(`${AGENT}        description: a`, [0], 'b\n')),
    kind: 'ConfigError',
    lines: [
      's.yaml:10:23: s.yaml contains the control character U+0000, which configuration text may not hold: delete it (in YAML, a character that is meant can be written as an escape in a double-quoted string)',
    ],
  },
  {
    name: 'an escape character (U+001B) in a comment',
    files: yaml(`${AGENT}# colour \u001b[31m\n`),
    kind: 'ConfigError',
    lines: [/^s\.yaml:10:10: s\.yaml contains the control character U\+001B/],
  },
  {
    name: 'DEL and a C1 control character',
    files: yaml(`${AGENT}        description: "a\u007f\u0090"\n`),
    kind: 'ConfigError',
    lines: [/^s\.yaml:10:24: s\.yaml contains the control character U\+007F/],
  },
  {
    name: 'an escaped NUL ("\\0") is explicit YAML and kept, as js-yaml keeps it',
    files: yaml('edition: 3.0.0\nvars: {a: "x\\0y"}\nresources: {}\n'),
    kind: 'accepted',
    lines: [],
  },
  {
    name: 'a byte order mark and CRLF line endings are ordinary text',
    files: yaml(`\ufeff${AGENT.replaceAll('\n', '\r\n')}        description: "中文 ✓"\r\n`),
    kind: 'accepted',
    lines: [],
    check: ({ value }) =>
      assert.equal(
        (value as { agent: { agent: { description: string } } }).agent.agent.description,
        '中文 ✓',
      ),
  },
  {
    name: 'CRLF line endings keep positions right',
    files: yaml(`${AGENT}        description: \${env('MISSING')}\n`.replaceAll('\n', '\r\n')),
    kind: 'ConfigError',
    lines: [/^s\.yaml:10:22: resources\.agent\.props\.agent\.description: env\('MISSING'\) not found/],
  },
  // --- expressions (item 5 and beyond) ---
  {
    name: 'vars that refer to each other: kept literal, as parse-spec keeps them, with a warning',
    files: yaml(
      'edition: 3.0.0\nvars: {a: "${vars.b}", b: "${vars.a}"}\nresources:\n  r:\n    component: agentrun\n    props:\n      description: ${vars.a}\n',
    ),
    kind: 'accepted',
    lines: [
      's.yaml:2:11: vars.a: is part of a reference cycle (vars.a, vars.b) and is left unresolved, as Serverless Devs leaves it: whatever uses it gets the literal text "${vars.b}"; break the cycle',
      's.yaml:2:27: vars.b: is part of a reference cycle (vars.a, vars.b) and is left unresolved, as Serverless Devs leaves it: whatever uses it gets the literal text "${vars.a}"; break the cycle',
    ],
    check: ({ value }) => assert.deepEqual(value, { r: { description: '${vars.a}' } }),
  },
  {
    name: 'a var that refers to itself',
    files: yaml('edition: 3.0.0\nvars:\n  a: x-${vars.a}\nresources: {}\n'),
    kind: 'accepted',
    lines: [/^s\.yaml:3:6: vars\.a: is part of a reference cycle \(vars\.a\)/],
  },
  {
    name: 'a chain of vars that resolves is no cycle',
    files: yaml('edition: 3.0.0\nvars:\n  a: ${vars.b}\n  b: ${vars.c}\n  c: done\nresources: {}\n'),
    kind: 'accepted',
    lines: [],
  },
  {
    name: 'a 2,000-key value copied into 1,000 places',
    files: yaml(
      `edition: 3.0.0\nvars:\n  big:\n${Array.from({ length: 2000 }, (_, i) => `    k${i}: v\n`).join('')}${HEAD.slice('edition: 3.0.0\n'.length)}      list:\n${'        - ${vars.big}\n'.repeat(1000)}`,
    ),
    kind: 'ConfigError',
    lines: [
      /^s\.yaml:\d+:11: resources\.agent\.props\.list\.\d+\.k\d+: resolving the expressions creates more than 100,000 keys/,
    ],
  },
  {
    name: 'vars whose values nest each other 200 levels deep',
    files: yaml(
      `edition: 3.0.0\nvars:\n${Array.from({ length: 200 }, (_, i) => `  v${i}: {x: "\${vars.v${i + 1}}"}\n`).join('')}  v200: end\nresources: {}\n`,
    ),
    kind: 'ConfigError',
    lines: [/^s\.yaml:3:11: vars\.v0(\.x)+: resolving the expressions nests values more than 64 levels deep/],
  },
  {
    name: 'json() of a 100,000-level array from the environment',
    files: yaml(`${HEAD}      deep: \${json(env('DEEP'))}\n`),
    run: resolve({ env: { DEEP: `${'['.repeat(100_000)}${']'.repeat(100_000)}` } }),
    kind: 'ConfigError',
    lines: [
      /^s\.yaml:7:13: resources\.agent\.props\.deep: json\('\[+.*'\) is nested more than 64 levels deep$/,
    ],
  },
  {
    name: 'yaml() of an alias bomb from the environment',
    files: yaml(`${HEAD}      data: \${yaml(env('BOMB'))}\n`),
    run: resolve({ env: { BOMB: aliasBomb(false) } }),
    kind: 'ConfigError',
    lines: [
      /^s\.yaml:7:13: resources\.agent\.props\.data: yaml\('…'\) parse error — line 7 of the value: the alias \*l3 takes/,
    ],
  },
  // --- files (item 8) ---
  {
    name: 'config names a directory',
    setup: (dir) => mkdirSync(path.join(dir, 'deploy')),
    run: resolve({ config: 'deploy' }),
    kind: 'ConfigError',
    lines: ['deploy is a directory: give the path of the s.yaml inside it'],
  },
  {
    name: 'config names a directory called s.yaml',
    setup: (dir) => mkdirSync(path.join(dir, 's.yaml')),
    kind: 'ConfigError',
    lines: ['s.yaml is a directory: give the path of the s.yaml inside it'],
    run: resolve({ config: 's.yaml' }),
  },
  {
    name: 'the default s.yaml is a directory',
    setup: (dir) => mkdirSync(path.join(dir, 's.yaml')),
    kind: 'ConfigError',
    lines: ['s.yaml is a directory, not a file; expected a regular YAML file of at most 1 MiB'],
  },
  {
    name: 's.yaml is a FIFO (would block forever)',
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, 's.yaml')]),
    kind: 'ConfigError',
    lines: [
      's.yaml is a named pipe (FIFO), not a regular file; expected a regular YAML file of at most 1 MiB',
    ],
  },
  {
    name: 's.yaml links to /dev/zero (never ends)',
    setup: (dir) => symlinkSync('/dev/zero', path.join(dir, 's.yaml')),
    kind: 'ConfigError',
    lines: ['s.yaml is a device, not a regular file; expected a regular YAML file of at most 1 MiB'],
  },
  {
    name: 's.yaml is a loop of symbolic links',
    setup: (dir) => symlinkSync('s.yaml', path.join(dir, 's.yaml')),
    run: resolve({ config: 's.yaml' }),
    kind: 'ConfigError',
    lines: ['The specified template file does not exist: s.yaml'],
  },
  {
    name: 'a 2 MiB s.yaml of comments',
    files: yaml(`${AGENT}${'# padding\n'.repeat(210_000)}`),
    kind: 'ConfigError',
    lines: ['s.yaml is larger than the 1 MiB limit; expected a regular YAML file of at most 1 MiB'],
  },
  {
    name: 'extend: names a directory',
    files: yaml('edition: 3.0.0\nextend: base.yaml\nresources: {}\n'),
    setup: (dir) => mkdirSync(path.join(dir, 'base.yaml')),
    kind: 'ConfigError',
    lines: ['base.yaml is a directory, not a file; expected a regular YAML file of at most 1 MiB'],
  },
  {
    name: 'the .env file is a FIFO',
    files: yaml(AGENT),
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, '.env')]),
    kind: 'ConfigError',
    lines: [
      'cannot read the env file .env: it is a named pipe (FIFO), not a regular file; expected a regular file of at most 1 MiB',
    ],
  },
  {
    name: 'env-file names a directory',
    files: yaml(AGENT),
    setup: (dir) => mkdirSync(path.join(dir, 'envs')),
    run: resolve({ envFile: 'envs' }),
    kind: 'ConfigError',
    lines: [
      'cannot read the env file envs: it is a directory, not a file; expected a regular file of at most 1 MiB',
    ],
  },
  {
    name: '${file()} of a FIFO',
    files: yaml(`${HEAD}      prompt: \${file('prompt.txt')}\n`),
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, 'prompt.txt')]),
    kind: 'ConfigError',
    lines: [
      "s.yaml:7:15: resources.agent.props.prompt: file('prompt.txt') is a named pipe (FIFO), not a regular file",
    ],
  },
  {
    name: '${file()} of /dev/zero',
    files: yaml(`${HEAD}      prompt: \${file('/dev/zero')}\n`),
    kind: 'ConfigError',
    lines: ["s.yaml:7:15: resources.agent.props.prompt: file('/dev/zero') is a device, not a regular file"],
  },
  // --- .env and the dotenv input ---
  {
    name: '.env with invalid UTF-8',
    files: { ...yaml(AGENT), '.env': bytes('A=1\nGREETING=caf', [0xe9], '\n') },
    kind: 'ConfigError',
    lines: ['.env:2:13: .env is not valid UTF-8 (byte 0xE9 here): save the file with UTF-8 encoding'],
  },
  {
    name: '.env with a NUL byte',
    files: { ...yaml(AGENT), '.env': bytes('A=x', [0], 'y\n') },
    kind: 'ConfigError',
    lines: [/^\.env:1:4: \.env contains the control character U\+0000/],
  },
  {
    name: '.env variable that refers to itself (dotenv-expand recurses until the stack overflows)',
    files: { ...yaml(AGENT), '.env': 'OK=1\nexport LOOP=${LOOP}x\n' },
    kind: 'ConfigError',
    lines: [
      '.env:2:1: .env: expanding the $ references of LOOP does not end (it refers to itself, directly or through other variables): remove the loop, or write a literal dollar sign as \\$',
    ],
  },
  {
    name: '.env variables that double each other: 2^40 characters',
    files: {
      ...yaml(AGENT),
      '.env': Array.from({ length: 40 }, (_, i) => `V${i}=$V${i + 1}$V${i + 1}`).join('\n') + '\nV40=xxxx\n',
    },
    kind: 'ConfigError',
    lines: [/^\.env:1:1: \.env: expanding the \$ references of V0 does not end/],
  },
  {
    name: 'dotenv input that refers to itself: named by line, never shown',
    files: yaml(AGENT),
    run: resolve({ dotenv: 'TOKEN=sk-1234\nA=$B\nB=$A\n' }),
    kind: 'ConfigError',
    lines: [
      'line 2 of the dotenv input: expanding the $ references of A does not end (it refers to itself, directly or through other variables): remove the loop, or write a literal dollar sign as \\$',
    ],
  },
  {
    name: 'dotenv input with a control character',
    files: yaml(AGENT),
    run: resolve({ dotenv: 'A=1\nB=\u0007\n' }),
    kind: 'ConfigError',
    lines: ['line 2 of the dotenv input contains the control character U+0007: delete it'],
  },
  {
    name: 'dotenv input with CRLF line endings',
    files: yaml(`${HEAD}      greeting: \${env('GREETING')}\n`),
    run: resolve({ dotenv: 'GREETING=hello\r\nOTHER=x\r\n' }),
    kind: 'accepted',
    lines: [],
    check: ({ value }) => assert.deepEqual(value, { agent: { region: 'cn-hangzhou', greeting: 'hello' } }),
  },
  // --- validation of what the API paths and bodies are built from ---
  {
    name: 'names that break URL paths: ../x, a/b, a?b, %2e',
    files: yaml(
      `${AGENT.replace('name: demo', 'name: ../x')}        endpoints:\n          - { name: a/b }\n          - { name: "a?b", weight: 0.1 }\n          - { name: "%2e", weight: 0.1 }\n`,
    ),
    run: plan(),
    kind: 'ConfigError',
    lines: [
      /^s\.yaml:8:15: resources\.agent\.props\.agent\.name: expected a name of 1-128 letters/,
      /^s\.yaml:11:21: resources\.agent\.props\.agent\.endpoints\.0\.name: expected a name of 1-64 letters/,
      /^s\.yaml:12:21: resources\.agent\.props\.agent\.endpoints\.1\.name: expected a name of 1-64 letters/,
      /^s\.yaml:13:21: resources\.agent\.props\.agent\.endpoints\.2\.name: expected a name of 1-64 letters/,
    ],
  },
  {
    name: 'a name in Chinese',
    files: yaml(AGENT.replace('name: demo', 'name: 智能体')),
    run: plan(),
    kind: 'ConfigError',
    lines: [/^s\.yaml:8:15: resources\.agent\.props\.agent\.name: expected a name of 1-128 letters/],
  },
  {
    name: 'a weight as a string',
    files: yaml(
      `${AGENT}        endpoints:\n          - { name: main }\n          - { name: canary, weight: "0.1" }\n`,
    ),
    run: plan(),
    kind: 'ConfigError',
    lines: [/^s\.yaml:12:37: resources\.agent\.props\.agent\.endpoints\.1\.weight: expected a number/],
  },
  // --- credentials (item 7) ---
  {
    name: 'a newline inside access-key-id',
    run: credentials({ accessKeyId: 'LTAI5t\nabc', accessKeySecret: 'secret' }),
    kind: 'CredentialsError',
    lines: [
      'access-key-id contains a line break at character 7; credentials are printable ASCII without spaces. Copy the value into the secret again, on one line and without quotes.',
    ],
  },
  {
    name: 'a carriage return inside access-key-secret',
    run: credentials({ accessKeyId: 'LTAI5tabc', accessKeySecret: 'sec\rret' }),
    kind: 'CredentialsError',
    lines: [/^access-key-secret contains a line break at character 4;/],
  },
  {
    name: 'a space inside security-token',
    run: credentials({ accessKeyId: 'STS.abc', accessKeySecret: 'secret', securityToken: 'CAIS abc' }),
    kind: 'CredentialsError',
    lines: [/^security-token contains white space at character 5;/],
  },
  {
    name: 'a NUL inside ALIBABA_CLOUD_ACCESS_KEY_ID',
    run: credentials(
      {},
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI\u0000x', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret' },
    ),
    kind: 'CredentialsError',
    lines: [/^ALIBABA_CLOUD_ACCESS_KEY_ID contains the character U\+0000 at character 5;/],
  },
  {
    name: 'a non-ASCII character inside ALICLOUD_SECURITY_TOKEN',
    run: credentials(
      {},
      { ALICLOUD_ACCESS_KEY: 'STS.x', ALICLOUD_SECRET_KEY: 'secret', ALICLOUD_SECURITY_TOKEN: 'CAIS＋x' },
    ),
    kind: 'CredentialsError',
    lines: [/^ALICLOUD_SECURITY_TOKEN contains the character U\+FF0B at character 5;/],
  },
  {
    name: 'a newline inside the AccessKeySecret of <alias>_serverless_devs_key',
    run: credentials(
      {},
      {
        default_serverless_devs_key: JSON.stringify({
          AccountID: '1234',
          AccessKeyID: 'LTAI',
          AccessKeySecret: 'a\nb',
        }),
      },
    ),
    kind: 'CredentialsError',
    lines: [/^default_serverless_devs_key\.AccessKeySecret contains a line break at character 2;/],
  },
  {
    name: 'a trailing newline, as secrets are often pasted, is trimmed',
    run: credentials({ accessKeyId: 'LTAI5tabc\n', accessKeySecret: 'secret\r\n' }),
    kind: 'accepted',
    lines: ['inputs'],
  },
  // --- inputs (item 9) ---
  {
    name: 'api-endpoint: not a url!',
    run: inputs({ 'api-endpoint': 'not a url!' }),
    kind: 'InputError',
    lines: [
      'Input api-endpoint "not a url!" contains white space or a control character: expected a host name such as agentrun.cn-hangzhou.aliyuncs.com, a host:port, or an http(s) URL such as http://127.0.0.1:9000.',
    ],
  },
  {
    name: 'api-endpoint: ftp://127.0.0.1:21',
    run: inputs({ 'api-endpoint': 'ftp://127.0.0.1:21' }),
    kind: 'InputError',
    lines: [
      /^Input api-endpoint "ftp:\/\/127\.0\.0\.1:21" uses ftp:\/\/, but only http:\/\/ and https:\/\/ are supported:/,
    ],
  },
  {
    name: 'api-endpoint with a user and password is refused without printing them',
    run: inputs({ 'api-endpoint': 'https://admin:hunter2@agentrun.example.com' }),
    kind: 'InputError',
    lines: [/^Input api-endpoint must not contain a user name or password:/],
    check: ({ lines }) => assert.ok(!lines.join('').includes('hunter2')),
  },
  {
    name: 'api-endpoint with a path',
    run: inputs({ 'api-endpoint': 'agentrun.cn-hangzhou.aliyuncs.com/v1' }),
    kind: 'InputError',
    lines: [/^Input api-endpoint ".*" must not have a path, query or fragment/],
  },
  {
    name: 'api-endpoint with a port out of range',
    run: inputs({ 'api-endpoint': '127.0.0.1:99999' }),
    kind: 'InputError',
    lines: [/^Input api-endpoint "127\.0\.0\.1:99999" is not a host name, host:port or URL/],
  },
  {
    name: 'sts-endpoint with an underscore host',
    run: credentials({
      roleToAssume: 'acs:ram::123456789012:role/deploy',
      oidcProviderArn: 'acs:ram::123456789012:oidc-provider/github',
      stsEndpoint: 'sts_internal',
    }),
    kind: 'InputError',
    lines: [/^Input sts-endpoint "sts_internal" has no valid host name/],
  },
  {
    name: 'host names, host:port and http(s) URLs are endpoints',
    run: async (dir) => {
      const accepted = [
        'agentrun.cn-hangzhou.aliyuncs.com',
        'localhost:9000',
        'http://127.0.0.1:9000',
        'https://[::1]:8443/',
      ];
      for (const endpoint of accepted) await inputs({ 'api-endpoint': endpoint })(dir);
      return inputs({ 'api-endpoint': ' http://127.0.0.1:9000 ' })(dir);
    },
    kind: 'accepted',
    lines: [],
    check: ({ value }) =>
      assert.equal((value as { apiEndpoint: string }).apiEndpoint, 'http://127.0.0.1:9000'),
  },
  {
    name: 'parallel: 0',
    run: inputs({ parallel: '0' }),
    kind: 'InputError',
    lines: ['Input parallel must be a whole number of 1 or more, not "0".'],
  },
  {
    name: 'timeout: forever',
    run: inputs({ timeout: 'forever' }),
    kind: 'InputError',
    lines: ['Input timeout must be a duration such as 900, 90s or 15m, not "forever".'],
  },
  // --- the whole CLI: exit 1 (2 for a bad option), the message, nothing else ---
  {
    name: 'CLI plan with a FIFO for config',
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]),
    run: cli(['plan', 'pipe.yaml']),
    kind: 'exit 1',
    check: ({ lines: [stdout, stderr] }) => {
      assert.equal(stdout, '');
      assert.match(stderr, /pipe\.yaml is a named pipe \(FIFO\), not a regular file/);
    },
  },
  {
    name: 'CLI plan of an alias bomb',
    files: yaml(aliasBomb(false)),
    run: cli(['plan']),
    kind: 'exit 1',
    check: ({ lines: [, stderr] }) =>
      assert.match(stderr, /s\.yaml:7:12: error: vars\.l4\.0: the alias \*l3/),
  },
  {
    name: 'CLI deploy with a newline in access-key-id fails before any request (nothing listens on port 9)',
    files: yaml(AGENT),
    run: cli([
      'deploy',
      '--access-key-id',
      'LTAI\nx',
      '--access-key-secret',
      'secret-value-123',
      '--api-endpoint',
      'http://127.0.0.1:9',
    ]),
    kind: 'exit 1',
    check: ({ lines: [, stderr] }) => {
      assert.match(stderr, /access-key-id contains a line break at character 5/);
      assert.doesNotMatch(stderr, /retry|ECONNREFUSED|Authorization/i);
    },
  },
  {
    name: 'CLI plan with api-endpoint "not a url!"',
    files: yaml(AGENT),
    run: cli(['plan', '--api-endpoint', 'not a url!']),
    // A bad option value is a usage error: exit 2, named as the option it is.
    kind: 'exit 2',
    check: ({ lines: [, stderr] }) =>
      assert.match(stderr, /^error: --api-endpoint "not a url!" contains white space/m),
  },
];

let ended = 0;
let slowest = { name: '', ms: 0 };
after(() => {
  console.log(
    `hostile inputs: ${CASES.length} cases, ${ended} ended as expected (slowest: ${slowest.name}, ${Math.round(slowest.ms)} ms)`,
  );
});

describe('hostile inputs end as described', () => {
  CASES.forEach((kase, index) => {
    test(kase.name, { timeout: 60_000 }, async () => {
      const dir = path.join(root, String(index));
      mkdirSync(dir);
      for (const [name, body] of Object.entries(kase.files ?? {})) writeFileSync(path.join(dir, name), body);
      kase.setup?.(dir);
      const started = performance.now();
      const result = await (kase.run ?? resolve())(dir);
      const ms = performance.now() - started;
      if (ms > slowest.ms) slowest = { name: kase.name, ms };
      assert.equal(result.kind, kase.kind, result.lines.join('\n'));
      for (const line of result.lines) assert.doesNotMatch(line, RAW);
      if (kase.lines) {
        assert.equal(result.lines.length, kase.lines.length, result.lines.join('\n'));
        kase.lines.forEach((expected, at) =>
          typeof expected === 'string'
            ? assert.equal(result.lines[at], expected)
            : assert.match(result.lines[at], expected),
        );
        // One line each: an annotation shows one line.
        for (const line of result.lines) assert.doesNotMatch(line, /\n/);
      }
      kase.check?.(result);
      ended++;
    });
  });
});
