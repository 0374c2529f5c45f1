/**
 * fast-check generators of haproxy.cfg texts: every quoting and escape form, comments, blank lines,
 * CRLF and lone CRs, `.if` blocks inside and around sections, ignore markers.
 */
import fc from 'fast-check';
import type { FormatOptions } from '../../src/format/format.js';

export const ENV = { HOME: '/root', M: 'one  two', EMPTY: '' };

const fragment = fc.oneof(
  fc.constantFrom('a', 'b1', 'x.y', '$HOME', '/bin/sh', ':80', 'caf\u00e9', '{', 'c\\q', 'k=v', '-x', 'x#y', '\u00a0'),
  fc.constantFrom('\\ ', '\\\\', '\\t', '\\n', '\\r', '\\x41', '\\x20', '\\#', "\\'", '\\"'),
  fc.constantFrom("'a b'", "'#'", "'$HOME'", "'\\\\'", "''", "'\"'"),
  fc.constantFrom('"a b"', '"$HOME"', '"${X-d f}"', '"${M[*]}"', '"\\""', '"#"', '"$.LINE"', '""', '"\\$"', '"${UNSET}"', '"$.SECTION"', '"a\'b"'),
);
const word = fc.oneof(
  { weight: 8, arbitrary: fc.array(fragment, { minLength: 1, maxLength: 3 }).map((f) => f.join('')) },
  // a word ending in a backslash that escapes nothing (before a TAB or the line end)
  { weight: 1, arbitrary: fc.constantFrom('p\\', 'q\\\\\\') },
);
const gap = fc.constantFrom(' ', '  ', '\t', ' \t', '\v', '\f ', ' \r');
const indent = fc.constantFrom('', '', ' ', '    ', '\t', '\t\t', ' \t', '\f', '\r ');
const trailingBlanks = fc.constantFrom('', '', '', ' ', '\t ', '  ');
const commentText = fc.constantFrom('#', '# note', '#x "y', "# it's", '#\ttab', '# prettier-ignore', '# hpm-fmt: off', '# hpm-fmt: on', '##');
const lineEnd = fc.constantFrom('\n', '\n', '\n', '\r\n');
const crTail = fc.constantFrom('\rjunk', '\r', '\rx y', '\r#c', '\r\r');

function joinWords(words: string[], gaps: string[]): string {
  return words.map((w, i) => (i === 0 ? w : gaps[i - 1] + w)).join('');
}

const statement = fc
  .record({
    indent,
    keyword: fc.oneof(
      { weight: 30, arbitrary: fc.constantFrom('daemon', 'maxconn', 'command', 'log', 'option', 'no option', 'bind', 'description', 'user', '"quoted"', 'a\\ b', '""') },
      // a quoted directive breaks the generated .if structure (refused); an unknown one is laid out
      { weight: 1, arbitrary: fc.constantFrom('".endif"', '.foo') },
    ),
    args: fc.array(word, { maxLength: 4 }),
    gaps: fc.array(gap, { minLength: 5, maxLength: 5 }),
    tail: fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 2, arbitrary: trailingBlanks.chain((t) => commentText.map((c) => `${t || ' '}${c}`)) }, { weight: 1, arbitrary: crTail }),
    end: lineEnd,
  })
  .map((s) => `${s.indent}${joinWords([s.keyword, ...s.args], s.gaps)}${s.tail}${s.end}`);

const comment = fc.record({ indent, text: commentText, trailing: trailingBlanks, end: lineEnd }).map((c) => `${c.indent}${c.text}${c.trailing}${c.end}`);
const blank = fc.record({ indent: trailingBlanks, end: lineEnd }).map((b) => `${b.indent}${b.end}`);
const message = fc.record({ indent, kind: fc.constantFrom('.notice', '.warning', '.diag'), end: lineEnd }).map((m) => `${m.indent}${m.kind} "msg here"${m.end}`);
const condition = fc.constantFrom('1', '0', 'defined(HOME)', 'defined(HPM_RUN)', 'streq("a","a")', '!defined(X)', '');

const directive = (keyword: string) => fc.record({ indent, condition, end: lineEnd }).map((d) => `${d.indent}${keyword}${keyword === '.if' || keyword === '.elif' ? ` ${d.condition}` : ''}${d.end}`);

/** `.if [.elif] [.else] .endif` around what `inner` makes. */
function conditional(inner: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .record({
      open: directive('.if'),
      first: inner,
      elif: fc.option(fc.tuple(directive('.elif'), inner)),
      otherwise: fc.option(fc.tuple(directive('.else'), inner)),
      close: directive('.endif'),
    })
    .map((c) => c.open + c.first + (c.elif ? c.elif.join('') : '') + (c.otherwise ? c.otherwise.join('') : '') + c.close);
}

const scope = fc.constantFrom('[scope]\n', '  [my-agent]   # spoe\n');
const bodyLine = fc.oneof({ weight: 6, arbitrary: statement }, { weight: 2, arbitrary: comment }, { weight: 2, arbitrary: blank }, { weight: 1, arbitrary: message }, { weight: 1, arbitrary: scope });
const body = fc.array(fc.oneof({ weight: 5, arbitrary: bodyLine }, { weight: 1, arbitrary: conditional(fc.array(bodyLine, { maxLength: 3 }).map((l) => l.join(''))) }), { maxLength: 6 }).map((l) => l.join(''));
const header = fc
  .record({ indent, keyword: fc.constantFrom('global', 'defaults', 'frontend web', 'backend app', 'program api', 'listen stats', 'program "my prog"', 'userlist u'), tail: fc.constantFrom('', '', ' # section', '  '), end: lineEnd })
  .map((h) => `${h.indent}${h.keyword}${h.tail}${h.end}`);
const leading = fc.array(fc.oneof(comment, blank), { maxLength: 3 }).map((l) => l.join(''));
const section = fc.tuple(leading, header, body).map((s) => s.join(''));
const topLevel = fc.oneof({ weight: 5, arbitrary: section }, { weight: 1, arbitrary: conditional(fc.array(section, { maxLength: 2 }).map((s) => s.join(''))) }, { weight: 1, arbitrary: leading });
export const config = fc
  .tuple(fc.array(topLevel, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.constantFrom('', '', '', '', '\ufeff'))
  .map(([parts, finalLf, bom]) => {
    const text = bom + parts.join('');
    return finalLf ? text : text.replace(/\r?\n$/, '');
  });
export const options = fc.record({ useTabs: fc.boolean(), tabWidth: fc.constantFrom(2, 4, 8), endOfLine: fc.constantFrom<'lf' | 'crlf'>('lf', 'lf', 'crlf') }) as fc.Arbitrary<FormatOptions>;

