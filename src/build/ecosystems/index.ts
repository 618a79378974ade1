import type { Language } from '../../config/schema.js';
import { java } from './java.js';
import { nodejs } from './nodejs.js';
import { python } from './python.js';
import type { Ecosystem, EcosystemBuild } from './types.js';

export type * from './types.js';

/** Every language family that is built, each with all an EcosystemBuild must provide. */
export const ECOSYSTEMS = { python, nodejs, java } satisfies Record<Ecosystem, EcosystemBuild>;

/** The family a `code.language` belongs to. */
export function ecosystemOf(language: Language): Ecosystem | undefined {
  return (Object.keys(ECOSYSTEMS) as Ecosystem[]).find((name) =>
    language.startsWith(ECOSYSTEMS[name].languagePrefix),
  );
}
