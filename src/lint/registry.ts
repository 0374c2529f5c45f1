/** Every rule of hpm-lint. Adding a rule = adding its file under rules/<group>/ and one line here. */
import type { Rule } from './types.js';
import { rule as syntax_conditional } from './rules/syntax/conditional.js';
import { rule as syntax_invalidEnvVar } from './rules/syntax/invalid-env-var.js';
import { rule as syntax_invalidHexEscape } from './rules/syntax/invalid-hex-escape.js';
import { rule as syntax_invalidScope } from './rules/syntax/invalid-scope.js';
import { rule as syntax_keywordOutOfSection } from './rules/syntax/keyword-out-of-section.js';
import { rule as syntax_missingFinalNewline } from './rules/syntax/missing-final-newline.js';
import { rule as syntax_nulByte } from './rules/syntax/nul-byte.js';
import { rule as syntax_tooManyWords } from './rules/syntax/too-many-words.js';
import { rule as syntax_unknownDirective } from './rules/syntax/unknown-directive.js';
import { rule as syntax_unknownSection } from './rules/syntax/unknown-section.js';
import { rule as syntax_unmatchedQuote } from './rules/syntax/unmatched-quote.js';
import { rule as program_commandNotFound } from './rules/program/command-not-found.js';
import { rule as program_crashAfterError } from './rules/program/crash-after-error.js';
import { rule as program_deprecated } from './rules/program/deprecated.js';
import { rule as program_duplicateCommand } from './rules/program/duplicate-command.js';
import { rule as program_duplicateGroup } from './rules/program/duplicate-group.js';
import { rule as program_duplicateName } from './rules/program/duplicate-name.js';
import { rule as program_duplicateUser } from './rules/program/duplicate-user.js';
import { rule as program_emptyArgument } from './rules/program/empty-argument.js';
import { rule as program_environmentDependent } from './rules/program/environment-dependent.js';
import { rule as program_extraArgument } from './rules/program/extra-argument.js';
import { rule as program_invalidModifier } from './rules/program/invalid-modifier.js';
import { rule as program_missingCommand } from './rules/program/missing-command.js';
import { rule as program_missingName } from './rules/program/missing-name.js';
import { rule as program_removed } from './rules/program/removed.js';
import { rule as program_requiresMasterWorker } from './rules/program/requires-master-worker.js';
import { rule as program_shellSyntax } from './rules/program/shell-syntax.js';
import { rule as program_unknownGroup } from './rules/program/unknown-group.js';
import { rule as program_unknownKeyword } from './rules/program/unknown-keyword.js';
import { rule as program_unknownOption } from './rules/program/unknown-option.js';
import { rule as program_unknownUser } from './rules/program/unknown-user.js';
import { rule as program_userWithoutGroup } from './rules/program/user-without-group.js';
import { rule as hpm_afterCycle } from './rules/hpm/after-cycle.js';
import { rule as hpm_invalidExtension } from './rules/hpm/invalid-extension.js';
import { rule as hpm_invalidReadyAddress } from './rules/hpm/invalid-ready-address.js';
import { rule as hpm_timeWithoutUnit } from './rules/hpm/time-without-unit.js';
import { rule as hpm_unknownAfterProgram } from './rules/hpm/unknown-after-program.js';
import { rule as hpm_unknownSignal } from './rules/hpm/unknown-signal.js';
import { rule as hpm_unguardedExtension } from './rules/hpm/unguarded-extension.js';
import { rule as hpm_unusedSuppression } from './rules/hpm/unused-suppression.js';
import { rule as keyword_deprecated } from './rules/keyword/deprecated.js';
import { rule as keyword_extraArgument } from './rules/keyword/extra-argument.js';
import { rule as keyword_noPrefix } from './rules/keyword/no-prefix.js';
import { rule as keyword_removed } from './rules/keyword/removed.js';
import { rule as keyword_tooNew } from './rules/keyword/too-new.js';
import { rule as keyword_unknown } from './rules/keyword/unknown.js';

export const RULES: readonly Rule[] = [
  syntax_conditional,
  syntax_invalidEnvVar,
  syntax_invalidHexEscape,
  syntax_invalidScope,
  syntax_keywordOutOfSection,
  syntax_missingFinalNewline,
  syntax_nulByte,
  syntax_tooManyWords,
  syntax_unknownDirective,
  syntax_unknownSection,
  syntax_unmatchedQuote,
  program_commandNotFound,
  program_crashAfterError,
  program_deprecated,
  program_duplicateCommand,
  program_duplicateGroup,
  program_duplicateName,
  program_duplicateUser,
  program_emptyArgument,
  program_environmentDependent,
  program_extraArgument,
  program_invalidModifier,
  program_missingCommand,
  program_missingName,
  program_removed,
  program_requiresMasterWorker,
  program_shellSyntax,
  program_unknownGroup,
  program_unknownKeyword,
  program_unknownOption,
  program_unknownUser,
  program_userWithoutGroup,
  hpm_afterCycle,
  hpm_invalidExtension,
  hpm_invalidReadyAddress,
  hpm_timeWithoutUnit,
  hpm_unguardedExtension,
  hpm_unknownAfterProgram,
  hpm_unknownSignal,
  hpm_unusedSuppression,
  keyword_unknown,
  keyword_tooNew,
  keyword_removed,
  keyword_deprecated,
  keyword_noPrefix,
  keyword_extraArgument,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));
