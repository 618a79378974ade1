/**
 * A small, safe evaluator for the JavaScript-like subset that Serverless Devs' art-template fork accepts
 * inside `${ ... }`: literals, identifiers, member access, calls of the magic functions, `+ - * / %`,
 * comparisons, `&& || !`, `? :` and parentheses. No `eval`: the text is parsed into an AST and walked.
 */

/** A syntax or evaluation error inside one `${...}` expression. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    /** How to fix it, shown after s's own message. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

export type Expression =
  | { kind: 'literal'; value: unknown }
  | { kind: 'identifier'; name: string }
  | { kind: 'member'; object: Expression; property: Expression }
  | { kind: 'call'; callee: string; args: Expression[] }
  | { kind: 'unary'; operator: string; operand: Expression }
  | { kind: 'binary'; operator: string; left: Expression; right: Expression }
  | { kind: 'conditional'; test: Expression; consequent: Expression; alternate: Expression };

/** What an expression can see: data by name and the callable magic functions. */
export interface Scope {
  /** Value of a free identifier (`vars`, `cwd`, ...); undefined when unknown. */
  lookup(name: string): unknown;
  /** Whether `name` is a magic function (`env`, `file`, ...). */
  isFunction(name: string): boolean;
  call(name: string, args: unknown[]): unknown;
  /** Member access hook, so callers can intercept values (e.g. ones that already failed). */
  member(object: unknown, key: string): unknown;
}

type Token =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'name'; value: string }
  | { type: 'punct'; value: string };

// Longest first, so `===` wins over `==` and `=`.
const PUNCTUATORS = [
  '===',
  '!==',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
  '?',
  ':',
];
const SINGLE_PUNCTUATORS = '+-*/%<>!';
const KEYWORD_VALUES: Record<string, unknown> = {
  true: true,
  false: false,
  null: null,
  undefined: undefined,
};
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

