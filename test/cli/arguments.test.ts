/**
 * The quick argument reader (src/cli/arguments.ts) answers the common forms without loading
 * yargs: whenever it answers, it must give exactly what yargs gives for the same declaration.
 */
import fc from 'fast-check';
import yargs, { type Argv } from 'yargs';
import { describe, expect, it } from 'vitest';
import { commandLine, readCommonForms } from '../../src/cli/arguments.js';
import { propertySeed } from '../helpers/env.js';

const define = (y: Argv) =>
  y
    .scriptName('hpm-test')
    .usage('$0 [options] <file>...')
    .option('file', { alias: 'f', type: 'string', describe: 'a file' })
    .option('check', { alias: 'c', type: 'boolean', describe: 'check' })
    .option('fix', { type: 'boolean', default: false, describe: 'fix' })
    .option('format', { choices: ['stylish', 'json'], default: 'stylish', describe: 'format' })
    .option('max-warnings', { type: 'number', describe: 'n' })
    .option('host-checks', { type: 'boolean', describe: 'host' })
    .option('define', { alias: 'D', type: 'string', describe: 'NAME=VALUE' })
    .option('output', { choices: ['inherit', 'prefix'], describe: 'output' });

const KEYS = ['_', 'file', 'f', 'check', 'c', 'fix', 'format', 'max-warnings', 'maxWarnings', 'host-checks', 'hostChecks', 'define', 'D', 'output'];

async function byYargs(argv: string[]): Promise<Record<string, unknown> | undefined> {
  let failed = false;
  const parser = define(yargs(argv)).strictOptions().help().alias('help', 'h').version(false).exitProcess(false).fail(() => {
    failed = true;
  });
  try {
    const args = (await parser.parseAsync()) as Record<string, unknown>;
    return failed ? undefined : args;
  } catch {
    return undefined;
  }
}

const pick = (args: Record<string, unknown>) => Object.fromEntries(KEYS.filter((k) => k in args).map((k) => [k, args[k]]));

describe('the quick argument reader', () => {
  it('answers the usual command lines without yargs', () => {
    expect(readCommonForms(commandLine(['-f', 'a.cfg', '--format', 'json', 'b.cfg'], define), 'hpm-test')).toMatchObject({ file: 'a.cfg', format: 'json', _: ['b.cfg'] });
    expect(readCommonForms(commandLine(['--no-host-checks', '-D', 'A=1', '-D', 'B'], define), 'hpm-test')).toMatchObject({ hostChecks: false, define: ['A=1', 'B'] });
  });

  it('leaves help, version, unknown flags and odd forms to yargs', () => {
    for (const argv of [['-h'], ['--help'], ['-v'], ['--bogus'], ['--', 'x'], ['-cf', 'x'], ['--format', 'nope'], ['--max-warnings', 'x'], ['-f'], ['-f', '-'], ['0123']]) {
      expect(readCommonForms(commandLine(argv, define), 'hpm-test'), argv.join(' ')).toBeUndefined();
    }
  });

  it('gives what yargs gives, whenever it answers', async () => {
    const words = ['-f', '--file', '--file=x.cfg', '-c', '--check', '--no-check', '--fix', '--no-fix', '--format', '--format=json', 'json', 'stylish', 'nope', '--max-warnings', '--max-warnings=3', '3', '-1', '2.5', '--host-checks', '--no-host-checks', '-D', '--define', 'A=1', '--output', 'prefix', '-', '--', 'a.cfg', 'dir/', 'true', 'false', '-x', '--bogus', '-h', '-v', '0x1'];
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...words), { maxLength: 8 }), async (argv) => {
        const quick = readCommonForms(commandLine(argv, define), 'hpm-test');
        if (quick === undefined) return;
        answered++;
        const reference = await byYargs(argv);
        expect(reference, `yargs refuses what the quick reader took: ${argv.join(' ')}`).toBeDefined();
        expect(pick(quick), argv.join(' ')).toEqual(pick(reference!));
      }),
      { numRuns: 2000, seed: propertySeed },
    );
    expect(answered).toBeGreaterThan(100);
  });
});
