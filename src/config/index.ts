/**
 * The s.yaml loader and resolver: reads an edition 3.0.0 Serverless Devs file and resolves it exactly as
 * `@serverless-devs/parse-spec` would, reporting every problem at once with file:line:col.
 */
export type { ActionEntry, ResolveOptions, ResolvedResource, ResolvedSpec } from './api.js';
export type { Credential, CredentialField } from './magic.js';
export { resolveSpec } from './resolve.js';
export { ConfigError, formatProblem, type KeyPath, type Problem, type SourcePosition } from './types.js';
