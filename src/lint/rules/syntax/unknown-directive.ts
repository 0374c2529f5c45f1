/**
 * A `.word` HAProxy does not know, `.alert` reached in an active block, a message directive with
 * several words, and `.warning` reached while `zero-warning` is set in `global` (HAProxy aborts).
 * HAProxy 3.1/3.2's master first reads only global and program sections and skips message
 * directives there: in a program section any `.notice`/`.warning`/`.alert`/`.diag`/`.word` goes
 * to the program parser, an unknown keyword (observed with 3.2.0).
 */
import { compareVersions, haproxyMessage } from '../../../syntax/index.js';
import type { RuleContext } from '../../types.js';
import { parserRule } from '../support.js';

const MESSAGE_DIRECTIVES = new Set(['.notice', '.warning', '.alert', '.diag']);

/** HAProxy 3.1/3.2 read a directive in a program section as an unknown program keyword. */
function discoveryRejects(context: RuleContext, section: string | undefined): boolean {
  const version = context.haproxyVersion;
  return context.view === 'haproxy' && section === 'program' && version !== undefined && compareVersions(version, '3.1') >= 0 && compareVersions(version, '3.3') < 0;
}

function discoveryWords(directive: string, version: string | undefined) {
  return {
    message: `unknown keyword '${directive}' in 'program' section (HAProxy ${version} reads directives inside a program section as program keywords)`,
    hint: 'move the directive above the first program section, or after a section of another kind',
  };
}

export const rule = parserRule(
  {
    id: 'syntax/unknown-directive',
    defaultSeverity: 'error',
    description: "A '.word' HAProxy does not know, or a message directive that stops HAProxy ('.alert', '.warning' with 'zero-warning').",
  },
  (finding, context) => {
    if ('section' in finding && 'directive' in finding && discoveryRejects(context, finding.section)) return discoveryWords(finding.directive, context.haproxyVersion);
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
  // A well-formed message directive gives no parser finding, but 3.1/3.2 still refuse it in a program section.
  for (const file of context.files) {
    for (const line of file.lines) {
      if (line.kind !== 'directive' || !line.active || !MESSAGE_DIRECTIVES.has(line.keyword!) || line.keyword === '.alert' || (line.args?.length ?? 0) > 2) continue;
      const section = line.sectionIndex !== undefined ? file.sections[line.sectionIndex]?.keyword : undefined;
      if (discoveryRejects(context, section)) context.report({ file: file.file, span: line.words[0]!.span, ...discoveryWords(line.keyword!, context.haproxyVersion) });
    }
  }
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
