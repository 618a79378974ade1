/**
 * `${...}` interpolation with the exact rules of Serverless Devs' art-template fork (devs-compile.js and
 * compiler.js): which text is taken as a path lookup, which as a JavaScript-like expression, how results
 * are typed, and the one level of re-evaluation — with one deliberate difference: text read from outside
 * the file (`env()`, which also reads `.env` and the dotenv input, and `file()`) is data. It is never
 * evaluated again, so a workflow variable holding a PR title such as `${file('/etc/passwd')}` stays that
 * text; the resolution warns about it instead.
 */
import type { KeyPath } from './types.js';
import { ExpressionError, evaluate, parseExpression, readMember, type Scope } from './expression.js';
import { MAX_DEPTH, MAX_RESOLVED_ENTRIES } from './limits.js';
import { magicFunctions, type MagicEnvironment } from './magic.js';

/** Placeholder for a value whose interpolation failed (already reported); references to it stay silent. */
export class FailedValue {
  readonly failed = true;
}
export const FAILED = new FailedValue();

/** Thrown internally when an expression reads a failed value: no new problem, the result is FAILED. */
class DependsOnFailure extends Error {}

/** What one interpolation sees: `vars`, `cwd`, `resources`, `that`... and the magic functions' inputs. */
export interface InterpolationContext {
  data: Readonly<Record<string, unknown>>;
  environment: MagicEnvironment;
  /** Keys and list items interpolation may still create, shared by every pass over one file. */
  budget?: { entries: number };
  /**
   * Strings built from data that holds `${...}`, shared by every pass over one file: read again through
   * `${vars.x}`, they are still data.
   */
  dataTexts?: Set<string>;
}

/** Interpolation created a value beyond the caps of limits.ts; ends the resolution at `path`. */
export class ResolvedTooLarge extends Error {
  constructor(
    readonly path: KeyPath,
    message: string,
  ) {
    super(message);
    this.name = 'ResolvedTooLarge';
  }
}

/** Receives the key path of the string that failed and the error. */
export type Reporter = (path: KeyPath, error: ExpressionError) => void;

/** s's `\${([\w\W]*?)}`: non-greedy, so an expression ends at the first `}`. */
export const MAGIC_PATTERN = /\$\{([\w\W]*?)\}/;
const MAGIC_GLOBAL = new RegExp(MAGIC_PATTERN.source, 'g');
const INFO_REFERENCE = /\$\{resources\.([^.{}]+)\.info(\.[^.{}]+)+}/;
const COMPONENT_OUTPUT_REFERENCE = /\$\{components\.([^.{}]+)\.output(\.[^.{}]+)+}/;

function checkFailed<T>(value: T): T {
  if (value instanceof FailedValue) throw new DependsOnFailure();
  return value;
}

/** The magic functions whose results are data from outside the file: never evaluated again. */
const DATA_FUNCTIONS: ReadonlySet<string> = new Set(['env', 'file']);

/** Objects an expression built from data (`${json(env('X'))}`): their strings are not interpolated. */
const dataObjects = new WeakSet<object>();

/** What the data functions returned while one `${...}` was evaluated. */
interface DataReads {
  /** Whether any data was read. */
  read: boolean;
  /** Whether a value read holds `${...}`, which must then stay text. */
  holdsExpression: boolean;
  /** Whether any part of the whole string, in either round, came from such data. */
  any: boolean;
  /** See InterpolationContext.dataTexts. */
  texts?: Set<string>;
}

/** Called with `env('NAME')` or `file('path')` when the value read holds text that looks like `${...}`. */
export type DataExpressionReporter = (source: string) => void;

function createScope(
  context: InterpolationContext,
  reads: DataReads,
  onDataExpression?: DataExpressionReporter,
): Scope {
  const { data } = context;
  const lookup = (name: string) => checkFailed(Object.hasOwn(data, name) ? data[name] : undefined);
  const member = (object: unknown, key: string) => checkFailed(readMember(checkFailed(object), key));
  const functions = magicFunctions(context.environment, (keys) =>
    readPath(lookup(keys[0] ?? ''), keys.slice(1), member),
  );
  return {
    lookup,
    member,
    isFunction: (name) => Object.hasOwn(functions, name),
    call: (name, args) => {
      const result = functions[name](...args.map(checkFailed));
      if (DATA_FUNCTIONS.has(name)) {
        reads.read = true;
        if (typeof result === 'string' && MAGIC_PATTERN.test(result)) {
          reads.holdsExpression = reads.any = true;
          onDataExpression?.(`${name}('${String(args[0])}')`);
        }
      }
      return result;
    },
  };
}

