import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * dist/ ships no source maps. A stack trace still leads to the source: esbuild starts every module
 * of the (unminified) bundle with a `// src/deploy/runtime.ts` comment, so each frame in a bundle gets
 * the module it falls in appended, e.g. `dist/index.js:84372:11 [src/deploy/runtime.ts]`.
 */
export function withSourceModules(
  stack: string,
  readBundle: (path: string) => string | undefined = readIfBundle,
): string {
  const bundles = new Map<string, string[] | undefined>();
  const linesOf = (path: string) => {
    if (!bundles.has(path)) bundles.set(path, readBundle(path)?.split('\n'));
    return bundles.get(path);
  };
  return stack.replace(
    /((?:file:\/\/)?\/[^\s():]+\.js):(\d+):\d+\)?/g,
    (frame, file: string, line: string) => {
      const lines = linesOf(file.startsWith('file:') ? fileURLToPath(file) : file);
      if (!lines) return frame;
      for (let i = Math.min(Number(line), lines.length) - 1; i >= 0; i--) {
        const marker = /^\/\/ ((?:src|emulator|node_modules)\/\S+)$/.exec(lines[i]!);
        if (marker) return `${frame} [${marker[1]}]`;
      }
      return frame;
    },
  );
}

/** The text of a bundle or chunk in dist/; nothing for any other file. */
function readIfBundle(path: string): string | undefined {
  if (!/\/dist\/(?:chunks\/)?[^/]+\.js$/.test(path)) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
