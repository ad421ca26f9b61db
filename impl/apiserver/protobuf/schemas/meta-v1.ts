// Schema tables for k8s.io/apimachinery/pkg/apis/meta/v1 messages that objects embed.
// Field numbers checked against the descriptors compiled into kubectl 1.32; presence follows the
// Go struct tags (omitempty, pointer) of the same release.

import { field, message } from '../message-schema.js';

export const LabelSelectorRequirement = message('k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement', {
  1: field.string('key', 'always'),
  2: field.string('operator', 'always'),
  3: field.repeated('values', 'string'),
});

export const LabelSelector = message('k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector', {
  1: field.map('matchLabels'),
  2: field.repeated('matchExpressions', LabelSelectorRequirement),
});

export const OwnerReference = message('k8s.io.apimachinery.pkg.apis.meta.v1.OwnerReference', {
  1: field.string('kind', 'always'),
  3: field.string('name', 'always'),
  4: field.string('uid', 'always'),
  5: field.string('apiVersion', 'always'),
  6: field.bool('controller', 'pointer'),
  7: field.bool('blockOwnerDeletion', 'pointer'),
});

// managedFields (17) is left out: clients do not send it and the server owns it.
export const ObjectMeta = message('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', {
  1: field.string('name'),
  2: field.string('generateName'),
  3: field.string('namespace'),
  4: field.string('selfLink'),
  5: field.string('uid'),
  6: field.string('resourceVersion'),
  7: field.int64('generation'),
  8: field.time('creationTimestamp'),
  9: field.time('deletionTimestamp', 'pointer'),
  10: field.int64('deletionGracePeriodSeconds', 'pointer'),
  11: field.map('labels'),
  12: field.map('annotations'),
  13: field.repeated('ownerReferences', OwnerReference),
  14: field.repeated('finalizers', 'string'),
});

/** metav1.Condition, as used in Service status. */
export const Condition = message('k8s.io.apimachinery.pkg.apis.meta.v1.Condition', {
  1: field.string('type', 'always'),
  2: field.string('status', 'always'),
  3: field.int64('observedGeneration'),
  4: field.time('lastTransitionTime'),
  5: field.string('reason', 'always'),
  6: field.string('message', 'always'),
});
