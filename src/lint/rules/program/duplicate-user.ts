/** A second `user` line: HAProxy keeps the first one and only says "Continuing." */
import { defineRule } from '../support.js';
import { reportRepeats } from './account-checks.js';

export const rule = defineRule(
  { id: 'program/duplicate-user', defaultSeverity: 'warning', description: "A second 'user' in a section: HAProxy keeps the first." },
  (context) => reportRepeats(context, 'user'),
);
