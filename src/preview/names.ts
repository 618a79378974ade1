/** How previews are named, so that a later run (or the cleanup) finds exactly them again. */

/** The preview endpoint of PR `pr`: the `preview-endpoint` pattern with `{number}` filled in. */
export function previewEndpointName(pattern: string, pr: number): string {
  return pattern.replaceAll('{number}', String(pr));
}

/** The PR number an endpoint named by `pattern` previews, or undefined when it is no preview. */
export function previewNumberOf(pattern: string, endpointName: string): number | undefined {
  const [before, after] = pattern.split('{number}') as [string, string];
  if (!endpointName.startsWith(before) || !endpointName.endsWith(after)) return undefined;
  const digits = endpointName.slice(before.length, endpointName.length - after.length);
  return /^[1-9]\d*$/.test(digits) ? Number(digits) : undefined;
}

/** The separate runtime of `preview-mode: runtime`. */
export function previewRuntimeName(runtimeName: string, pr: number): string {
  return `${runtimeName}-pr-${pr}`;
}

/** How the description of a version published for PR `pr`'s preview begins. */
export function previewVersionNote(pr: number): string {
  return `Preview of #${pr}.`;
}

/** The PR a version was published to preview, read from its description; undefined for other versions. */
export function previewOfVersion(description: string | undefined): number | undefined {
  const match = /^Preview of #(\d+)\./.exec(description ?? '');
  return match ? Number(match[1]) : undefined;
}