/** lodash `get` with an array path: undefined as soon as a step is null or undefined. */
function readPath(
  root: unknown,
  keys: readonly string[],
  member: (object: unknown, key: string) => unknown,
): unknown {
  let value = root;
  for (const key of keys) {
    if (value === null || value === undefined) return undefined;
    value = member(value, key);
  }
  return value;
}

function notFoundHint(magic: string): string | undefined {
  if (/^\$\{\s|\s\}$/.test(magic)) {
    return 'remove the spaces inside ${ }: with them, s looks up keys that include the spaces';
  }
  if (magic.startsWith('${vars.')) {
    return 'define it under `vars:` with a non-null value (a `${vars...}` reference is a plain dotted path: no operators, no [index])';
  }
  if (magic.startsWith('${resources.')) return 'check the resource name and the key path under its props';
  return undefined;
}

/** art-template's `$escape` as redefined by devs-compile: missing values are errors unless ignorable. */
function escape(value: unknown, magic: string | undefined, ignoreError: boolean): unknown {
  if (value !== undefined && value !== null) return value;
  if (magic !== undefined && (INFO_REFERENCE.test(magic) || COMPONENT_OUTPUT_REFERENCE.test(magic)))
    return magic;
  if (ignoreError) return magic;
  if (magic === undefined) {
    throw new ExpressionError('undefined not found', 'the expression evaluated to null or undefined');
  }
  throw new ExpressionError(`${magic} not found`, notFoundHint(magic));
}

function run(code: string, scope: Scope): unknown {
  return evaluate(parseExpression(code), scope);
}

/**
 * One `${code}`, following compiler.js's getCode(): text with a call is evaluated as an expression (an
 * unquoted argument list becomes one string); anything else is `first.rest.of.path`, where `first` is
 * an expression and the rest are literal keys.
 */
