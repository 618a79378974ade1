import { createHash } from 'node:crypto';
import type { Version } from '../agentrun/api.js';
import type { CreateAgentRuntimeInput } from '../agentrun/model.js';

/**
 * What a deploy recorded about the configuration and code it published. A GET does not return
 * everything a deploy sends (the code package, ARMS settings, …), so the version this action publishes
 * carries digests of both in its description; comparing with them is how a deploy knows that nothing
 * changed, and notices a setting removed from the s.yaml that a field-by-field comparison cannot see.
 */
export interface Fingerprint {
  /** Digest of the request body without its code package. */
  config: string;
  /** Digest of the code tree (see TargetCode); absent for container images and OSS objects. */
  code?: string;
}

/** The fingerprint of a desired runtime body; `code` identifies the package that goes with it. */
export function fingerprintOf(desired: CreateAgentRuntimeInput, code: string | undefined): Fingerprint {
  const { codeConfiguration, ...rest } = desired;
  const settings = codeConfiguration && { ...codeConfiguration, zipFile: undefined, checksum: undefined };
  const config = createHash('sha256')
    .update(stableJson({ ...rest, codeConfiguration: settings }))
    .digest('hex')
    .slice(0, 16);
  return code === undefined ? { config } : { config, code };
}

const MARKER = /\[agentrun-deploy config:([0-9a-f]{16})(?: code:([0-9a-f]{16}))?\]/;

/** The fingerprint as it is written at the end of a published version's description. */
export function marker({ config, code }: Fingerprint): string {
  return `[agentrun-deploy config:${config}${code === undefined ? '' : ` code:${code}`}]`;
}

/** The fingerprint a version was published with, if this action published it. */
export function recorded(version: Version | undefined): Fingerprint | undefined {
  const match = MARKER.exec(version?.description ?? '');
  if (!match) return undefined;
  return match[2] === undefined ? { config: match[1]! } : { config: match[1]!, code: match[2] };
}

/** A version's description as its publisher wrote it, without the fingerprint. */
export function withoutMarker(description: string | undefined): string {
  return (description ?? '').replace(MARKER, '').trim();
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
