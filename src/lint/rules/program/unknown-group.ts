/** A `group` name that the group database does not know (HAProxy refuses to start), or no name at all. */
import { defineRule } from '../support.js';
import { reportUnknown } from './account-checks.js';

export const rule = defineRule(
  { id: 'program/unknown-group', defaultSeverity: 'error', description: "A 'group' that is not in the group database, or 'group' without a name." },
  (context) => reportUnknown(context, 'group'),
);
