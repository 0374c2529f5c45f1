/**
 * Prettier turns every CR into LF before a parser sees the text. For HAProxy a lone CR is not a
 * line end: `a\rb c` is the word `a` and an ignored tail, and `x 1 \ry` is three words on one
 * line. Formatting Prettier's version would change what HAProxy reads, so the parser gets back
 * the text as written when it can: from hpm-fmt (which registers the text it hands to Prettier)
 * or from the file on disk when it holds exactly the text Prettier was given.
 */
import { readFileSync } from 'node:fs';
import { decodeConfigBytes } from '../model/load.js';

const BOM = '\ufeff';
const LONE_CR = /\r(?!\n)/;

/** What Prettier does to a text before parsing: drop a BOM, turn CRLF and CR into LF. */
export function prettierNormalized(text: string): string {
  return (text.startsWith(BOM) ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

function withoutBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/** Texts being formatted by hpm-fmt, by the text Prettier will hand to the parser. */
const registered = new Map<string, string>();

/** Runs `format` with `original` registered, so that the parser can see its lone CRs. */
export async function withSourceText<T>(original: string, format: () => Promise<T>): Promise<T> {
  const key = prettierNormalized(original);
  registered.set(key, withoutBom(original));
  try {
    return await format();
  } finally {
    registered.delete(key);
  }
}

function fromDisk(text: string, filepath: string | undefined): string | undefined {
  if (!filepath) return undefined;
  let onDisk: string;
  try {
    onDisk = withoutBom(decodeConfigBytes(readFileSync(filepath)).text);
  } catch {
    return undefined;
  }
  return LONE_CR.test(onDisk) && prettierNormalized(onDisk) === text ? onDisk : undefined;
}

/** The text as written, when Prettier's normalisation lost lone CRs; else `text` itself. */
export function sourceTextFor(text: string, filepath: string | undefined): string {
  return registered.get(text) ?? fromDisk(text, filepath) ?? text;
}
