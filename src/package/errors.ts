/** The code package cannot be built: bad `code.src`, a symlink leaving the tree, an unreadable file. */
export class PackageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageError';
  }
}

/** The zip is larger than Function Compute accepts (`codeSizeLimit` of its temporary code bucket). */
export class PackageTooLargeError extends PackageError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(
      `The code package is ${formatBytes(bytes)} (${bytes} bytes), over Function Compute's code size limit of ` +
        `${formatBytes(limit)} (${limit} bytes). Shrink it (exclude files with .arignore / .fcignore), or ` +
        `deploy it as a container image (customContainerConfig).`,
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
