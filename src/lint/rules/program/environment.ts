/**
 * Environment references in a program section's words, for the rules that must not judge a
 * variable the lint run cannot see (no host checks and no `--env`): HAProxy expands `"$NAME"`
 * from the environment it runs with, which is not this machine's.
 */
import type { Word } from '../../../syntax/index.js';
import type { RuleContext } from '../../types.js';

export interface EnvReference {
  name: string;
  /** `${NAME-default}`: the default decides when the variable is unset. */
  hasDefault: boolean;
}

/** `$NAME`, `${NAME}`, `${NAME[*]}`, `${NAME-default}` inside double quotes (`\$` is a literal dollar). */
const REFERENCE = /\\.|\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:\[\*\])?(-)?|([A-Za-z_][A-Za-z0-9_]*))/g;

export function envReferences(word: Word): EnvReference[] {
  const out: EnvReference[] = [];
  for (const fragment of word.fragments) {
    if (fragment.kind !== 'double-quoted' && fragment.kind !== 'unclosed-double-quoted') continue;
    for (const m of fragment.raw.matchAll(REFERENCE)) {
      const name = m[1] ?? m[3];
      if (name) out.push({ name, hasDefault: m[2] === '-' });
    }
  }
  return out;
}

const setInGlobalByModel = new WeakMap<object, Set<string>>();

/** Names `global` sets with setenv/presetenv: known whatever the environment (computed once per model). */
function namesSetInGlobal(context: RuleContext): Set<string> {
  let names = setInGlobalByModel.get(context.model);
  if (!names) {
    names = new Set(context.model.global.envLines.filter((u) => u.line.keyword === 'setenv' || u.line.keyword === 'presetenv').map((u) => u.args[0]!));
    setInGlobalByModel.set(context.model, names);
  }
  return names;
}

/** The references of a word whose value this run cannot know (empty when the environment is known). */
export function unknownReferences(context: RuleContext, word: Word): EnvReference[] {
  if (context.environmentKnown) return [];
  const set = namesSetInGlobal(context);
  return envReferences(word).filter((r) => isUnknown(context, r.name, set));
}

/** HPM_RUN is what tells the two readers apart: each reader knows it. */
function isUnknown(context: RuleContext, name: string, setInGlobal: Set<string>): boolean {
  return name !== 'HPM_RUN' && context.env[name] === undefined && !setInGlobal.has(name);
}

/** `defined(NAME)` in a condition's words, and `"$NAME"` there, that this run cannot know. */
export function unknownConditionNames(context: RuleContext, words: readonly Word[]): string[] {
  if (context.environmentKnown) return [];
  const set = namesSetInGlobal(context);
  const names = new Set<string>();
  for (const word of words) {
    for (const m of word.raw.matchAll(/defined\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/g)) names.add(m[1]!);
    for (const r of envReferences(word)) names.add(r.name);
  }
  return [...names].filter((name) => isUnknown(context, name, set));
}
