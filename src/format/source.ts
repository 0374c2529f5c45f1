/**
 * Prettier changes a text before a parser sees it: every CR becomes LF and a leading UTF-8 BOM
 * is removed (and put back at the start of the output). For HAProxy neither is neutral. A lone CR
 * is not a line end (`a\rb c` is the word `a` and an ignored tail; `x 1 \ry` is three words on
 * one line), and 2.6 reads a BOM as part of the first word. So the parser gets back the text as
 * written when it can: from hpm-fmt (which registers the text it hands to Prettier) or from the
 * file on disk when it holds exactly the text Prettier was given.
 */
import { readFileSync } from 'node:fs';
import { decodeConfigBytes } from '../model/load.js';

export const BOM = '\ufeff';
const LONE_CR = /\r(?!\n)/;

/** What Prettier does to a text before parsing: drop a BOM, turn CRLF and CR into LF. */
export function prettierNormalized(text: string): string {
  return (text.startsWith(BOM) ? text.slice(1) : text).replace(/\r\n?/g, '\n');
}

interface Registration {
  original: string;
  users: number;
  released: Promise<void>;
  release: () => void;
}

/** Texts being formatted by hpm-fmt, by the text Prettier will hand to the parser. */
const registered = new Map<string, Registration>();

/** Runs `format` with `original` registered, so that the parser sees it as written. */
export async function withSourceText<T>(original: string, format: () => Promise<T>): Promise<T> {
  const key = prettierNormalized(original);
  let registration: Registration;
  for (;;) {
    const current = registered.get(key);
    if (current === undefined) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      registration = { original, users: 1, released, release };
      registered.set(key, registration);
      break;
    }
    if (current.original === original) {
      registration = current;
      registration.users++;
      break;
    }
    // Another text that Prettier sees the same way is being formatted: the parser could not
    // tell them apart, so wait for it.
    await current.released;
  }
  try {
    return await format();
  } finally {
    if (--registration.users === 0) {
      registered.delete(key);
      registration.release();
    }
  }
}

/** Only a file whose CRs or BOM Prettier would lose is worth reading back. */
function fromDisk(text: string, filepath: string | undefined): string | undefined {
  if (!filepath) return undefined;
  let onDisk: string;
  try {
    onDisk = decodeConfigBytes(readFileSync(filepath)).text;
  } catch {
    return undefined;
  }
  return (LONE_CR.test(onDisk) || onDisk.startsWith(BOM)) && prettierNormalized(onDisk) === text ? onDisk : undefined;
}

/**
 * The text as written, when Prettier's normalisation lost something HAProxy reads; else `text`.
 * It may start with a BOM, which Prettier will put back in front of the output itself.
 */
export function sourceTextFor(text: string, filepath: string | undefined): string {
  return registered.get(text)?.original ?? fromDisk(text, filepath) ?? text;
}
