/**
 * The formatter's output as small edits rather than one whole-document replacement: editors
 * keep the cursor and folds, and range formatting keeps only the edits inside the range.
 * A line LCS between the common head and tail (bounded in size; beyond it, one hunk).
 */

/** Old lines [oldStart, oldEnd) become newLines (each with its line end). */
export interface LineHunk {
  oldStart: number;
  oldEnd: number;
  newLines: string[];
}

const MAX_LCS_CELLS = 4_000_000;

export function splitLines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

export function lineHunks(oldText: string, newText: string): LineHunk[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const oldMid = a.slice(head, a.length - tail);
  const newMid = b.slice(head, b.length - tail);
  if (oldMid.length === 0 && newMid.length === 0) return [];
  if (oldMid.length * newMid.length > MAX_LCS_CELLS) return [{ oldStart: head, oldEnd: head + oldMid.length, newLines: newMid }];
  return lcsHunks(oldMid, newMid).map((h) => ({ ...h, oldStart: h.oldStart + head, oldEnd: h.oldEnd + head }));
}

function lcsHunks(a: string[], b: string[]): LineHunk[] {
  const n = a.length;
  const m = b.length;
  // lengths[i * (m + 1) + j] = LCS length of a[i..] and b[j..]
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] = a[i] === b[j] ? lengths[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lengths[(i + 1) * (m + 1) + j]!, lengths[i * (m + 1) + j + 1]!);
    }
  }
  const hunks: LineHunk[] = [];
  let current: LineHunk | undefined;
  const flush = () => {
    if (current) hunks.push(...splitEvenHunk(current));
    current = undefined;
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      i++;
      j++;
    } else if (j < m && (i === n || lengths[i * (m + 1) + j + 1]! >= lengths[(i + 1) * (m + 1) + j]!)) {
      current ??= { oldStart: i, oldEnd: i, newLines: [] };
      current.newLines.push(b[j++]!);
    } else {
      current ??= { oldStart: i, oldEnd: i, newLines: [] };
      current.oldEnd = ++i;
    }
  }
  flush();
  return hunks;
}

/** A hunk replacing k lines by k lines is k one-line edits (re-indented lines, mostly). */
function splitEvenHunk(hunk: LineHunk): LineHunk[] {
  if (hunk.oldEnd - hunk.oldStart !== hunk.newLines.length || hunk.newLines.length < 2) return [hunk];
  return hunk.newLines.map((line, k) => ({ oldStart: hunk.oldStart + k, oldEnd: hunk.oldStart + k + 1, newLines: [line] }));
}
