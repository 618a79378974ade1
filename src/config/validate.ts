/**
 * Checks one `agentrun` resource against the props schema and reports every problem at once:
 * schema violations as errors, unknown keys and ignored settings as warnings, each with its
 * key path from the document root and the position `locate` finds for it.
 */
import { z } from 'zod';

import { agentrunPropsSchema, UNCONFIRMED_LANGUAGES, type AgentrunProps } from './schema.js';
import { redact } from '../secrets.js';
import { suggest } from './suggest.js';
import type { KeyPath, Problem, SourcePosition } from './types.js';

/** Maps a key path from the document root to where it is written, when known. */
export type Locate = (path: KeyPath) => SourcePosition | undefined;

/** The part of a resolved resource that validation reads. */
export interface ResourceInput {
  name: string;
  props: unknown;
}

/** Result of {@link validateResource}: `props` is set only when there are no errors (warnings allowed). */
export interface ValidationResult {
  props?: AgentrunProps;
  problems: Problem[];
}

/** Validates `resources.<name>.props` of an `agentrun` resource; `secrets` are masked in the messages. */
export function validateResource(
  resource: ResourceInput,
  locate: Locate,
  secrets: readonly string[] = [],
): ValidationResult {
  const root: KeyPath = ['resources', resource.name, 'props'];
  const found: Omit<Problem, 'position'>[] = [];
  const parsed = agentrunPropsSchema.safeParse(resource.props);
  if (!parsed.success) {
    for (const issue of parsed.error.issues.flatMap(flattenUnion)) {
      const error: Omit<Problem, 'position'> = {
        severity: 'error',
        path: [...root, ...keyPath(issue.path)],
        message: describe(issue, resource.props, secrets),
      };
      // An integer check and a range check can fail with the same message for one value.
      if (!found.some((p) => p.message === error.message && p.path.join('.') === error.path.join('.'))) {
        found.push(error);
      }
    }
  }
  for (const unknown of unknownKeys(agentrunPropsSchema, resource.props, [])) {
    found.push({
      severity: 'warning',
      path: [...root, ...unknown.path],
      message: unknownKeyMessage(unknown),
    });
  }
  for (const note of ignoredSettings(resource.props)) {
    found.push({ severity: 'warning', path: [...root, ...note.path], message: note.message });
  }
  const problems = sortByPosition(found.map((problem) => withPosition(problem, locate)));
  const hasErrors = problems.some((problem) => problem.severity === 'error');
  return parsed.success && !hasErrors ? { props: parsed.data, problems } : { problems };
}

function keyPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((key) => (typeof key === 'number' ? key : String(key)));
}

/**
 * A failed union reports one issue for all its options. When exactly one option got past the type
 * check (its issues are all inside the value), report that option's issues: `logConfig: {project}`
 * then says `logConfig.logstore` is missing instead of "expected auto or an object".
 */
function flattenUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const matched = issue.errors.filter((errors) => errors.every((inner) => inner.path.length > 0));
  if (matched.length !== 1) return [issue];
  return matched[0].flatMap((inner) => flattenUnion({ ...inner, path: [...issue.path, ...inner.path] }));
}

/** Schema messages say what is expected; the bad value is added here so every message names it. */
function describe(issue: z.core.$ZodIssue, input: unknown, secrets: readonly string[]): string {
  if (issue.code === 'custom') return issue.message;
  const value = valueAt(input, keyPath(issue.path));
  if (value === undefined) return `missing, ${issue.message}`;
  const hint =
    issue.code === 'invalid_value' && typeof value === 'string'
      ? didYouMean(value, issue.values.map(String))
      : issue.code === 'invalid_type' && typeof value === 'string'
        ? stringFromEnvHint(issue.expected, value)
        : '';
  return `${issue.message}, got ${show(value, secrets)}${hint}`;
}

/**
 * `${env()}` always yields a string, which is the usual way a number or boolean arrives as one; the
 * expression language converts it as s does.
 */
function stringFromEnvHint(expected: string, value: string): string {
  if (expected === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return "; values from ${env()} are strings: write ${env('NAME') * 1} for a number";
  }
  if (expected === 'boolean' && /^(true|false)$/.test(value)) {
    return '; values from ${env()} are strings: write ${env(\'NAME\') == "true"} for a boolean';
  }
  return '';
}

function valueAt(input: unknown, path: KeyPath): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * Short, single-line rendering of a user value for messages. Secrets are masked here, before the
 * value is cut short or quoted: a mask applied later would no longer match.
 */
