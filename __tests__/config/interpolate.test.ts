/**
 * Expression evaluation and typing rules, checked against Serverless Devs' own devs-compile (the
 * art-template fork) on the same text, data and environment.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  ExpressionError,
  evaluate,
  parseExpression,
  readMember,
  type Scope,
} from '../../src/config/expression.js';
import {
  FAILED,
  interpolateTree,
  renderString,
  type InterpolationContext,
} from '../../src/config/interpolate.js';

const require = createRequire(import.meta.url);
type DevsCompile = (value: string, context: object, recursive: boolean) => unknown;

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'config', '07-cwd-file-path');
const ENV = { FOO: 'foo', NUM: '42', EMPTY: '', NESTED: 'n-${vars.s}' };
const DATA = {
  cwd: DIR,
  vars: {
    port: 9000,
    flag: true,
    obj: { a: 1 },
    list: [1, 2],
    s: 'x',
    nul: null,
    emp: '',
    zero: 0,
    ref: '${vars.s}-r',
    j: '[1,2]',
  },
  credential: { AccountID: '123' },
};

function ours(text: string): { value?: unknown; error?: string } {
  const context: InterpolationContext = {
    data: DATA,
    environment: {
      env: ENV,
      dir: DIR,
      credential: DATA.credential,
      isSecretEnv: () => false,
      onSecret: () => {},
    },
  };
  try {
    return { value: renderString(text, context) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function oracle(text: string): { value?: unknown; error?: string } {
  const saved = { ...process.env };
  Object.assign(process.env, ENV);
  try {
    const compile = require('@serverless-devs/art-template/lib/devs-compile') as DevsCompile;
    return { value: compile(text, { ...DATA, __runtime: 'parse' }, true) };
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    for (const key of Object.keys(ENV)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

// Each row: the text and what the reference (s-yaml.md §3) says it gives; `null` means "an error".
const TABLE: [string, unknown][] = [
  ['${vars.port}', 9000],
  ['${vars.flag}', true],
  ['${vars.obj}', { a: 1 }],
  ['${vars.list}', [1, 2]],
  ['p${vars.port}', 'p9000'],
  ['${vars.port}${vars.port}', '90009000'],
  ['x ${vars.obj}', 'x [object Object]'],
  ['${vars.ref}', 'x-r'],
  ['${vars.emp}', ''],
  ['${vars.zero}', 0],
  ['${vars.nul}', null],
  ['${vars.missing}', null],
  ['${vars.port + 1}', null],
  ['${vars.list[0]}', null],
  ['${ vars.port }', null],
  ['${env("NUM")}', '42'],
  ["${env('NUM')}", '42'],
  ['${env(NUM)}', '42'],
  ["${env('EMPTY')}", null],
  ["${env('UNSET', 8080)}", 8080],
  ["${env('UNSET', false)}", false],
  ["${env('UNSET', '')}", ''],
  ["${env('UNSET', null)}", null],
  ['${env(UNSET, 8080)}', null],
  ['${1+2}', 3],
  ['${ 1 + 2 }', 3],
  ['${1 > 0 ? "yes" : "no"}', 'yes'],
  ["${1 > 0 ? 'yes' : 'no'}", null],
  ['${env("NUM").length > 0}', true],
  ['${env("NUM") * 2}', 84],
  ["${env('NUM', 3) + 1}", '421'],
  ['${1 + (2)}', '12'],
  ['${1.5}', null],
  ['${true}', true],
  ['${null}', null],
  ['${-1}', -1],
  ['${"a" + 1}', 'a1'],
  ['${str(vars.port)}', '9000'],
  ['${str(vars.list[1])}', '2'],
  ['${json(vars.j)}', null],
  ["${json('[1,2]')}", [1, 2]],
  ["${json('null')}", null],
  ["${base64('hi')}", 'aGk='],
  ["${yaml('a: 1')}", { a: 1 }],
  ["${config('AccountID')}", '123'],
  ["${config('AccessKeyID')}", null],
  ["${file('prompt.txt')}", 'You are helpful.\nBe brief.\n'],
  ["${file('nope.txt')}", null],
  ['${cwd}', DIR],
  ['${resources.a.output.x}', '${resources.a.output.x}'],
  ['pre ${resources.a.info.x} post', 'pre ${resources.a.info.x} post'],
  ['${components.a.output.b}', '${components.a.output.b}'],
  ['$${vars.s}', '$x'],
  ['${vars.s}}', 'x}'],
  ['${a', '${a'],
  ['no magic', 'no magic'],
];

describe('renderString matches devs-compile', () => {
  for (const [text, expected] of TABLE) {
    test(text, () => {
      const actual = ours(text);
      const reference = oracle(text);
      if (expected === null) {
        assert.ok(actual.error !== undefined, `expected an error, got ${JSON.stringify(actual.value)}`);
        assert.ok(reference.error !== undefined, 'devs-compile accepts it');
        // s's message (RuntimeError) must be ours too; compile errors are worded by V8 there.
        if (/RuntimeError/.test(reference.error)) assert.ok(reference.error.endsWith(actual.error));
      } else {
        assert.deepEqual(actual, { value: expected });
        assert.deepEqual(reference, { value: expected });
      }
    });
  }
});

test('values are data: an env value holding ${...} is used as written, where devs-compile evaluates it', () => {
  assert.deepEqual(oracle("${env('NESTED')}"), { value: 'n-x' });
  assert.deepEqual(ours("${env('NESTED')}"), { value: 'n-${vars.s}' });
  assert.deepEqual(ours("t-${env('NESTED')}-${vars.s}"), { value: 't-n-${vars.s}-x' });
});

describe('expression evaluator', () => {
  const scope: Scope = {
    lookup: (name) => ({ a: { b: [10, 20] }, s: 'str' })[name],
    isFunction: (name) => name === 'twice',
    call: (_name, args) => Number(args[0]) * 2,
    member: readMember,
  };
  const cases: [string, unknown][] = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 % 4', 2],
    ['!0', true],
    ['1 < 2 && 2 <= 2', true],
    ['0 || "x"', 'x'],
    ['"1" == 1', true],
    ['"1" === 1', false],
    ['1 ? 2 ? "a" : "b" : "c"', 'a'],
    ['a.b[1]', 20],
    ['a.b.length', 2],
    ['s.length', 3],
    ['twice(a.b[0])', 20],
    ["'it\\'s'", "it's"],
    ['"\\u0041\\n"', 'A\n'],
    ['0x1F', 31],
    ['undefined', undefined],
  ];
  for (const [text, expected] of cases) {
    test(text, () => assert.deepEqual(evaluate(parseExpression(text), scope), expected));
  }
  test('prototype members are unreachable', () => {
    assert.equal(evaluate(parseExpression('a.constructor'), scope), undefined);
    assert.equal(evaluate(parseExpression('s.toString'), scope), undefined);
  });
  for (const bad of ['1 +', 'a.', '(1', 'a b', 'x = 1', 's.length()', '`t`', '"open']) {
    test(`rejects ${bad}`, () => assert.throws(() => evaluate(parseExpression(bad), scope), ExpressionError));
  }
  test('reading a member of undefined fails like JavaScript', () => {
    assert.throws(
      () => evaluate(parseExpression('nope.x'), scope),
      /Cannot read properties of undefined \(reading 'x'\)/,
    );
  });
});

describe('interpolateTree', () => {
  const context: InterpolationContext = {
    data: { vars: { gone: null, n: 1 } },
    environment: { env: {}, dir: DIR, isSecretEnv: () => false, onSecret: () => {} },
  };
  test('drops null keys and leaves holes in arrays, like parse-spec getInputs', () => {
    const result = interpolateTree({ a: null, b: '${vars.n}', list: [null, 1, null] }, context, []);
    const holes: unknown[] = [];
    holes[1] = 1;
    assert.deepStrictEqual(result, { b: 1, list: holes });
  });
  test('reports every failing string with its path and marks it failed', () => {
    const reported: unknown[] = [];
    const result = interpolateTree({ a: '${vars.x}', b: ['${vars.y}'] }, context, ['root'], (at, error) =>
      reported.push([at, error.message]),
    );
    assert.deepEqual(reported, [
      [['root', 'a'], '${vars.x} not found'],
      [['root', 'b', 0], '${vars.y} not found'],
    ]);
    assert.deepStrictEqual(result, { a: FAILED, b: [FAILED] });
  });
  test('a value that depends on a failed one is not reported again', () => {
    const failed: InterpolationContext = { ...context, data: { vars: { bad: FAILED } } };
    const reported: unknown[] = [];
    assert.equal(
      interpolateTree('x-${vars.bad}', failed, [], (at) => reported.push(at)),
      FAILED,
    );
    assert.deepEqual(reported, []);
  });
  test('records secret env() values as secrets, and what is computed from them', () => {
    const secrets: string[] = [];
    const environment = {
      env: { K: 'v', P: 'public' },
      dir: DIR,
      isSecretEnv: (name: string) => name === 'K',
      onSecret: (value: string) => secrets.push(value),
    };
    renderString("${env('K')}-${env('D', 'dflt')}", { data: {}, environment });
    assert.deepEqual(secrets, ['v', 'v-dflt']);
    renderString("${env('P')}-x", { data: {}, environment });
    assert.deepEqual(secrets, ['v', 'v-dflt'], 'a variable that is not secret taints nothing');
  });

  test('a value without env() is no secret', () => {
    const secrets: string[] = [];
    renderString('${vars.a}-x', {
      data: { vars: { a: 'plain' } },
      environment: {
        env: { K: 'v' },
        dir: DIR,
        isSecretEnv: () => true,
        onSecret: (value) => secrets.push(value),
      },
    });
    assert.deepEqual(secrets, []);
  });
});
