/** A `user` name that the user database does not know (HAProxy refuses to start), or no name at all. */
import { defineRule } from '../support.js';
import { reportUnknown } from './account-checks.js';

export const rule = defineRule(
  { id: 'program/unknown-user', defaultSeverity: 'error', description: "A 'user' that is not in the user database, or 'user' without a name." },
  (context) => reportUnknown(context, 'user'),
);