function readString(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === quote) return { value, end: i + 1 };
    if (ch === '\n') break;
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const next = text[++i] ?? '';
    if (next === 'u' || next === 'x') {
      const length = next === 'u' ? 4 : 2;
      const hex = text.slice(i + 1, i + 1 + length);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) throw new ExpressionError('Invalid escape');
      value += String.fromCharCode(parseInt(hex, 16));
      i += length;
    } else {
      value += ESCAPES[next] ?? next;
    }
  }
  throw new ExpressionError('Invalid or unexpected token');
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const number = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(rest);
    if (number) {
      tokens.push({ type: 'number', value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_$][\w$]*/.exec(rest);
    if (name) {
      tokens.push({ type: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if (rest[0] === '"' || rest[0] === "'") {
      const { value, end } = readString(text, i);
      tokens.push({ type: 'string', value });
      i = end;
      continue;
    }
    const punct =
      PUNCTUATORS.find((p) => rest.startsWith(p)) ??
      (SINGLE_PUNCTUATORS.includes(rest[0]) ? rest[0] : undefined);
    if (!punct) throw new ExpressionError(`Unexpected character '${rest[0]}'`);
    tokens.push({ type: 'punct', value: punct });
    i += punct.length;
  }
  return tokens;
}

const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['==', '!=', '===', '!=='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): Expression {
    const expression = this.conditional();
    const extra = this.tokens[this.index];
    if (extra) throw new ExpressionError(`Unexpected token '${String(extra.value)}'`);
    return expression;
  }

  private peek(value: string): boolean {
    const token = this.tokens[this.index];
    return token?.type === 'punct' && token.value === value;
  }

  private expect(value: string): void {
    if (!this.peek(value)) throw new ExpressionError(`Expected '${value}'`);
    this.index++;
  }

  private conditional(): Expression {
    const test = this.binary(0);
    if (!this.peek('?')) return test;
    this.index++;
    const consequent = this.conditional();
    this.expect(':');
    return { kind: 'conditional', test, consequent, alternate: this.conditional() };
  }

  private binary(level: number): Expression {
    if (level === BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const operator = BINARY_LEVELS[level].find((op) => this.peek(op));
      if (!operator) return left;
      this.index++;
      left = { kind: 'binary', operator, left, right: this.binary(level + 1) };
    }
  }

  private unary(): Expression {
    const operator = ['!', '-', '+'].find((op) => this.peek(op));
    if (!operator) return this.postfix();
    this.index++;
    return { kind: 'unary', operator, operand: this.unary() };
  }

  private postfix(): Expression {
    let expression = this.primary();
    for (;;) {
      if (this.peek('.')) {
        this.index++;
        const name = this.tokens[this.index++];
        if (name?.type !== 'name') throw new ExpressionError('Unexpected token after "."');
        expression = { kind: 'member', object: expression, property: { kind: 'literal', value: name.value } };
      } else if (this.peek('[')) {
        this.index++;
        const property = this.conditional();
        this.expect(']');
        expression = { kind: 'member', object: expression, property };
      } else if (this.peek('(')) {
        if (expression.kind !== 'identifier')
          throw new ExpressionError('Only the magic functions can be called');
        this.index++;
        expression = { kind: 'call', callee: expression.name, args: this.arguments() };
      } else {
        return expression;
      }
    }
  }

  private arguments(): Expression[] {
    const args: Expression[] = [];
    while (!this.peek(')')) {
      args.push(this.conditional());
      if (!this.peek(',')) break;
      this.index++;
    }
    this.expect(')');
    return args;
  }

  private primary(): Expression {
    const token = this.tokens[this.index++];
    if (!token) throw new ExpressionError('Unexpected end of input');
    if (token.type === 'number' || token.type === 'string') return { kind: 'literal', value: token.value };
    if (token.type === 'name') {
      return Object.hasOwn(KEYWORD_VALUES, token.value)
        ? { kind: 'literal', value: KEYWORD_VALUES[token.value] }
        : { kind: 'identifier', name: token.value };
    }
    if (token.value === '(') {
      const inner = this.conditional();
      this.expect(')');
      return inner;
    }
    throw new ExpressionError(`Unexpected token '${token.value}'`);
  }
}

/** Parses one expression; throws ExpressionError on anything outside the supported subset. */
export function parseExpression(text: string): Expression {
  return new Parser(tokenize(text)).parseAll();
}

/**
 * JavaScript's own member read, limited to own properties (plus `length` of strings and arrays) so that
 * prototype members such as `constructor` are never reachable.
 */
export function readMember(object: unknown, key: string): unknown {
  if (object === null || object === undefined) {
    throw new ExpressionError(`Cannot read properties of ${String(object)} (reading '${key}')`);
  }
  if (typeof object === 'string') {
    return key === 'length' ? object.length : /^\d+$/.test(key) ? object[Number(key)] : undefined;
  }
  if (typeof object !== 'object') return undefined;
  if (Array.isArray(object) && key === 'length') return object.length;
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

// The operands are whatever the YAML or a function produced; JavaScript's own coercions are the spec.
type Loose = number & string;

const BINARY: Record<string, (a: unknown, b: unknown) => unknown> = {
  '+': (a, b) => (a as Loose) + (b as Loose),
  '-': (a, b) => (a as Loose) - (b as Loose),
  '*': (a, b) => (a as Loose) * (b as Loose),
  '/': (a, b) => (a as Loose) / (b as Loose),
  '%': (a, b) => (a as Loose) % (b as Loose),
  '<': (a, b) => (a as Loose) < (b as Loose),
  '>': (a, b) => (a as Loose) > (b as Loose),
  '<=': (a, b) => (a as Loose) <= (b as Loose),
  '>=': (a, b) => (a as Loose) >= (b as Loose),
  // Loose equality is part of the language being reproduced.
  '==': (a, b) => a == b,
  '!=': (a, b) => a != b,
  '===': (a, b) => a === b,
  '!==': (a, b) => a !== b,
};

/** Evaluates a parsed expression against a scope with JavaScript semantics (short-circuiting included). */
export function evaluate(expression: Expression, scope: Scope): unknown {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'identifier':
      if (scope.isFunction(expression.name)) {
        throw new ExpressionError(
          `${expression.name} is a function; call it, e.g. ${expression.name}('...')`,
        );
      }
      return scope.lookup(expression.name);
    case 'member':
      return scope.member(evaluate(expression.object, scope), String(evaluate(expression.property, scope)));
    case 'call':
      if (!scope.isFunction(expression.callee))
        throw new ExpressionError(`${expression.callee} is not a function`);
      return scope.call(
        expression.callee,
        expression.args.map((arg) => evaluate(arg, scope)),
      );
    case 'unary': {
      const value = evaluate(expression.operand, scope);
      return expression.operator === '!'
        ? !value
        : expression.operator === '-'
          ? -(value as number)
          : +(value as number);
    }
    case 'binary': {
      const left = evaluate(expression.left, scope);
      if (expression.operator === '&&') return left ? evaluate(expression.right, scope) : left;
      if (expression.operator === '||') return left ? left : evaluate(expression.right, scope);
      return BINARY[expression.operator](left, evaluate(expression.right, scope));
    }
    case 'conditional':
      return evaluate(expression.test, scope)
        ? evaluate(expression.consequent, scope)
        : evaluate(expression.alternate, scope);
  }
}
