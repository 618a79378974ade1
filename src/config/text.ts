/**
 * Configuration text must be UTF-8 of printable characters, as YAML defines them. Node silently turns
 * bad bytes into U+FFFD and the yaml package keeps control characters, so both would be deployed.
 * Serverless Devs' parser (js-yaml) refuses control characters in values; we refuse them anywhere, and
 * bad bytes too: a file with either is damaged.
 */
import { isUtf8 } from 'node:buffer';
import { ConfigError, type SourcePosition } from './types.js';

// YAML 1.2's printable set (c-printable): tab, line breaks, and everything but the C0/C1 controls,
// DEL, surrogates and U+FFFE/U+FFFF. U+FEFF (a byte order mark) is printable.
const NON_PRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** 1-based line and column of a string offset, as the YAML positions count them. */
export function positionAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
}

/** Offset in the decoded text of the first byte sequence that is not UTF-8. */
function firstInvalidSequence(bytes: Buffer, text: string): number {
  let byte = 0;
  for (let offset = 0; offset < text.length;) {
    const code = text.codePointAt(offset) as number;
    // A U+FFFD that the file really contains is the three bytes EF BF BD.
    if (code === 0xfffd && !(bytes[byte] === 0xef && bytes[byte + 1] === 0xbf && bytes[byte + 2] === 0xbd)) {
      return offset;
    }
    byte += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    offset += code > 0xffff ? 2 : 1;
  }
  return text.length;
}

function hex(value: number, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, '0');
}

function fail(message: string, position: SourcePosition): never {
  throw new ConfigError([{ severity: 'error', path: [], message, position }]);
}

/** The first character YAML does not count as printable (a control character), if any. */
export function findControlCharacter(text: string): { code: string; offset: number } | undefined {
  const match = NON_PRINTABLE.exec(text);
  return match ? { code: `U+${hex(match[0].codePointAt(0) as number, 4)}`, offset: match.index } : undefined;
}

/** Decodes a file's bytes, refusing invalid UTF-8 and control characters with their position. */
export function decodeText(bytes: Buffer, name: string, shown: string): string {
  const text = bytes.toString('utf8');
  if (!isUtf8(bytes)) {
    const offset = firstInvalidSequence(bytes, text);
    const byte = bytes[Buffer.byteLength(text.slice(0, offset))] as number;
    fail(`${name} is not valid UTF-8 (byte 0x${hex(byte, 2)} here): save the file with UTF-8 encoding`, {
      file: shown,
      ...positionAt(text, offset),
    });
  }
  const control = findControlCharacter(text);
  if (control) {
    fail(
      `${name} contains the control character ${control.code}, which configuration text may not hold: ` +
        'delete it (in YAML, a character that is meant can be written as an escape in a double-quoted string)',
      { file: shown, ...positionAt(text, control.offset) },
    );
  }
  return text;
}
