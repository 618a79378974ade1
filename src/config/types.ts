/** Where a value sits in the user's YAML: 1-based line and column, as editors and annotations count. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** A path of keys and array indexes from the document root, e.g. ['resources', 'agent', 'props', 'cpu']. */
export type KeyPath = readonly (string | number)[];

/** One thing wrong (or suspicious) in the user's configuration. */
export interface Problem {
  severity: 'error' | 'warning';
  /** Key path from the document root. */
  path: KeyPath;
  message: string;
  position?: SourcePosition;
}

/**
 * Thrown when the configuration cannot be used; carries every problem found, not just the first, and
 * the secret values known by then, which must be masked before the problems are shown.
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    readonly secretValues: readonly string[] = [],
  ) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(problem: Problem): string {
  const where = problem.position
    ? `${problem.position.file}:${problem.position.line}:${problem.position.col}`
    : undefined;
  const key = problem.path.length > 0 ? problem.path.join('.') : undefined;
  return [where, key, problem.message].filter(Boolean).join(': ');
}
