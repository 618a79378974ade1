/**
 * The part of the SLS search syntax that `logs` and the log gate send: full-text terms and "phrases"
 * (matched token by token with the index's delimiters, case-insensitively, `term*` as a prefix),
 * `field: value`, `AND` / `OR` / `NOT` (any case; juxtaposed terms mean AND), parentheses and `*`.
 * Anything else (analytics after `|`, ranges, `>` comparisons) is refused as the service would refuse
 * a query it cannot parse.
 */
import { INDEX_TOKENS } from '../src/logs/layout.js';
import type { LogRecord } from '../src/logs/model.js';
import { ApiError } from './errors.js';

type Node =
  | { kind: 'all' }
  | { kind: 'term'; field?: string; tokens: string[] }
  | { kind: 'not'; node: Node }
  | { kind: 'and' | 'or'; nodes: Node[] };

/** A compiled query: tells whether a log matches. */
export type Matcher = (record: LogRecord) => boolean;

const DELIMITERS = new RegExp(`[${INDEX_TOKENS.map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('')}]+`);
const FIELD = /^([A-Za-z_][\w.]*):(.*)$/s;

/** Compiles `query` (empty or `*`: everything). Throws the service's `ParameterInvalid` on bad syntax. */
export function compileQuery(query: string | undefined): Matcher {
  const tokens = lex(query ?? '');
  if (tokens.length === 0) return () => true;
  const parser = new Parser(tokens);
  const node = parser.or();
  if (!parser.done()) throw invalid(`unexpected ${JSON.stringify(parser.peek())}`);
  return (record) => evaluate(node, record);
}

function invalid(detail: string): ApiError {
  return new ApiError(400, 'ParameterInvalid', `The query is invalid: ${detail}.`);
}

function lex(query: string): string[] {
  if (query.includes('|')) throw invalid('analytic statements (after |) are not supported by the emulator');
  const tokens: string[] = [];
  for (const match of query.matchAll(/\s+|[()]|"(?:[^"\\]|\\.)*"?|[^\s()"]+/g)) {
    const text = match[0];
    if (/^\s+$/.test(text)) continue;
    if (text.startsWith('"') && (text.length === 1 || !text.endsWith('"'))) throw invalid('unclosed quote');
    tokens.push(text);
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: string[]) {}

  done(): boolean {
    return this.position >= this.tokens.length;
  }
  peek(): string | undefined {
    return this.tokens[this.position];
  }
  private next(): string {
    const token = this.tokens[this.position++];
    if (token === undefined) throw invalid('the query ends too early');
    return token;
  }
  private isWord(word: string): boolean {
    return this.peek()?.toLowerCase() === word;
  }

  or(): Node {
    const nodes = [this.and()];
    while (this.isWord('or')) {
      this.next();
      nodes.push(this.and());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'or', nodes };
  }

  private and(): Node {
    const nodes = [this.not()];
    while (!this.done() && this.peek() !== ')' && !this.isWord('or')) {
      if (this.isWord('and')) this.next();
      nodes.push(this.not());
    }
    return nodes.length === 1 ? nodes[0]! : { kind: 'and', nodes };
  }

  private not(): Node {
    if (this.isWord('not')) {
      this.next();
      return { kind: 'not', node: this.not() };
    }
    return this.primary();
  }

  private primary(): Node {
    const token = this.next();
    if (token === '(') {
      const node = this.or();
      if (this.next() !== ')') throw invalid('missing )');
      return node;
    }
    if (token === ')') throw invalid('unexpected )');
    if (token === '*') return { kind: 'all' };
    const field = FIELD.exec(token);
    if (field && !token.startsWith('"')) {
      const value = field[2] === '' ? this.next() : field[2]!;
      return { kind: 'term', field: field[1], tokens: termTokens(value) };
    }
    return { kind: 'term', tokens: termTokens(token) };
  }
}

function termTokens(text: string): string[] {
  const unquoted = text.startsWith('"') ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text;
  const tokens = split(unquoted);
  if (tokens.length === 0) throw invalid(`${JSON.stringify(text)} has no searchable token`);
  return tokens;
}

function split(text: string): string[] {
  return text
    .toLowerCase()
    .split(DELIMITERS)
    .filter((token) => token !== '');
}

function evaluate(node: Node, record: LogRecord): boolean {
  switch (node.kind) {
    case 'all':
      return true;
    case 'not':
      return !evaluate(node.node, record);
    case 'and':
      return node.nodes.every((child) => evaluate(child, record));
    case 'or':
      return node.nodes.some((child) => evaluate(child, record));
    case 'term': {
      // Full text covers every field's value, as the line index does without include_keys.
      const values = node.field === undefined ? Object.values(record) : [record[node.field] ?? ''];
      return values.some((value) => containsPhrase(split(value), node.tokens));
    }
  }
}

/** Whether `wanted` occurs in `tokens` as consecutive tokens; a `*` at a token's end matches a prefix. */
function containsPhrase(tokens: string[], wanted: string[]): boolean {
  const same = (token: string, pattern: string): boolean =>
    pattern.endsWith('*') ? token.startsWith(pattern.slice(0, -1)) : token === pattern;
  for (let start = 0; start + wanted.length <= tokens.length; start++) {
    if (wanted.every((pattern, offset) => same(tokens[start + offset]!, pattern))) return true;
  }
  return false;
}