function evaluateMagic(code: string, source: string, scope: Scope): unknown {
  if (/(.*)\((.*)\)/.test(code)) {
    const quoted = /'(.+)'/.test(code) || /"(.+)"/.test(code);
    return escape(run(quoted ? code : code.replace(/\((.+)\)/, "('$1')"), scope), undefined, false);
  }
  // s embeds the source text in a single-quoted JavaScript string: a quote or line break breaks it.
  if (/['\n\r\u2028\u2029]/.test(source)) {
    throw new ExpressionError(
      `${source} cannot be compiled`,
      'an expression ends at the first }, must fit on one line, and may use single quotes only inside ' +
        'function arguments (use double quotes elsewhere)',
    );
  }
  const [first, ...rest] = code.split('.');
  const ignoreError =
    first === 'self' ||
    first === 'shared' ||
    ((first === 'resources' || first === 'components') && (rest[1] === 'output' || rest[1] === 'info'));
  if (rest.length === 0) return escape(run(code, scope), source, ignoreError);
  return escape(readPath(run(first, scope), rest, scope.member), source, ignoreError);
}

/** One piece of a compiled string: literal text, or what one `${...}` gave and whether that is data. */
interface Part {
  value: unknown;
  data: boolean;
}

function compileOnce(source: string, scope: Scope, reads: DataReads): Part[] {
  const parts: Part[] = [];
  let index = 0;
  for (const match of source.matchAll(MAGIC_GLOBAL)) {
    if (match.index > index) parts.push({ value: source.slice(index, match.index), data: false });
    reads.read = reads.holdsExpression = false;
    const value = evaluateMagic(match[1], match[0], scope);
    if (reads.read && value !== null && typeof value === 'object') dataObjects.add(value);
    const data = reads.holdsExpression || (typeof value === 'string' && !!reads.texts?.has(value));
    if (data) reads.any = true;
    parts.push({ value, data });
    index = match.index + match[0].length;
  }
  if (index < source.length) parts.push({ value: source.slice(index), data: false });
  return parts;
}

/** A lone `${...}` keeps its JavaScript type; anything else is string concatenation. */
function joined(parts: readonly Part[]): unknown {
  return parts.length === 1 ? parts[0]!.value : parts.map((part) => String(part.value)).join('');
}

/**
 * Interpolates one string like s does, including one re-evaluation when the result still contains
 * `${...}` — except of what came from data. Returns FAILED when it depends on a value that already failed; throws ExpressionError.
 */
export function renderString(
  text: string,
  context: InterpolationContext,
  onDataExpression?: DataExpressionReporter,
): unknown {
  // Most strings hold no expression; they need no scope, and there are thousands of them.
  if (!text.includes('${')) return text;
  // A value computed from a secret is a secret too (`${json(env('X'))}`, `https://${env('HOST')}/`),
  // and masking only the raw environment value would not hide it.
  let tainted = false;
  const { onSecret } = context.environment;
  const environment = {
    ...context.environment,
    onSecret: (value: string) => ((tainted = true), onSecret(value)),
  };
  const reads: DataReads = { read: false, holdsExpression: false, any: false, texts: context.dataTexts };
  const scope = createScope({ ...context, environment }, reads, onDataExpression);
  try {
    // `this` is an alias of `that` only in the first round: s does not rewrite re-evaluated text, so a
    // `${this.x}` reached through another value finds no `this`.
    const first = compileOnce(text.replace(/\$\{this\./g, '${that.'), scope, reads);
    // s evaluates a result that still holds `${...}` once more; a part that came from data stays as read.
    const again = (part: Part): Part =>
      !part.data && typeof part.value === 'string' && MAGIC_PATTERN.test(part.value)
        ? { value: joined(compileOnce(part.value, scope, reads)), data: false }
        : part;
    const result = typeof joined(first) === 'string' ? joined(first.map(again)) : joined(first);
    if (typeof result === 'string' && reads.any) context.dataTexts?.add(result);
    if (tainted) forEachString(result, onSecret);
    return result;
  } catch (error) {
    if (error instanceof DependsOnFailure) return FAILED;
    if (error instanceof ExpressionError) {
      throw new ExpressionError(error.message.replace(/\$\{that\./g, '${this.'), error.hint);
    }
    throw error;
  }
}

function forEachString(value: unknown, fn: (text: string) => void): void {
  if (typeof value === 'string') fn(value);
  else if (value && typeof value === 'object')
    for (const item of Object.values(value)) forEachString(item, fn);
}

/**
 * parse-spec's getInputs(): interpolates every string of a tree. Keys whose value ends up null or
 * undefined are dropped; in arrays they leave a hole. Objects produced by an expression are walked too,
 * but the strings of those built from data are left as they are.
 */
export function interpolateTree(
  input: unknown,
  context: InterpolationContext,
  path: KeyPath,
  report?: Reporter,
  warn?: (path: KeyPath, message: string) => void,
): unknown {
  const render = (text: string, at: KeyPath): unknown => {
    try {
      return renderString(
        text,
        context,
        warn &&
          ((source) =>
            warn(
              at,
              `\${${source}} holds text that looks like an expression: it is used as written, never evaluated ` +
                '(values from the environment, .env, the dotenv input and files are data)',
            )),
      );
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      report?.(at, error);
      return FAILED;
    }
  };
  const copy = (value: unknown, at: KeyPath, data = false): unknown => {
    if (value === null || typeof value !== 'object' || value instanceof FailedValue) return value;
    const isData = data || dataObjects.has(value);
    // The file itself is within the caps; values that expressions insert into each other may not be.
    if (at.length >= MAX_DEPTH) {
      throw new ResolvedTooLarge(
        at,
        `resolving the expressions nests values more than ${MAX_DEPTH} levels deep: ` +
          'a value that refers to itself through others?',
      );
    }
    const isArray = Array.isArray(value);
    const result: Record<string, unknown> = isArray ? ([] as unknown as Record<string, unknown>) : {};
    // Still data when a later pass reads it through `${vars.x}`.
    if (isData) dataObjects.add(result);
    for (const [key, raw] of Object.entries(value)) {
      const childPath = [...at, isArray ? Number(key) : key];
      if (context.budget && --context.budget.entries < 0) {
        throw new ResolvedTooLarge(
          childPath,
          `resolving the expressions creates more than ${MAX_RESOLVED_ENTRIES.toLocaleString('en-US')} ` +
            'keys and list items: a large value is copied into many places; refer to fewer or smaller values',
        );
      }
      const item = typeof raw === 'string' && !isData ? render(raw, childPath) : raw;
      if (item !== undefined && item !== null) result[key] = copy(item, childPath, isData);
    }
    return result;
  };
  return copy(typeof input === 'string' ? render(input, path) : input, path);
}
