// GitHub's own example webhook payloads (@octokit/webhooks-examples), and GitHub's webhook description
// (@octokit/openapi-webhooks) to check the few that a test must edit because no example exists.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';

const require = createRequire(import.meta.url);
const addFormats = formats.default;

interface Definition {
  name: string;
  examples: Record<string, unknown>[];
}

const DEFINITIONS = require('@octokit/webhooks-examples') as Definition[];
const WEBHOOKS_FILE = require.resolve('@octokit/openapi-webhooks/generated/api.github.com.json');

/**
 * A copy of the first example of `event` (with `action`, when given) that `accept` accepts. Throws when
 * the package has none, so a test never silently runs on a payload that does not exist.
 */
export function webhookExample(
  event: string,
  action?: string,
  accept: (payload: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown> {
  const found = DEFINITIONS.find((definition) => definition.name === event)?.examples.find(
    (example) => (action === undefined || example.action === action) && accept(example),
  );
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event} ${action ?? ''} example`);
  return structuredClone(found);
}

let validators: { ajv: Ajv; cache: Map<string, ValidateFunction> } | undefined;

/** Where `payload` departs from GitHub's schema of `webhook` (e.g. `pull-request-edited`). */
function mismatches(webhook: string, payload: unknown): string[] {
  if (!validators) {
    const spec = JSON.parse(readFileSync(WEBHOOKS_FILE, 'utf8')) as { components: object };
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema({ $id: 'webhooks', components: spec.components });
    validators = { ajv, cache: new Map() };
  }
  let validate = validators.cache.get(webhook);
  if (!validate) {
    validate = validators.ajv.compile({ $ref: `webhooks#/components/schemas/webhook-${webhook}` });
    validators.cache.set(webhook, validate);
  }
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/**
 * Checks the edit of an example: `edited`, read as webhook `webhook`, departs from GitHub's schema
 * nowhere the unedited `original` (read as `originalWebhook`) does not already. The examples predate
 * some fields the schema now requires; those gaps are GitHub's, the edit must add none.
 */
export function assertEditKeepsShape(
  original: { webhook: string; payload: unknown },
  edited: { webhook: string; payload: unknown },
): void {
  const known = new Set(mismatches(original.webhook, original.payload));
  const added = [...new Set(mismatches(edited.webhook, edited.payload))].filter((m) => !known.has(m));
  if (added.length) {
    throw new Error(
      `the edited ${edited.webhook} payload does not match GitHub's description: ${added.slice(0, 5).join('; ')}`,
    );
  }
}
