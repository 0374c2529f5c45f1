/**
 * Telling a binary file from a configuration before linting it: `hpm-lint /bin/true` must say so
 * once instead of printing the file back as hundreds of findings full of escape sequences.
 */

/** Magic numbers of files that are never configurations: ELF, gzip, zip, PNG, PDF. */
const MAGIC: readonly number[][] = [
  [0x7f, 0x45, 0x4c, 0x46],
  [0x1f, 0x8b],
  [0x50, 0x4b, 0x03, 0x04],
  [0x89, 0x50, 0x4e, 0x47],
  [0x25, 0x50, 0x44, 0x46, 0x2d],
];

const SAMPLE = 8192;

/**
 * True for a known binary format, or when more than a tenth of the first 8 KiB are control bytes
 * other than TAB, LF, VT, FF and CR. A stray NUL or two in a real configuration stays a lint
 * finding (syntax/nul-byte), not a binary file.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  if (MAGIC.some((magic) => magic.length <= bytes.length && magic.every((b, i) => bytes[i] === b))) return true;
  const length = Math.min(bytes.length, SAMPLE);
  if (length < 32) return false;
  let control = 0;
  for (let i = 0; i < length; i++) {
    const b = bytes[i]!;
    if ((b < 0x20 && (b < 0x09 || b > 0x0d)) || b === 0x7f) control++;
  }
  return control * 10 > length;
}
