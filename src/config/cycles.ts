/**
 * `vars` that refer to each other in a cycle (`a: ${vars.b}`, `b: ${vars.a}`). Serverless Devs evaluates
 * a value once more when the result still holds `${...}`, then gives up and keeps the text: a cycle
 * deploys the literal `${vars.a}`. We do the same, and say so.
 */
import { MAGIC_PATTERN } from './interpolate.js';
import type { KeyPath } from './types.js';

/** A string under `vars` that is part of a reference cycle, with the other strings of that cycle. */
export interface VarCycle {
  /** Path from the document root, e.g. ['vars', 'a']. */
  path: KeyPath;
  text: string;
  /** The strings of the cycle, in document order, as `vars.a`. */
  members: string[];
}

interface GraphNode {
  path: KeyPath;
  text?: string;
  next: number[];
}

const MAGIC_GLOBAL = new RegExp(MAGIC_PATTERN.source, 'g');

/**
 * The `vars` paths an expression reads. A plain `${vars.a.b}` is a path of literal keys (dashes
 * included, as s splits it on dots); inside an expression with a call, `vars.x` is an identifier path.
 */
function referencedPaths(code: string): string[][] {
  if (!code.includes('(')) return code.startsWith('vars.') ? [code.split('.').slice(1)] : [];
  return [...code.matchAll(/(?<![\w$.])vars((?:\.[\w$]+)+)/g)].map((match) => match[1].slice(1).split('.'));
}

function valueAt(root: unknown, keys: KeyPath): unknown {
  let value = root;
  for (const key of keys)
    value = value !== null && typeof value === 'object' ? Reflect.get(value, key) : undefined;
  return value;
}

/**
 * Finds the strings of the raw `vars` that depend on themselves and are still `${...}` text in the
 * resolved `vars` (an expression can break a cycle, e.g. with a condition). Every value under `vars` is
 * a node; a map or list depends on its items (rendering it renders them), and a string on the values its
 * expressions read (the nearest one that exists, since `${vars.a.b}` reads `a` first).
 */
export function findVarCycles(vars: unknown, resolved: unknown): VarCycle[] {
  const nodes: GraphNode[] = [];
  const ids = new Map<string, number>();
  const idOf = (path: KeyPath) => path.join('\u0000');
  const add = (value: unknown, path: KeyPath): number => {
    const id = nodes.length;
    const node: GraphNode = { path, next: [] };
    nodes.push(node);
    ids.set(idOf(path), id);
    if (typeof value === 'string') node.text = value;
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) node.next.push(add(item, [...path, key]));
    }
    return id;
  };
  add(vars, ['vars']);
  for (const node of nodes) {
    for (const match of node.text?.matchAll(MAGIC_GLOBAL) ?? []) {
      for (const keys of referencedPaths(match[1].trim())) {
        for (let length = keys.length; length > 0; length--) {
          const target = ids.get(idOf(['vars', ...keys.slice(0, length)]));
          if (target !== undefined) {
            node.next.push(target);
            break;
          }
        }
      }
    }
  }
  return stronglyConnected(nodes)
    .filter((component) => component.length > 1 || nodes[component[0]].next.includes(component[0]))
    .flatMap((component) => {
      const strings = component
        .sort((a, b) => a - b)
        .filter((id) => nodes[id].text !== undefined)
        .map((id) => nodes[id]);
      const members = strings.map((node) => node.path.join('.'));
      return strings
        .filter((node) => {
          const value = valueAt(resolved, node.path.slice(1));
          return typeof value === 'string' && MAGIC_PATTERN.test(value);
        })
        .map((node) => ({ path: node.path, text: node.text as string, members }));
    });
}

/** Tarjan's strongly connected components, iterative: a chain of ten thousand vars must not overflow. */
function stronglyConnected(nodes: readonly GraphNode[]): number[][] {
  const index = new Array<number>(nodes.length).fill(-1);
  const low = new Array<number>(nodes.length).fill(0);
  const onStack = new Array<boolean>(nodes.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let root = 0; root < nodes.length; root++) {
    if (index[root] !== -1) continue;
    // Each frame: a node and how many of its edges have been followed.
    const frames: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [node, edge] = frame;
      if (edge < nodes[node].next.length) {
        frame[1]++;
        const next = nodes[node].next[edge];
        if (index[next] === -1) {
          index[next] = low[next] = counter++;
          stack.push(next);
          onStack[next] = true;
          frames.push([next, 0]);
        } else if (onStack[next]) {
          low[node] = Math.min(low[node], index[next]);
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] === index[node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = false;
          component.push(member);
        } while (member !== node);
        components.push(component);
      }
    }
  }
  return components;
}
