/**
 * A `# hpm-lint disable...` comment that suppressed nothing. The engine reports it after applying
 * suppressions (src/lint/suppressions.ts); this file holds the rule's metadata.
 */
import { defineRule } from '../support.js';

export const rule = defineRule(
  { id: 'hpm/unused-suppression', defaultSeverity: 'warning', description: 'A suppression comment that suppresses nothing, or names no known rule.', versions: { from: '2.0' } },
  () => {},
);
