// Labels and the selectors that pick them: a workload's template labels always carry the
// object's own `app` label (so no two generated workloads fight over pods), plus a few
// ordinary labels; its selector is built from a draft so that it always selects the
// template: matchLabels for some keys, In / NotIn / Exists expressions for others, and
// DoesNotExist / NotIn on keys the template does not have.

import fc from 'fast-check';
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';

export type Labels = Readonly<Record<string, string>>;

/** The label that names a workload's pods; its value is unique per object in a scenario. */
export const APP_LABEL = 'app';

const KEY_POOL = ['tier', 'track', 'env', 'release', 'version', 'team', 'app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/part-of', 'example.com/owner', 'kubeprop.dev/role'];
const VALUE_POOL = ['frontend', 'backend', 'canary', 'stable', 'v1', 'v2', 'prod', 'staging', 'blue', 'green', '1.0.3', 'Team_A', 'x'];
/** Keys no generated template sets, so DoesNotExist on them always holds. */
const ABSENT_POOL = ['legacy', 'deprecated', 'example.com/skip', 'kubeprop.dev/disabled'];

const NAME_START = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
const NAME_INNER = [...NAME_START, '-', '_', '.'];

/** The name part of a qualified name: [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63. */
const qualifiedNamePart: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NAME_START),
  fc
    .tuple(fc.constantFrom(...NAME_START), fc.array(fc.constantFrom(...NAME_INNER), { maxLength: 12 }), fc.constantFrom(...NAME_START))
    .map(([a, m, b]) => `${a}${m.join('')}${b}`),
);

/** A label key: mostly from the usual vocabulary, sometimes random, with or without a DNS prefix. */
export const labelKeyArbitrary: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 6, arbitrary: fc.constantFrom(...KEY_POOL) },
    { weight: 2, arbitrary: qualifiedNamePart },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('example.com', 'kubeprop.dev', 'a.b.c'), qualifiedNamePart).map(([p, n]) => `${p}/${n}`) },
  )
  .filter((k) => k !== APP_LABEL && k !== 'pod-template-hash' && !ABSENT_POOL.includes(k));

/** A label value: usual words, random legal values, and now and then the empty string (legal). */
export const labelValueArbitrary: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...VALUE_POOL) },
  { weight: 2, arbitrary: qualifiedNamePart },
  { weight: 1, arbitrary: fc.constant('') },
);

/** A few ordinary labels (never the `app` key). */
export function labelsArbitrary(options: { readonly maxKeys?: number } = {}): fc.Arbitrary<Labels> {
  return fc
    .uniqueArray(fc.tuple(labelKeyArbitrary, labelValueArbitrary), { maxLength: options.maxKeys ?? 3, selector: ([k]) => k })
    .map((pairs) => Object.fromEntries(pairs));
}

/** How the selector uses one template label. */
export type SelectorTerm =
  | { readonly how: 'omit' }
  | { readonly how: 'matchLabels' }
  | { readonly how: 'in'; readonly others: readonly string[] }
  | { readonly how: 'notin'; readonly others: readonly string[] }
  | { readonly how: 'exists' };

/** An expression on a key the template does not carry: it holds because the key is absent. */
export interface AbsentTerm {
  readonly key: string;
  readonly operator: 'DoesNotExist' | 'NotIn';
  readonly values: readonly string[];
}

/** A selector before the labels it selects are known: see buildSelector. */
export interface SelectorDraft {
  /** How the `app` label is selected (always: it is what keeps workloads apart). */
  readonly app: { readonly how: 'matchLabels' } | { readonly how: 'in'; readonly others: readonly string[] };
  /** One term per further template label, in sorted key order; missing terms omit the key. */
  readonly terms: readonly SelectorTerm[];
  readonly absent: readonly AbsentTerm[];
}

/** Template labels (besides `app`) and how the selector picks them. */
export interface TemplateLabelsDraft {
  readonly extra: Labels;
  readonly selector: SelectorDraft;
}

const othersArbitrary = fc.array(labelValueArbitrary, { minLength: 1, maxLength: 2 });

const termArbitrary: fc.Arbitrary<SelectorTerm> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<SelectorTerm>({ how: 'omit' }) },
  { weight: 3, arbitrary: fc.constant<SelectorTerm>({ how: 'matchLabels' }) },
  { weight: 2, arbitrary: othersArbitrary.map((others): SelectorTerm => ({ how: 'in', others })) },
  { weight: 1, arbitrary: othersArbitrary.map((others): SelectorTerm => ({ how: 'notin', others })) },
  { weight: 1, arbitrary: fc.constant<SelectorTerm>({ how: 'exists' }) },
);

const absentArbitrary: fc.Arbitrary<AbsentTerm> = fc.record({
  key: fc.constantFrom(...ABSENT_POOL),
  operator: fc.constantFrom<'DoesNotExist' | 'NotIn'>('DoesNotExist', 'NotIn'),
  values: othersArbitrary,
});

/**
 * Further values an `app In (...)` expression may list. They are never object names (those
 * are lower case, without '_'), so the expression cannot select another workload's pods.
 */
const FOREIGN_APPS = ['Legacy', 'OLD_APP', 'Web_V1', 'X'];

export const selectorDraftArbitrary: fc.Arbitrary<SelectorDraft> = fc.record({
  app: fc.oneof(
    { weight: 4, arbitrary: fc.constant({ how: 'matchLabels' as const }) },
    { weight: 1, arbitrary: fc.subarray(FOREIGN_APPS, { maxLength: 2 }).map((others) => ({ how: 'in' as const, others })) },
  ),
  terms: fc.array(termArbitrary, { maxLength: 3 }),
  absent: fc.array(absentArbitrary, { maxLength: 1 }),
});

export const templateLabelsDraftArbitrary: fc.Arbitrary<TemplateLabelsDraft> = fc.record({
  extra: labelsArbitrary(),
  selector: selectorDraftArbitrary,
});

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The selector a draft describes for these template labels; it always selects them. */
export function buildSelector(draft: SelectorDraft, app: string, extra: Labels): LabelSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (draft.app.how === 'matchLabels') matchLabels[APP_LABEL] = app;
  else matchExpressions.push({ key: APP_LABEL, operator: 'In', values: unique([app, ...draft.app.others]) });
  const keys = Object.keys(extra).sort();
  keys.forEach((key, i) => {
    const value = extra[key]!;
    const term = draft.terms[i] ?? { how: 'omit' };
    switch (term.how) {
      case 'omit':
        return;
      case 'matchLabels':
        matchLabels[key] = value;
        return;
      case 'in':
        matchExpressions.push({ key, operator: 'In', values: unique([value, ...term.others]) });
        return;
      case 'notin': {
        const others = unique(term.others.filter((o) => o !== value));
        matchExpressions.push(others.length > 0 ? { key, operator: 'NotIn', values: others } : { key, operator: 'Exists' });
        return;
      }
      case 'exists':
        matchExpressions.push({ key, operator: 'Exists' });
        return;
    }
  });
  for (const a of draft.absent) {
    if (a.key in extra || a.key === APP_LABEL) continue;
    matchExpressions.push(a.operator === 'DoesNotExist' ? { key: a.key, operator: 'DoesNotExist' } : { key: a.key, operator: 'NotIn', values: unique(a.values) });
  }
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  };
}

/** The template's labels and the workload's selector for an object whose app label is `app`. */
export function buildTemplateLabels(draft: TemplateLabelsDraft, app: string): { labels: Labels; selector: LabelSelector } {
  return { labels: { ...draft.extra, [APP_LABEL]: app }, selector: buildSelector(draft.selector, app, draft.extra) };
}
