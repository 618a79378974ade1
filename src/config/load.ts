/** Finding and parsing the s.yaml, and mapping key paths back to file:line:col. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  Composer,
  Lexer,
  LineCounter,
  Parser,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type CST,
  type Document,
  type Node,
} from 'yaml';
import { readRegularFile, UnreadableFileError } from './files.js';
import { formatBytes, MAX_DEPTH, MAX_FILE_BYTES } from './limits.js';
import { checkShape, type ShapeProblem } from './shape.js';
import { decodeText } from './text.js';
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
    if (statSync(file).isDirectory()) fail(`${config} is a directory: give the path of the s.yaml inside it`);
    if (!YAML_EXTENSIONS.includes(path.extname(file))) fail(`${config} file should be yaml or yml file.`);
    return file;
  }
  const found = DEFAULT_NAMES.map((name) => path.join(cwd, name)).find((file) => existsSync(file));
  return found ?? fail('the s.yaml/s.yml file was not found.');
}

// `merge: true` because js-yaml, which s uses, honours `<<` merge keys. The yaml package's own
// duplicate-key check compares each key with every earlier one (quadratic: 40,000 keys took 15 s), so
// checkShape does it instead, in one pass.
const PARSE_OPTIONS = { schema: 'core', merge: true, uniqueKeys: false, prettyErrors: false } as const;

/** Thrown by the parse once the nesting is too deep for the composer, which recurses once per level. */
class TooDeep extends Error {
  constructor(readonly offset: number) {
    super('too deep');
  }
}

/**
 * The parser's tokens, stopping at the first level of nesting beyond MAX_DEPTH. The parser keeps its
 * open collections on a stack (plus the document and a scalar), so the check costs nothing and fires
 * before the composer ever sees the document.
 */
function* parseTokens(text: string, lineCounter: LineCounter): Generator<CST.Token> {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  for (const lexeme of new Lexer().lex(text)) {
    yield* parser.next(lexeme);
    if (parser.stack.length > MAX_DEPTH + 2) throw new TooDeep(parser.offset);
  }
  yield* parser.end();
}

/** The YAML text's documents and, when it cannot be used, why; positions point into `shown`. */
export function parseYaml(
  text: string,
  shown: string,
  lineCounter = new LineCounter(),
): { documents: Document.Parsed[]; problems: Problem[] } {
  const name = path.basename(shown);
  const prefix = `${name} format is incorrect`;
  const at = (offset: number): SourcePosition => ({ file: shown, ...lineCounter.linePos(offset) });
  let documents: Document.Parsed[];
  try {
    documents = [...new Composer(PARSE_OPTIONS).compose(parseTokens(text, lineCounter))];
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    const message = `nested more than ${MAX_DEPTH} levels deep; an s.yaml needs about ten: flatten the structure`;
    return {
      documents: [],
      problems: [{ severity: 'error', path: [], message, position: at(error.offset) }],
    };
  }
  // An empty or comment-only file parses to an empty stream: no document at all.
  const [document, extra] = documents;
  const found: ShapeProblem[] = documents.flatMap((each) =>
    // One syntax error usually sets off a cascade of follow-up errors that only bury it, so only the
    // first is reported, as `s` does. An unknown tag is only a warning to the parser, but `s` refuses
    // the file: its meaning would be lost.
    [...each.errors, ...each.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')]
      .slice(0, 1)
      .map((error) => ({ offset: error.pos[0], path: [], message: `${prefix}: ${error.message}` })),
  );
  if (document) found.push(...checkShape(document, (offset) => lineCounter.linePos(offset).line));
  if (extra) {
    const message = `${prefix}: expected a single document in the stream, but found more`;
    found.push({ offset: extra.range[0], path: [], message });
  }
  const problems = found
    .sort((a, b) => a.offset - b.offset)
    .map(({ offset, path: keyPath, message }): Problem => ({
      severity: 'error',
      path: keyPath,
      message,
      position: at(offset),
    }));
  return { documents, problems };
}

/** Reads and parses one YAML 1.2 (core schema) file; every problem becomes one Problem. */
export async function loadYaml(file: string, cwd: string): Promise<LoadedYaml> {
  const shown = displayPath(cwd, file);
  const name = path.basename(file);
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    fail(`${shown} ${error.message}; expected a regular YAML file of at most ${formatBytes(MAX_FILE_BYTES)}`);
  }
  const lineCounter = new LineCounter();
  const { documents, problems } = parseYaml(decodeText(bytes, name, shown), shown, lineCounter);
  const document = documents[0];
  if (!document && problems.length === 0) {
    problems.push({
      severity: 'error',
      path: [],
      message: `${name} is empty: expected \`edition: 3.0.0\` and \`resources\``,
      position: { file: shown, line: 1, col: 1 },
    });
  }
  if (problems.length > 0 || !document) throw new ConfigError(problems);
  // checkShape has bounded what aliases expand to and said where; the package's own count says nowhere.
  const value = document.toJS({ maxAliasCount: -1 }) ?? null;
  return { file, displayPath: shown, value, document, lineCounter };
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
