/** Finding and parsing the s.yaml, and mapping key paths back to file:line:col. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node,
  type YAMLError,
  type YAMLWarning,
} from 'yaml';
import { ConfigError, type KeyPath, type Problem, type SourcePosition } from './types.js';

/** The names s tries, in its order, when no file is given. */
const DEFAULT_NAMES = ['s.yaml', 's.YAML', 's.YML', 's.yml'];
const YAML_EXTENSIONS = ['.yaml', '.yml'];

/** One parsed YAML file with what is needed to point back into it. */
export interface LoadedYaml {
  /** Absolute path. */
  file: string;
  /** Path as the user sees it (relative to cwd when inside it). */
  displayPath: string;
  value: unknown;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

function fail(message: string, position?: SourcePosition): never {
  throw new ConfigError([{ severity: 'error', path: [], message, position }]);
}

/** Path for messages: relative to `cwd` when the file is inside it. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** s's file selection: the given path (must exist, .yaml/.yml), else s.yaml/s.yml in `cwd`. */
export function findConfigFile(cwd: string, config?: string): string {
  if (config) {
    const file = path.resolve(cwd, config);
    if (!existsSync(file)) fail(`The specified template file does not exist: ${config}`);
    if (!YAML_EXTENSIONS.includes(path.extname(file))) fail(`${config} file should be yaml or yml file.`);
    return file;
  }
  const found = DEFAULT_NAMES.map((name) => path.join(cwd, name)).find((file) => existsSync(file));
  return found ?? fail('the s.yaml/s.yml file was not found.');
}

/** Reads and parses one YAML 1.2 (core schema) file; every syntax problem becomes one Problem. */
export async function loadYaml(file: string, cwd: string): Promise<LoadedYaml> {
  const shown = displayPath(cwd, file);
  const text = await readFile(file, 'utf8');
  const lineCounter = new LineCounter();
  // `merge: true` because js-yaml, which s uses, honours `<<` merge keys.
  const documents = parseAllDocuments(text, {
    lineCounter,
    schema: 'core',
    merge: true,
    prettyErrors: false,
  });
  // An empty or comment-only file parses to an empty stream: no document at all.
  const list = [...documents];
  const prefix = `${path.basename(file)} format is incorrect`;
  const at = (offset: number): SourcePosition => ({ file: shown, ...lineCounter.linePos(offset) });
  const problems: Problem[] = list.flatMap((document) =>
    // An unknown tag is only a warning to the parser, but `s` refuses the file: its meaning would be lost.
    firstErrors([
      ...document.errors,
      ...document.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED'),
    ]).map((error) => ({
      severity: 'error' as const,
      path: [],
      message: `${prefix}: ${error.message}`,
      position: at(error.pos[0]),
    })),
  );
  const extra = list[1];
  if (extra) {
    problems.push({
      severity: 'error',
      path: [],
      message: `${prefix}: expected a single document in the stream, but found more`,
      position: at(extra.range[0]),
    });
  }
  const document = list[0];
  if (!document && problems.length === 0) {
    problems.push({
      severity: 'error',
      path: [],
      message: `${path.basename(file)} is empty: expected \`edition: 3.0.0\` and \`resources\``,
      position: { file: shown, line: 1, col: 1 },
    });
  }
  if (problems.length > 0 || !document) throw new ConfigError(problems);
  return { file, displayPath: shown, value: document.toJS() ?? null, document, lineCounter };
}

/**
 * One syntax error usually sets off a cascade of follow-up errors that only bury it, so only the first
 * is reported (as `s` does) — but every duplicate key, since each of those is a mistake of its own.
 */
function firstErrors(errors: readonly (YAMLError | YAMLWarning)[]): (YAMLError | YAMLWarning)[] {
  const first = errors.find((error) => error.code !== 'DUPLICATE_KEY');
  return errors.filter((error) => error === first || error.code === 'DUPLICATE_KEY');
}

function findChild(node: unknown, key: string | number, document: Document.Parsed): Node | null | undefined {
  const target = isAlias(node) ? node.resolve(document) : node;
  if (isSeq(target)) return typeof key === 'number' ? (target.items[key] as Node | undefined) : undefined;
  if (!isMap(target)) return undefined;
  for (const pair of target.items) {
    if (isScalar(pair.key) && String(pair.key.value) === String(key)) {
      // `key:` with no value: point at the key itself.
      const value = pair.value as Node | null;
      return value && !(isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1])
        ? value
        : (pair.key as Node);
    }
  }
  // Keys brought in by a `<<` merge live in the merged map.
  for (const pair of target.items) {
    if (isScalar(pair.key) && typeof pair.key.value === 'symbol') {
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const found = findChild(source, key, document);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** Maps key paths to positions across the loaded files (the s.yaml first, then what it extends). */
export class SourceLocator {
  constructor(private readonly files: readonly LoadedYaml[]) {}

  /** Position of the node at exactly `path` in the first file that has it, if any. */
  locateExact(path: KeyPath, files: readonly LoadedYaml[] = this.files): SourcePosition | undefined {
    for (const loaded of files) {
      let node: unknown = loaded.document.contents;
      for (const key of path) {
        node = node ? findChild(node, key, loaded.document) : undefined;
      }
      const range = (node as Node | undefined)?.range;
      if (range) return { file: loaded.displayPath, ...loaded.lineCounter.linePos(range[0]) };
    }
    return undefined;
  }

  /** Position of `path`, or of its nearest ancestor that exists. */
  locate(path: KeyPath): SourcePosition | undefined {
    for (let length = path.length; length >= 0; length--) {
      const found = this.locateExact(path.slice(0, length));
      if (found) return found;
    }
    return undefined;
  }
}
