// Generated template labels are valid, and the selector built for them is valid and selects
// them, whatever mix of matchLabels and expressions the draft chose.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { labelSelectorAsSelector, selectorMatches, validateLabels, validateLabelSelector } from '../../impl/api/labels.js';
import { checkProperty } from '../../specs/support/property.js';
import { buildTemplateLabels, templateLabelsDraftArbitrary } from './labels.js';
import { objectNameArbitrary } from './names.js';

const FILE = 'harness/generators/labels.test.ts';

describe('generated labels and selectors', () => {
  it('are valid, non-empty, and the selector selects the template', () => {
    checkProperty(
      FILE,
      'selectors',
      fc.property(templateLabelsDraftArbitrary, objectNameArbitrary(), (draft, app) => {
        const { labels, selector } = buildTemplateLabels(draft, app);
        const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
        return (
          !empty &&
          validateLabels(labels, 'labels').length === 0 &&
          validateLabelSelector(selector, 'selector').length === 0 &&
          selectorMatches(labelSelectorAsSelector(selector), labels)
        );
      }),
      500,
    );
  });

  it('keep workloads apart: a selector never selects another app\'s template', () => {
    checkProperty(
      FILE,
      'apart',
      fc.property(templateLabelsDraftArbitrary, templateLabelsDraftArbitrary, objectNameArbitrary(), objectNameArbitrary(), (a, b, appA, appB) => {
        fc.pre(appA !== appB);
        const x = buildTemplateLabels(a, appA);
        const y = buildTemplateLabels(b, appB);
        return !selectorMatches(labelSelectorAsSelector(x.selector), y.labels);
      }),
      500,
    );
  });
});
