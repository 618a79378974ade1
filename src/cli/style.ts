/** Colours for a terminal: only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export interface Style {
  bold(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

const COLOURS: Style = { bold: sgr(1, 22), red: sgr(31, 39), yellow: sgr(33, 39), dim: sgr(2, 22) };
export const PLAIN: Style = { bold: String, red: String, yellow: String, dim: String };

export function styleFor(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): Style {
  return stream.isTTY && !env.NO_COLOR && env.TERM !== 'dumb' ? COLOURS : PLAIN;
}
