/**
 * `.env` handling with the semantics Serverless Devs gets from dotenv 16 + dotenv-expand 10, but on a
 * copy: process.env is never read or written here.
 */
import dotenv from 'dotenv';
import { readRegularFile, UnreadableFileError } from './files.js';
import { formatBytes, MAX_FILE_BYTES } from './limits.js';
import { decodeText, findControlCharacter, positionAt } from './text.js';
import { ConfigError, type SourcePosition } from './types.js';

export interface EnvironmentSources {
  /** The process environment; its values always win and are never expanded or changed. */
  env: Readonly<Record<string, string | undefined>>;
  /** Body of a .env file passed in directly (e.g. from a repository secret); beats the file. */
  dotenv?: string;
  /** Absolute path of the .env file. */
  envFile: string;
  /** How messages name the .env file. */
  envFileShown: string;
  /** Whether the user named envFile explicitly (then a missing file is an error). */
  envFileRequired: boolean;
  /** Whether a variable is secret by its name or value; those of the dotenv body always are. */
  isSecret(name: string, value: string): boolean;
}

export interface LoadedEnvironment {
  env: Record<string, string>;
  /** Every value of the dotenv body, and the secret ones of the .env file. */
  secretValues: string[];
  /** Whether `${env(name)}` reads a secret. */
  isSecret(name: string): boolean;
}

/** Where a layer came from, for messages: the file and its position, or the input. */
interface Layer {
  text: string;
  /** The .env file as messages show it; undefined for the dotenv input. */
  shown?: string;
}

/** dotenv-expand recurses without end on `A=$A`, where `s` dies of a stack overflow; we stop here. */
const MAX_EXPANSIONS = 1000;

// dotenv-expand 10's _interpolate, verbatim in behaviour: expands the right-most `$VAR`/`${VAR:-default}`
// first, then again, so values substituted in are expanded too. Undefined when that does not end.
function interpolate(
  value: string,
  environment: Record<string, string>,
  parsed: Record<string, string>,
): string | undefined {
  let result = value;
  for (let step = 0; step < MAX_EXPANSIONS && result.length <= MAX_FILE_BYTES; step++) {
    const dollars = Array.from(result.matchAll(/(?!(?<=\\))\$/g));
    const last = dollars.at(-1)?.index;
    if (last === undefined) return result;
    const match = /((?!(?<=\\))\${?([\w]+)(?::-([^}\\]*))?}?)/.exec(result.slice(last));
    if (!match) return result;
    const [, group, name, fallback] = match;
    result = result.replace(group, environment[name] || fallback || parsed[name] || '');
  }
  return undefined;
}

/** Where `key` is defined in a layer, as messages name it: the file and position, or the input's line. */
function where(layer: Layer, key: string): { position?: SourcePosition; prefix: string } {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const offset = layer.text.search(new RegExp(`^[ \\t]*(export[ \\t]+)?${escaped}[ \\t]*[=:]`, 'm'));
  if (layer.shown === undefined) {
    const line = offset >= 0 ? `line ${positionAt(layer.text, offset).line} of ` : '';
    return { prefix: `${line}the dotenv input` };
  }
  return {
    position: offset >= 0 ? { file: layer.shown, ...positionAt(layer.text, offset) } : undefined,
    prefix: layer.shown,
  };
}

function fail(message: string, position?: SourcePosition): never {
  throw new ConfigError([{ severity: 'error', path: [], message, position }]);
}

/**
 * Adds one .env layer: keys already present are kept; the new ones are expanded and returned. Messages
 * name variables but never show values.
 */
function addLayer(environment: Record<string, string>, layer: Layer): string[] {
  const parsed = dotenv.parse(layer.text);
  const added = Object.keys(parsed).filter((key) => !Object.hasOwn(environment, key));
  // dotenv.config() populates first, so expansion sees this file's raw values too.
  for (const key of added) environment[key] = parsed[key];
  for (const key of added) {
    const expanded = interpolate(parsed[key], environment, parsed);
    if (expanded === undefined) {
      const { prefix, position } = where(layer, key);
      fail(
        `${prefix}: expanding the $ references of ${key} does not end (it refers to itself, directly or ` +
          'through other variables): remove the loop, or write a literal dollar sign as \\$',
        position,
      );
    }
    parsed[key] = expanded.replace(/\\\$/g, '$');
  }
  for (const key of added) environment[key] = parsed[key];
  return added;
}

function readEnvFile(sources: EnvironmentSources): Layer | undefined {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(sources.envFile);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    if (error.code === 'ENOENT' && !sources.envFileRequired) return undefined;
    fail(
      `cannot read the env file ${sources.envFileShown}: it ${error.message}; expected a regular file ` +
        `of at most ${formatBytes(MAX_FILE_BYTES)}`,
    );
  }
  const shown = sources.envFileShown;
  return { text: decodeText(bytes, shown, shown), shown };
}

/** Builds the environment that `${env()}` sees: process env > dotenv body > .env file. */
export function loadEnvironment(sources: EnvironmentSources): LoadedEnvironment {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(sources.env)) {
    if (value !== undefined) environment[key] = value;
  }
  const fromBody = new Set<string>();
  const secrets = new Set<string>();
  if (sources.dotenv !== undefined) {
    const layer: Layer = { text: sources.dotenv };
    const control = findControlCharacter(layer.text);
    if (control) {
      const line = positionAt(layer.text, control.offset).line;
      fail(`line ${line} of the dotenv input contains the control character ${control.code}: delete it`);
    }
    for (const key of addLayer(environment, layer)) {
      fromBody.add(key);
      if (environment[key]) secrets.add(environment[key]);
    }
  }
  const file = readEnvFile(sources);
  if (file) {
    for (const key of addLayer(environment, file)) {
      if (environment[key] && sources.isSecret(key, environment[key])) secrets.add(environment[key]);
    }
  }
  return {
    env: environment,
    secretValues: [...secrets],
    isSecret: (name) =>
      fromBody.has(name) || (Object.hasOwn(environment, name) && sources.isSecret(name, environment[name])),
  };
}
