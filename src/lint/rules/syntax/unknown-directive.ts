/**
 * A `.word` HAProxy does not know, `.alert` reached in an active block, a message directive with
 * several words, and `.warning` reached while `zero-warning` is set in `global` (HAProxy aborts).
 */
import { haproxyMessage } from '../../../syntax/index.js';
import { parserRule } from '../support.js';

export const rule = parserRule(
  {
    id: 'syntax/unknown-directive',
    defaultSeverity: 'error',
    description: "A '.word' HAProxy does not know, or a message directive that stops HAProxy ('.alert', '.warning' with 'zero-warning').",
  },
  (finding) => {
    switch (finding.code) {
      case 'message-directive-arguments':
        return { message: haproxyMessage(finding), hint: `quote the message: ${finding.directive} "${finding.words.join(' ')}"` };
      case 'alert-reached':
        return { message: `${haproxyMessage(finding)} (.alert stops HAProxy from loading this file)`, hint: 'guard the .alert with an .if that is false for this reader' };
      default:
        return { message: haproxyMessage(finding), hint: 'known directives: .if .elif .else .endif .notice .warning .alert .diag' };
    }
  },
);

const reportParserFindings = rule.check;
rule.check = (context) => {
  reportParserFindings(context);
  if (context.view !== 'haproxy') return;
  const zeroWarning = context.files.some((f) => f.sections.some((s) => s.keyword === 'global' && s.lines.some((l) => l.kind === 'statement' && l.keyword === 'zero-warning')));
  if (!zeroWarning) return;
  for (const file of context.files) {
    for (const line of file.lines) {
      if (line.kind === 'directive' && line.active && line.keyword === '.warning' && (line.args?.length ?? 0) <= 2) {
        context.report({
          file: file.file,
          span: line.words[0]!.span,
          message: "'.warning' with 'zero-warning' set: HAProxy aborts (Some warnings were found and 'zero-warning' is set).",
          hint: "use '.notice' for a message that must not stop HAProxy",
        });
      }
    }
  }
};
