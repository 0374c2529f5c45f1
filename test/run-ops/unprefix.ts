/** Undoes `--output prefix`: per program name, the exact bytes it wrote (a `+` line continues a cut line). */
export function unprefix(text: Buffer, width: number): Map<string, Buffer> {
  const out = new Map<string, Buffer[]>();
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf(0x0a, start);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.subarray(start, end);
    const name = line.subarray(0, width).toString('latin1').trimEnd();
    const mark = String.fromCharCode(line[width + 1]!);
    const body = line.subarray(width + 3);
    const parts = out.get(name) ?? [];
    if (mark === '+' && parts.length > 0) {
      const last = parts[parts.length - 1]!;
      parts[parts.length - 1] = last.subarray(0, last.length - 1); // the newline the cut added
    }
    parts.push(body);
    out.set(name, parts);
    start = end;
  }
  return new Map([...out].map(([k, v]) => [k, Buffer.concat(v)]));
}
