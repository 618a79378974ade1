/**
 * What the emulator accepts: the official request models (src/agentrun/model.ts) plus the service's
 * rules in SERVICE (src/agentrun/service.ts), each of which names its source there. A rejected request
 * is a 400 naming the field, the value received and what was expected.
 */
import type { z } from 'zod';
import {
  createAgentRuntimeEndpointInput,
  createAgentRuntimeInput,
  publishRuntimeVersionInput,
  updateAgentRuntimeEndpointInput,
  updateAgentRuntimeInput,
  type CreateAgentRuntimeEndpointInput,
  type CreateAgentRuntimeInput,
  type UpdateAgentRuntimeEndpointInput,
  type UpdateAgentRuntimeInput,
} from '../src/agentrun/model.js';
import { SERVICE, type ServiceDefaulted } from '../src/agentrun/service.js';
import { invalid } from './errors.js';

export { LATEST, Status } from '../src/agentrun/model.js';

/**
 * A runtime's configuration as the emulator stores it: a complete create input, with what the service
 * picks for the fields it was created without (SERVICE.defaults).
 */
export type RuntimeConfig = CreateAgentRuntimeInput & Record<ServiceDefaulted, number>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const { limits } = SERVICE;

/** `[path, problem]` pairs for the ranges SERVICE.limits lists, checked on whichever fields are present. */
function limitProblems(input: Record<string, unknown>): [string, string][] {
  const problems: [string, string][] = [];
  const check = (field: keyof typeof limits, ok: (value: unknown) => boolean, expected: string) => {
    const value = input[field];
    if (value !== undefined && !ok(value)) problems.push([field, `expected ${expected}`]);
  };
  for (const field of ['agentRuntimeName', 'agentRuntimeEndpointName'] as const) {
    check(
      field,
      (v) => typeof v === 'string' && limits[field].test(v),
      `a name matching ${limits[field].source}`,
    );
  }
  for (const field of [
    'cpu',
    'memory',
    'port',
    'sessionConcurrencyLimitPerInstance',
    'sessionIdleTimeoutSeconds',
  ] as const) {
    const { min, max } = limits[field];
    check(field, (v) => typeof v === 'number' && v >= min && v <= max, `a number from ${min} to ${max}`);
  }
  check(
    'description',
    (v) => typeof v === 'string' && v.length <= limits.description.maxLength,
    `at most ${limits.description.maxLength} characters`,
  );
  return problems;
}

/** The code package checks every runtime body gets: base64 zip, decimal checksum, one source. */
function codeProblems(code: CreateAgentRuntimeInput['codeConfiguration']): [string, string][] {
  if (!code) return [];
  const problems: [string, string][] = [];
  if (code.zipFile !== undefined && !BASE64.test(code.zipFile)) {
    problems.push(['codeConfiguration.zipFile', 'must be base64']);
  }
  if (code.checksum !== undefined && !/^\d{1,20}$/.test(code.checksum)) {
    problems.push(['codeConfiguration.checksum', 'must be the CRC-64 as a decimal string']);
  }
  if (code.zipFile !== undefined && code.ossBucketName !== undefined) {
    problems.push(['codeConfiguration', 'give either zipFile or ossBucketName + ossObjectName, not both']);
  }
  if ((code.ossBucketName === undefined) !== (code.ossObjectName === undefined)) {
    problems.push(['codeConfiguration', 'ossBucketName and ossObjectName go together']);
  }
  return problems;
}

function weightProblems(
  routing: CreateAgentRuntimeEndpointInput['routingConfiguration'],
): [string, string][] {
  return (routing?.versionWeights ?? []).flatMap((entry, i): [string, string][] => {
    const path = `routingConfiguration.versionWeights.${i}`;
    const { min, max } = SERVICE.weights;
    if (!entry.version) return [[`${path}.version`, 'expected a version']];
    if (entry.weight === undefined || entry.weight < min || entry.weight > max) {
      return [[`${path}.weight`, `expected a number from ${min} to ${max}`]];
    }
    return [];
  });
}

/** A create body (or an update merged into the deployed configuration) as the runtime then has it. */
export function parseCreateRuntime(body: unknown): RuntimeConfig {
  const input = { ...SERVICE.defaults, ...parse(createAgentRuntimeInput, body) };
  const problems = [...limitProblems(input), ...codeProblems(input.codeConfiguration)];
  if (
    input.artifactType === 'Code' &&
    !input.codeConfiguration?.zipFile &&
    !input.codeConfiguration?.ossBucketName
  ) {
    problems.push(['codeConfiguration', 'give the code package: zipFile, or ossBucketName + ossObjectName']);
  }
  return rejectIf(problems, input);
}

export function parseUpdateRuntime(body: unknown): UpdateAgentRuntimeInput {
  const input = parse(updateAgentRuntimeInput, body);
  return rejectIf([...limitProblems(input), ...codeProblems(input.codeConfiguration)], input);
}

export function parseCreateEndpoint(body: unknown): CreateAgentRuntimeEndpointInput {
  const input = parse(createAgentRuntimeEndpointInput, body);
  const problems = [...limitProblems(input), ...weightProblems(input.routingConfiguration)];
  if (SERVICE.endpointNeedsName && input.agentRuntimeEndpointName === undefined) {
    problems.push(['agentRuntimeEndpointName', 'expected the endpoint name']);
  }
  return rejectIf(problems, input);
}

export function parseUpdateEndpoint(body: unknown): UpdateAgentRuntimeEndpointInput {
  const input = parse(updateAgentRuntimeEndpointInput, body);
  return rejectIf([...limitProblems(input), ...weightProblems(input.routingConfiguration)], input);
}

export function parsePublish(body: unknown): z.infer<typeof publishRuntimeVersionInput> {
  const input = parse(publishRuntimeVersionInput, body ?? {});
  return rejectIf(limitProblems(input), input);
}

function rejectIf<T>(problems: [string, string][], input: T): T {
  if (problems.length === 0) return input;
  throw invalid(`Invalid request: ${problems.map(([path, problem]) => `${path}: ${problem}`).join('; ')}`);
}

/**
 * Parses `input` or throws a 400 naming the field, the value received and what was expected, like
 * `cpu: Invalid input: expected number, received undefined`.
 */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const messages = result.error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
    const got = 'input' in issue && issue.input !== undefined ? ` (got ${preview(issue.input)})` : '';
    return `${where}: ${issue.message}${got}`;
  });
  throw invalid(`Invalid request: ${messages.join('; ')}`);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
