/** The public shapes of the config module; see index.ts. */
import type { Credential } from './magic.js';
import type { KeyPath, Problem, SourcePosition } from './types.js';

export interface ResolveOptions {
  /** Base for a relative `config` path and for `envFile`. */
  cwd: string;
  /** Path of the s.yaml; default s.yaml, then s.yml in cwd. */
  config?: string;
  /** Process environment, never mutated. */
  env: Readonly<Record<string, string | undefined>>;
  /** Default '<dir of s.yaml>/.env' (optional file); when given, the file must exist. */
  envFile?: string;
  /** Body of a .env file (from a secret); every value in it is secret. */
  dotenv?: string;
  /** Names of variables whose values are secret whatever their names (the `secret-env` input). */
  secretEnv?: readonly string[];
  credential?: Credential;
  /** Command whose `flow:` applies and that `${regex()}` hook keys match; default 'deploy'. */
  command?: string;
}

/** One hook entry (`run`, `component` or `plugin`), interpolated; `path` as written, relative to the yaml dir. */
export interface ActionEntry {
  run?: string;
  path?: string;
  component?: string;
  plugin?: string;
  [key: string]: unknown;
}

export interface ResolvedResource {
  name: string;
  component: string;
  /** The resource's own `access`, else the file's. */
  access?: string;
  /** Exactly what s hands the component. */
  props: Record<string, unknown>;
  /** e.g. { 'pre-deploy': [...] }. */
  actions: Record<string, ActionEntry[]>;
  /** Index of the `flow:` stage, when a flow applies to the command. */
  stage?: number;
}

export interface ResolvedSpec {
  /** Absolute path of the s.yaml. */
  file: string;
  /** Absolute directory of the s.yaml (`${cwd}` in expressions). */
  dir: string;
  name?: string;
  access?: string;
  vars: Record<string, unknown>;
  actions: Record<string, ActionEntry[]>;
  /** In execution order. */
  resources: ResolvedResource[];
  /** Values to mask: the dotenv body's, secret variables' (see secrets.ts) and what is computed from them. */
  secretValues: string[];
  /** The environment with the .env values added, as `s` leaves process.env for hooks to see. */
  env: Record<string, string>;
  warnings: Problem[];
  /** Position of a key path from the document root (nearest existing ancestor). */
  locate(path: KeyPath): SourcePosition | undefined;
}
