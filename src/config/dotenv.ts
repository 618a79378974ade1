/**
 * `.env` handling with the semantics Serverless Devs gets from dotenv 16 + dotenv-expand 10, but on a
 * copy: process.env is never read or written here.
 */
import { readFile } from 'node:fs/promises';
import dotenv from 'dotenv';
import { ConfigError } from './types.js';

export interface EnvironmentSources {
  /** The process environment; its values always win and are never expanded or changed. */
  env: Readonly<Record<string, string | undefined>>;
  /** Body of a .env file passed in directly (e.g. from a repository secret); beats the file. */
  dotenv?: string;
  /** Absolute path of the .env file. */
  envFile: string;
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

// dotenv-expand 10's _interpolate, verbatim in behaviour: expands the right-most `$VAR`/`${VAR:-default}`
// first, then recurses, so values substituted in are expanded too.
function interpolate(
  value: string,
  environment: Record<string, string>,
  parsed: Record<string, string>,
): string {
  const dollars = Array.from(value.matchAll(/(?!(?<=\\))\$/g));
  const last = dollars.at(-1)?.index;
  if (last === undefined) return value;
  const match = /((?!(?<=\\))\${?([\w]+)(?::-([^}\\]*))?}?)/.exec(value.slice(last));
  if (!match) return value;
  const [, group, name, fallback] = match;
  const replacement = environment[name] || fallback || parsed[name] || '';
  return interpolate(value.replace(group, replacement), environment, parsed);
}

/** Adds one .env layer: keys already present are kept; the new ones are expanded and returned. */
function addLayer(environment: Record<string, string>, source: string): string[] {
  const parsed = dotenv.parse(source);
  const added = Object.keys(parsed).filter((key) => !Object.hasOwn(environment, key));
  // dotenv.config() populates first, so expansion sees this file's raw values too.
  for (const key of added) environment[key] = parsed[key];
  for (const key of added) {
    parsed[key] = interpolate(parsed[key], environment, parsed).replace(/\\\$/g, '$');
  }
  for (const key of added) environment[key] = parsed[key];
  return added;
}

async function readOptional(file: string, required: boolean): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return undefined;
    throw new ConfigError([
      {
        severity: 'error',
        path: [],
        message: `cannot read the env file ${file}: ${(error as Error).message}`,
      },
    ]);
  }
}

/** Builds the environment that `${env()}` sees: process env > dotenv body > .env file. */
export async function loadEnvironment(sources: EnvironmentSources): Promise<LoadedEnvironment> {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(sources.env)) {
    if (value !== undefined) environment[key] = value;
  }
  const fromBody = new Set<string>();
  const secrets = new Set<string>();
  if (sources.dotenv !== undefined) {
    for (const key of addLayer(environment, sources.dotenv)) {
      fromBody.add(key);
      if (environment[key]) secrets.add(environment[key]);
    }
  }
  const file = await readOptional(sources.envFile, sources.envFileRequired);
  if (file !== undefined) {
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
