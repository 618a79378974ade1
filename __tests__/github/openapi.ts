// GitHub's official REST description (@octokit/openapi) as a validator of requests and responses,
// so the local GitHub server cannot drift from the shapes GitHub really sends and accepts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

// ajv-formats is CommonJS: under ESM its function is the `default` of the default export.
const addFormats = formats.default;

interface Schema {
  [key: string]: unknown;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: Schema }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Schema>;
    parameters: Record<string, Parameter>;
    responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
  };
}

// Only the api.github.com description: the package's main entry would load all ten (~400 MB).
const SPEC_FILE = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');

/** Statuses GitHub sends on every route although the description lists them only on some. */
const UNDOCUMENTED_ERRORS = new Set([401, 403, 404, 429, 500]);

export class Problem extends Error {}

/** Validators for the operations a test server implements, compiled once per process. */
export class GitHubSpec {
  private readonly spec: Spec;
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction>();

  private constructor() {
    this.spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Spec;
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    // GitHub sends "" for an unset target_url, log_url or environment_url, the documented default,
    // which the description's `format: uri` would refuse.
    const uri = this.ajv.formats.uri as (value: string) => boolean;
    this.ajv.addFormat('uri', (value: string) => value === '' || uri(value));
    this.ajv.addSchema({ $id: 'github', components: this.spec.components });
  }

  private static loaded: GitHubSpec | undefined;
  static load(): GitHubSpec {
    return (GitHubSpec.loaded ??= new GitHubSpec());
  }

  operation(path: string, method: string): Operation {
    const operation = this.spec.paths[path]?.[method.toLowerCase()];
    if (!operation) throw new Problem(`GitHub's description has no ${method} ${path}`);
    return operation;
  }

  /** Checks path and query parameters: known names only, values of the described type. */
  checkParameters(
    path: string,
    method: string,
    values: { path: Record<string, string>; query: URLSearchParams },
  ): void {
    const parameters = (this.operation(path, method).parameters ?? []).map((p) =>
      '$ref' in p ? this.spec.components.parameters[p.$ref.split('/').pop()!]! : p,
    );
    for (const name of values.query.keys()) {
      if (!parameters.some((p) => p.in === 'query' && p.name === name)) {
        throw new Problem(`unknown query parameter ${name} for ${method} ${path}`);
      }
    }
    for (const parameter of parameters.filter((p) => p.in !== 'header')) {
      const raw =
        parameter.in === 'path'
          ? values.path[parameter.name]
          : (values.query.get(parameter.name) ?? undefined);
      if (raw === undefined) {
        if (parameter.required) throw new Problem(`missing ${parameter.in} parameter ${parameter.name}`);
        continue;
      }
      const value = parameter.schema.type === 'integer' ? Number(raw) : raw;
      this.check(
        `${parameter.in} parameter ${parameter.name}`,
        this.validator(`param ${path} ${method} ${parameter.name}`, parameter.schema),
        value,
      );
    }
  }

  /** Checks a JSON request body against the operation's schema; unknown keys are refused too. */
  checkRequestBody(path: string, method: string, body: unknown): void {
    const schema = this.operation(path, method).requestBody?.content['application/json']?.schema;
    if (!schema) return;
    this.check('request body', this.validator(`request ${path} ${method}`, schema), body);
    // GitHub's request schemas allow unknown keys; a misspelt field would otherwise pass unnoticed.
    const known = Object.keys((schema.properties as Schema | undefined) ?? {});
    const unknown = Object.keys(body as object).filter((key) => !known.includes(key));
    if (unknown.length)
      throw new Problem(`request body has fields the description does not know: ${unknown.join(', ')}`);
  }

  /** Checks a response this server is about to send against the operation's documented response. */
  checkResponse(path: string, method: string, status: number, body: unknown): void {
    const documented = this.operation(path, method).responses[String(status)];
    const response = documented?.$ref
      ? this.spec.components.responses[documented.$ref.split('/').pop()!]
      : documented;
    if (!response) {
      if (!UNDOCUMENTED_ERRORS.has(status)) throw new Problem(`${method} ${path} never answers ${status}`);
      this.check(
        `${status} body`,
        this.validator('basic-error', { $ref: '#/components/schemas/basic-error' }),
        body,
      );
      return;
    }
    const schema = response.content?.['application/json']?.schema;
    if (!schema) {
      if (body !== undefined) throw new Problem(`${method} ${path} ${status} has no body`);
      return;
    }
    this.check(`${status} body`, this.validator(`response ${path} ${method} ${status}`, schema), body);
  }

  /** A component schema, e.g. `repository`, for building sample objects. */
  schema(name: string): Schema {
    const schema = this.spec.components.schemas[name];
    if (!schema) throw new Problem(`no component schema ${name}`);
    return schema;
  }

  private validator(key: string, schema: Schema): ValidateFunction {
    let validate = this.cache.get(key);
    if (!validate) {
      // Component references resolve inside the registered `github` document.
      const rebased = JSON.parse(
        JSON.stringify(schema).replaceAll('"$ref":"#/components/', '"$ref":"github#/components/'),
      ) as Schema;
      validate = this.ajv.compile(rebased);
      this.cache.set(key, validate);
    }
    return validate;
  }

  private check(what: string, validate: ValidateFunction, value: unknown): void {
    if (validate(value)) return;
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new Problem(`${what} does not match GitHub's description: ${errors.join('; ')}`);
  }
}
