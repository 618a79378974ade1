import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExpressionError } from './expression.js';
import { readRegularFile, UnreadableFileError } from './files.js';
import { MAX_DEPTH, nestedDeeperThan } from './limits.js';
import { parseYaml } from './load.js';

/** Fields of a credential that `${config('...')}` can read. */
export type CredentialField = 'AccountID' | 'AccessKeyID' | 'AccessKeySecret' | 'SecurityToken';
export type Credential = Partial<Record<CredentialField, string>>;

/** What the magic functions may read; nothing else is reachable from an expression. */
export interface MagicEnvironment {
  /** Environment after `.env` loading; never process.env itself. */
  env: Readonly<Record<string, string>>;
  /** Directory of the YAML file: base of `file()` and `path()`. */
  dir: string;
  credential?: Credential;
  /** CLI command `regex()` is matched against (s: the command being run). */
  command?: string;
  /** Whether `${env(name)}` reads a secret (see secrets.ts). */
  isSecretEnv(name: string): boolean;
  /** Called with every secret value, so that it and what is computed from it get masked. */
  onSecret(value: string): void;
}

export type MagicFunction = (...args: unknown[]) => unknown;

const ENV_HINT = (name: string) =>
  `set ${name} (non-empty) in the environment, in the .env file, or in the \`dotenv\` input`;

const RELATIVE_HINT = 'relative paths start at the directory of the s.yaml';

// lodash's isEmpty, which s applies to path(): numbers and booleans count as empty.
function isEmptyValue(value: unknown): boolean {
  if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length === 0;
  return true;
}

/**
 * An argument as error messages quote it, like s. A value of several lines is left out instead: a
 * problem is reported on one line, and cutting or escaping the value could defeat the masking of a
 * secret inside it.
 */
function argument(value: unknown): string {
  const text = String(value);
  return /[\r\n]/.test(text) ? '…' : text;
}

/** Splits a lodash-style path (`a.b[0]["c"]`) into keys. */
export function splitPath(text: string): string[] {
  const keys: string[] = [];
  const pattern = /[^.[\]]+|\[(?:(-?\d+(?:\.\d+)?)|(["'])((?:(?!\2)[^\\]|\\.)*?)\2)\]/g;
  for (const match of text.matchAll(pattern)) keys.push(match[1] ?? match[3] ?? match[0]);
  return keys;
}

/**
 * The functions of Serverless Devs' art-template fork (devs-compile.js), with its error texts.
 * `readPath` walks the expression's data for `str()`, so callers control what a path may reach.
 */
export function magicFunctions(
  environment: MagicEnvironment,
  readPath: (keys: readonly string[]) => unknown,
): Record<string, MagicFunction> {
  const resolvePath = (value: unknown) => {
    const text = String(value);
    return path.isAbsolute(text) ? text : path.join(environment.dir, text);
  };
  return {
    env(name, fallback) {
      const value = Object.hasOwn(environment.env, String(name)) ? environment.env[String(name)] : undefined;
      if (value) {
        if (environment.isSecretEnv(String(name))) environment.onSecret(value);
        return value;
      }
      if (fallback !== undefined && fallback !== null) return fallback;
      throw new ExpressionError(`env('${String(name)}') not found`, ENV_HINT(String(name)));
    },
    config(field) {
      const key = String(field) as CredentialField;
      const value =
        environment.credential && Object.hasOwn(environment.credential, key)
          ? environment.credential[key]
          : undefined;
      if (value) {
        if (key !== 'AccountID') environment.onSecret(value);
        return value;
      }
      throw new ExpressionError(
        `config('${key}') not found`,
        key === 'AccountID'
          ? 'set the AccountID variable, or use role-to-assume (its ARN names the account)'
          : `set the ${key} variable, as Serverless Devs reads it`,
      );
    },
    str(value) {
      const keys = typeof value === 'string' ? splitPath(value) : [String(value)];
      const found = readPath(keys);
      return String(found === undefined ? value : found);
    },
    file(file) {
      try {
        return readRegularFile(resolvePath(file)).toString('utf8');
      } catch (error) {
        if (error instanceof UnreadableFileError && error.code === undefined) {
          throw new ExpressionError(`file('${String(file)}') ${error.message}`);
        }
        throw new ExpressionError(`file('${String(file)}') not found`, RELATIVE_HINT);
      }
    },
    path(value) {
      if (isEmptyValue(value)) throw new ExpressionError('path value is empty');
      const resolved = resolvePath(value);
      if (existsSync(resolved)) return resolved;
      throw new ExpressionError('path value not found', RELATIVE_HINT);
    },
    json(value) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(value));
      } catch {
        throw new ExpressionError(`json('${argument(value)}') parse error`);
      }
      if (nestedDeeperThan(parsed, MAX_DEPTH)) {
        throw new ExpressionError(`json('${argument(value)}') is nested more than ${MAX_DEPTH} levels deep`);
      }
      return parsed;
    },
    yaml(value) {
      // The same parser and caps as the s.yaml itself: no alias bombs through an environment variable.
      const { documents, problems } = parseYaml(String(value), 'yaml()');
      const [problem] = problems;
      if (problem) {
        const at = problem.position ? `line ${problem.position.line} of the value: ` : '';
        throw new ExpressionError(`yaml('${argument(value)}') parse error`, at + problem.message);
      }
      return documents[0]?.toJS({ maxAliasCount: -1 }) ?? null;
    },
    base64(value) {
      if (typeof value !== 'string') throw new ExpressionError(`base64('${String(value)}') parse error`);
      return Buffer.from(value).toString('base64');
    },
    regex(value) {
      try {
        return new RegExp(String(value)).test(String(environment.command));
      } catch (error) {
        throw new ExpressionError(`regex('${String(value)}'): ${(error as Error).message}`);
      }
    },
    secret(name) {
      throw new ExpressionError(
        `secret('${String(name)}') is not supported: it reads the local Serverless Devs secret store`,
        `use \${env('${String(name)}')} with a repository secret instead`,
      );
    },
  };
}
