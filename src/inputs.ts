import { EndpointError, parseEndpoint } from './endpoint.js';

/**
 * Parsing of the string values that action inputs and CLI flags arrive as. Each parser names the
 * input in its error, so a typo in a workflow says exactly which line to fix.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `900` (seconds), `90s`, `15m`, `1h`, `7d` → milliseconds. */
export function parseDuration(name: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(value.trim());
  const ms = match ? Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 's']!) : 0;
  if (ms <= 0)
    throw new InputError(`Input ${name} must be a duration such as 900, 90s or 15m, not "${value}".`);
  return ms;
}

/** The YAML 1.2 core booleans, as the Actions toolkit's getBooleanInput accepts them. */
export function parseBoolean(name: string, value: string): boolean {
  if (/^(true|True|TRUE)$/.test(value.trim())) return true;
  if (/^(false|False|FALSE)$/.test(value.trim())) return false;
  throw new InputError(`Input ${name} must be true or false, not "${value}".`);
}

export function parsePositiveInteger(name: string, value: string): number {
  const number = Number(value.trim());
  if (!Number.isInteger(number) || number < 1) {
    throw new InputError(`Input ${name} must be a whole number of 1 or more, not "${value}".`);
  }
  return number;
}

/** Comma- or newline-separated names, blanks dropped. */
export function parseList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * An endpoint input (`api-endpoint`, `sts-endpoint`): a host name, host:port or http(s) URL, checked
 * before any request so that a typo fails at once and names the input. Returned trimmed.
 */
export function parseEndpointInput(name: string, value: string): string;
export function parseEndpointInput(name: string, value: string | undefined): string | undefined;
export function parseEndpointInput(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    parseEndpoint(value);
  } catch (error) {
    if (!(error instanceof EndpointError)) throw error;
    // A user name or password in the value must not be printed.
    const shown = value.includes('@') ? '' : ` "${value}"`;
    throw new InputError(
      `Input ${name}${shown} ${error.message}: expected a host name such as ` +
        'agentrun.cn-hangzhou.aliyuncs.com, a host:port, or an http(s) URL such as http://127.0.0.1:9000.',
    );
  }
  return value.trim();
}