function show(value: unknown, secrets: readonly string[]): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const masked = redact(value, secrets);
    return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
  }
  return String(value);
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const match = suggest(word, candidates);
  return match === undefined ? '' : `; did you mean \`${match}\`?`;
}

interface UnknownKey {
  path: KeyPath;
  key: string;
  known: string[];
}

function unknownKeyMessage({ key, known }: UnknownKey): string {
  return `unknown key \`${key}\` is ignored${didYouMean(key, known)}`;
}

/**
 * Keys the schema does not know, found by walking the input alongside the schema. Done outside zod
 * so they can be warnings (the component tolerates extra keys) while the rest still parses.
 */
function* unknownKeys(schema: z.core.$ZodType, value: unknown, path: KeyPath): Generator<UnknownKey> {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodUnion) {
    // Only `logConfig` unions an object with a scalar; walk the object option when given an object.
    const option = (inner.options as z.core.$ZodType[]).find((o) => unwrap(o) instanceof z.ZodObject);
    if (option !== undefined && isRecord(value)) yield* unknownKeys(option, value, path);
  } else if (inner instanceof z.ZodObject && isRecord(value)) {
    const shape = inner.shape as Record<string, z.core.$ZodType>;
    const loose = inner.def.catchall !== undefined;
    for (const [key, child] of Object.entries(value)) {
      if (key in shape) yield* unknownKeys(shape[key], child, [...path, key]);
      else if (!loose) yield { path: [...path, key], key, known: Object.keys(shape) };
    }
  } else if (inner instanceof z.ZodArray && Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* unknownKeys(inner.element, item, [...path, index]);
  }
}

/** Looks through optional/default wrappers and preprocess pipes to the schema that holds the shape. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return unwrap(schema.def.innerType);
  if (schema instanceof z.ZodPipe) return unwrap(schema.def.out);
  return schema;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Settings that are accepted but have no effect, or may be refused by the service. Read from the raw
 * input so they are reported alongside errors too.
 */
function ignoredSettings(props: unknown): { path: KeyPath; message: string }[] {
  const notes: { path: KeyPath; message: string }[] = [];
  if (valueAt(props, ['agent', 'timeout']) !== undefined) {
    notes.push({
      path: ['agent', 'timeout'],
      message:
        'AgentRun has no request timeout setting, so `timeout` is ignored (the agentrun component ignores it too); sessions end after `sessionIdleTimeoutSeconds`',
    });
  }
  if (valueAt(props, ['agent', 'customDomain']) !== undefined) {
    notes.push({
      path: ['agent', 'customDomain'],
      // devsapp/agentrun `src/impl/custom_domain.ts` binds it through Serverless Devs' fc3-domain component
      // (Function Compute 3.0 custom domains) to the runtime's function `agentrun-<runtime id>`, an
      // implementation detail of AgentRun no official SDK documents.
      message:
        "`customDomain` is not deployed by this action: `s deploy` binds it through Serverless Devs' fc3-domain component. " +
        'Bind the domain once (with `s deploy`, or under Custom domains in the AgentRun console) and keep it in the s.yaml for `s`; ' +
        'deploys here leave the binding as it is, and the endpoint URL stays reachable',
    });
  }
  const language = valueAt(props, ['agent', 'code', 'language']);
  if (UNCONFIRMED_LANGUAGES.some((unconfirmed) => unconfirmed === language)) {
    notes.push({
      path: ['agent', 'code', 'language'],
      message: `\`${String(language)}\` is not in the AgentRun API's published language list; the service may refuse it`,
    });
  }
  return notes;
}

/**
 * Adds the position of the problem's key. A missing key has no position of its own: point at the
 * closest enclosing key that has one, so the annotation still lands in the right block.
 */
export function withPosition(problem: Omit<Problem, 'position'>, locate: Locate): Problem {
  for (let length = problem.path.length; length > 0; length--) {
    const position = locate(problem.path.slice(0, length));
    if (position !== undefined) return { ...problem, position };
  }
  return problem;
}

/** Problems in reading order; ones without a position keep their order at the end. */
export function sortByPosition(problems: Problem[]): Problem[] {
  const rank = (p: Problem) => (p.position ? [p.position.line, p.position.col] : [Infinity, Infinity]);
  return problems
    .map((problem, index) => ({ problem, index, rank: rank(problem) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.index - b.index)
    .map(({ problem }) => problem);
}
