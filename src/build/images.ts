import type { Language } from '../config/schema.js';

/**
 * The image each `code.language` builds in with `build: docker` (and the one to use as a container
 * job's image with `build: container`): the official Python and Node.js images of the runtime's
 * version, on Debian, whose glibc the runtime's compiled wheels and addons work with, and the official
 * Maven image with the runtime's JDK. The `build-image` input replaces it. README's "Dependencies"
 * section shows this table.
 */
export const BUILD_IMAGES: Record<Language, string> = {
  'python3.10': 'python:3.10-slim-bookworm',
  'python3.12': 'python:3.12-slim-bookworm',
  nodejs18: 'node:18-bookworm-slim',
  nodejs20: 'node:20-bookworm-slim',
  java8: 'maven:3.9-eclipse-temurin-8',
  java11: 'maven:3.9-eclipse-temurin-11',
  java17: 'maven:3.9-eclipse-temurin-17',
};

/** The interpreter version a language runs on: `3.12` for python3.12, `20` for nodejs20, `17` for java17. */
export function runtimeVersion(language: Language): string {
  return language.replace(/^[a-z]+/, '');
}
