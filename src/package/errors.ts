/** The code package cannot be built: bad `code.src`, a symlink leaving the tree, an unreadable file. */
export class PackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

/** The zip is larger than can be sent inline as `codeConfiguration.zipFile`. */
export class PackageTooLargeError extends PackageError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `The code package is ${formatBytes(bytes)} (${bytes} bytes), over the inline upload limit of ` +
        `${formatBytes(limit)} (${limit} bytes). Shrink it (exclude files with .arignore / .fcignore) or ` +
        `raise the \`max-inline-size\` input if you know the service accepts more. ` +
        `Uploading through OSS is not supported yet.`,
    );
    this.name = 'PackageTooLargeError';
  }
}

/** "12.3 MiB": sizes in messages are read by people; the exact byte count goes next to it. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The PackageError for a file that could not be read, naming it; a PackageError passes through. */
export function readError(file: { name: string; source: string }, error: unknown): PackageError {
  if (error instanceof PackageError) return error;
  const { code, message } = error as NodeJS.ErrnoException;
  return new PackageError(`Cannot read ${JSON.stringify(file.name)} (${file.source}): ${code ?? message}.`);
}
