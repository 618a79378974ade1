/**
 * Checks a composed YAML document before it becomes JavaScript: duplicate keys, aliases inside the value
 * they refer to, and the caps of limits.ts on the document as aliases and `<<` merges expand it. Nine
 * levels of nine aliases are a 2 KB file that expands to 387 million values; this walk sees each node
 * once, and an alias costs one lookup.
 */
import { isAlias, isCollection, isMap, isScalar, type Document, type Node } from 'yaml';
import { MAX_DEPTH, MAX_ENTRIES } from './limits.js';
import type { KeyPath } from './types.js';

/** One problem, at a string offset of the YAML text. */
export interface ShapeProblem {
  offset: number;
  path: KeyPath;
  message: string;
}

/** What a node holds once expanded: keys and list items, and levels of nesting. */
interface Extent {
  entries: number;
  depth: number;
}

const EMPTY: Extent = { entries: 0, depth: 0 };

/** Stops the walk at the first cap exceeded: the rest of the document is not worth reporting on. */
class CapExceeded extends Error {
  constructor(readonly problem: ShapeProblem) {
    super(problem.message);
  }
}

function keyName(key: unknown): string {
  if (isScalar(key)) return typeof key.value === 'symbol' ? '<<' : String(key.value);
  return isAlias(key) ? `*${key.source}` : '?';
}

const count = (value: number) => value.toLocaleString('en-US');

/**
 * Every duplicate key, then at most one exceeded cap or alias that cannot be expanded. `lineOf` turns an
 * offset into a line number for "already defined at line N".
 */
export function checkShape(document: Document.Parsed, lineOf: (offset: number) => number): ShapeProblem[] {
  const duplicates: ShapeProblem[] = [];
  const anchors = new Map<string, Node>();
  const extents = new Map<Node, Extent>();
  const open = new Set<Node>();
  let entries = 0;
  const fail = (node: unknown, path: KeyPath, message: string): never => {
    throw new CapExceeded({ offset: (node as Node | null)?.range?.[0] ?? 0, path, message });
  };

  const addEntries = (added: number, node: unknown, path: KeyPath, alias?: string): void => {
    entries += added;
    if (entries <= MAX_ENTRIES) return;
    fail(
      node,
      path,
      alias === undefined
        ? `the file has more than ${count(MAX_ENTRIES)} keys and list items; an s.yaml needs a few hundred: ` +
            'move data into files the agent reads, or split the file'
        : `the alias *${alias} takes the file past ${count(MAX_ENTRIES)} keys and list items once aliases ` +
            'are expanded (an alias bomb?): write the values out, or nest fewer aliases',
    );
  };

  const checkDepth = (depth: number, node: unknown, path: KeyPath, alias?: string): void => {
    if (depth <= MAX_DEPTH) return;
    fail(
      node,
      path,
      alias === undefined
        ? `nested more than ${MAX_DEPTH} levels deep; an s.yaml needs about ten: flatten the structure`
        : `the alias *${alias} nests the file more than ${MAX_DEPTH} levels deep once expanded: ` +
            'write the value out, or nest fewer aliases',
    );
  };

  const visit = (node: unknown, path: KeyPath, depth: number): Extent => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) {
        return fail(
          node,
          path,
          `the alias *${node.source} has no anchor &${node.source} before it: define the anchor first`,
        );
      }
      if (open.has(target)) {
        fail(
          node,
          path,
          `the alias *${node.source} is inside the value &${node.source} it refers to, which would make ` +
            'that value infinite: refer to a value defined elsewhere',
        );
      }
      const extent = extents.get(target) ?? EMPTY;
      addEntries(extent.entries, node, path, node.source);
      checkDepth(depth + extent.depth, node, path, node.source);
      return extent;
    }
    if (!isCollection(node)) {
      if (isScalar(node) && node.anchor) anchors.set(node.anchor, node);
      return EMPTY;
    }
    checkDepth(depth + 1, node, path);
    if (node.anchor) {
      anchors.set(node.anchor, node);
      open.add(node);
    }
    const extent = { entries: 0, depth: 1 };
    const include = (child: Extent) => {
      extent.entries += 1 + child.entries;
      extent.depth = Math.max(extent.depth, 1 + child.depth);
    };
    if (isMap(node)) {
      const seen = new Map<unknown, Node>();
      for (const pair of node.items) {
        const key = pair.key as Node;
        const name = keyName(key);
        // `<<` merges bring in keys rather than being one, so they add no path segment.
        const at = name === '<<' ? path : [...path, name];
        addEntries(1, key, at);
        // Keys are equal as the yaml package compares them: scalars by value, anything else by identity.
        if (isScalar(key) && typeof key.value !== 'symbol') {
          const first = seen.get(key.value);
          if (first) {
            duplicates.push({
              offset: key.range?.[0] ?? 0,
              path: at,
              message: `duplicate key: already defined at line ${lineOf(first.range?.[0] ?? 0)} (keys must be unique in a map)`,
            });
          } else {
            seen.set(key.value, key);
          }
        }
        visit(key, at, depth + 1);
        include(visit(pair.value, at, depth + 1));
      }
    } else {
      node.items.forEach((item, index) => {
        addEntries(1, item, [...path, index]);
        include(visit(item, [...path, index], depth + 1));
      });
    }
    if (node.anchor) {
      open.delete(node);
      extents.set(node, extent);
    }
    return extent;
  };

  try {
    visit(document.contents, [], 0);
  } catch (error) {
    if (!(error instanceof CapExceeded)) throw error;
    return [...duplicates, error.problem];
  }
  return duplicates;
}
