/**
 * `after haproxy` under `hpm-run --haproxy`, with the real HAProxy 2.6 and 3.3: the program
 * starts only once HAProxy's master CLI answers, so its very first request through
 * HAPROXY_MASTER_CLI (as the Data Plane API sends at start-up) reaches HAProxy; at the stop,
 * HAProxy goes after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { haproxyBinary } from '../helpers/haproxy-binaries.js';
import { checkNoLeftoversAfterEach, ensureBuilt, newTag, startHpmRun, tempDir, waitUntil } from './helpers.js';
import { freePort, httpFrontendLines } from '../run-ops/helpers.js';

const tag = newTag();
const tmp = tempDir();
beforeAll(() => ensureBuilt(), 120_000);
checkNoLeftoversAfterEach(tag);
afterAll(() => tmp.cleanup());

/** Asks `@1 show info` once through $HAPROXY_MASTER_CLI and prints the answer's Name line. */
const FIRST_ASK = `
process.on('SIGTERM', () => process.exit(0));
const path = process.env.HAPROXY_MASTER_CLI.replace(/^unix@/, '');
const c = require('node:net').createConnection({ path });
let reply = '';
c.setEncoding('utf8').on('data', (d) => (reply += d));
c.on('error', (e) => console.log('first answer: error ' + e.code));
c.on('close', () => console.log('first answer: ' + (reply.split('\\n').find((l) => l.startsWith('Name:')) ?? JSON.stringify(reply.slice(0, 80)))));
c.end('@1 show info\\n');
setInterval(() => {}, 1000);
`;


for (const version of ['2.6', '3.3']) {
  const found = haproxyBinary(version);
  const missing = 'missing' in found ? found.missing : undefined;
  if (missing) console.log(`skipping 'after haproxy' with HAProxy ${version}: ${missing}`);
  describe.skipIf(missing !== undefined)(`after haproxy (HAProxy ${version})`, () => {
    it("the program's first master CLI request is answered by HAProxy", async () => {
      const binary = (found as { path: string }).path;
      const script = tmp.write('first-ask.js', FIRST_ASK);
      const port = await freePort();
      const sock = join(tmp.dir, `hpm-${version}.sock`);
      const path = tmp.write(
        `after-haproxy-${version}.cfg`,
        [
          ...httpFrontendLines(port),
          '    http-request return status 200',
          '.if defined(HPM_RUN)',
          'program api',
          `    command "${process.execPath}" "${script}"`,
          process.env.HPM_NO_AFTER ? '' : '    after haproxy',
          '.endif',
          '',
        ].join('\n'),
      );
      const run = startHpmRun(['--haproxy', binary, '-S', sock, path], { tag });
      try {
        await run.waitForLine(/Program 'api' waits for 'haproxy' to be ready \(after\)/);
        await waitUntil(() => /^first answer: /m.test(run.stdout()), "the program's first answer", 20_000);
        expect(run.stdout()).toMatch(/^first answer: Name: HAProxy$/m);
        // Stopped in reverse: HAProxy's master begins its stop only after the program exited.
        run.signal('SIGTERM');
        expect(await run.exited).toBe(0);
        const lines = run.lines();
        const programExit = lines.findIndex((l) => /Current program 'api' \(\d+\) exited/.test(l));
        const haproxyStop = lines.findIndex((l) => /\((\d+)\) : Exiting Master process/.test(l) && !l.includes(`(${run.child.pid})`));
        expect(programExit).toBeGreaterThanOrEqual(0);
        expect(haproxyStop, lines.join('\n')).toBeGreaterThan(programExit);
      } finally {
        run.signal('SIGTERM');
        await run.exited;
      }
    }, 40_000);
  });
}
