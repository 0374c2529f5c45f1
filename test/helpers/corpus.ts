/** The shared corpus of real haproxy.cfg files (../shared/corpus) and what haproxy 2.6 said of each. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const corpusDir = resolve(__dirname, '../../../shared/corpus');
export const corpusAvailable = existsSync(join(corpusDir, 'SOURCES.tsv'));

export interface CorpusEntry {
  filename: string;
  path: string;
  hasProgram: boolean;
  /** Exit code of `haproxy -c` 2.6 as recorded in SOURCES.tsv. */
  haproxy26Rc: number;
  haproxy26Class: string;
}

export function corpusEntries(): CorpusEntry[] {
  if (!corpusAvailable) return [];
  const rows = readFileSync(join(corpusDir, 'SOURCES.tsv'), 'utf8').trim().split('\n').slice(1);
  return rows.map((row) => {
    const f = row.split('\t');
    return { filename: f[0]!, path: join(corpusDir, f[0]!), hasProgram: f[5] === 'yes', haproxy26Rc: Number(f[6]), haproxy26Class: f[7]! };
  });
}

export function corpusFiles(): string[] {
  if (!corpusAvailable) return [];
  return readdirSync(corpusDir).filter((f) => f !== 'SOURCES.tsv');
}
