import { ECOSYSTEMS, ecosystemOf, type Detection, type DetectRequest } from './ecosystems/index.js';

/**
 * Decides what `request.codeDir` needs, as `s build` does, through the language's ecosystem. A
 * directory that already holds the build's output (built by an earlier step) is packaged as it is.
 */
export async function detectBuild(request: DetectRequest): Promise<Detection> {
  const ecosystem = ecosystemOf(request.language);
  if (!ecosystem) return { nothing: `dependencies are not built for ${request.language}` };
  return ECOSYSTEMS[ecosystem].detect(request);
}
