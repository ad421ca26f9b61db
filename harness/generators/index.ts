// The generators' public face: fast-check arbitraries of names, labels, resources,
// containers, Pods, ReplicaSets, Deployments, cluster shapes, invalid manifests, operation
// sequences and whole scenarios, each composed from the smaller ones (STYLE.md #4).

export { identityArbitrary, objectNameArbitrary, dnsLabelArbitrary, type ObjectIdentity } from './names.js';
export { labelsArbitrary, templateLabelsDraftArbitrary, buildTemplateLabels, APP_LABEL } from './labels.js';
export { resourcesDraftArbitrary, buildResources } from './resources.js';
export { imageArbitrary, behaviourArbitrary, containerDraftArbitrary, buildContainer, restartPolicyArbitrary, PRESENT_IMAGES, MISSING_IMAGES, type Behaviour } from './containers.js';
export { placementDraftArbitrary } from './placement.js';
export { podArbitrary, podDraftArbitrary, buildPod, type BuildContext } from './pods.js';
export { replicaSetArbitrary, buildReplicaSet } from './replicasets.js';
export { deploymentArbitrary, deploymentDraftArbitrary, buildDeployment } from './deployments.js';
export { clusterShapeArbitrary, NODE_LABEL_POOL, TAINT_POOL } from './nodes.js';
export { invalidManifestArbitrary, type InvalidManifest } from './invalid.js';
export { operationsArbitrary, intentArbitrary, resolveIntents, type Intent } from './operations.js';
export { scenarioArbitrary, DEFAULT_SCENARIO_OPTIONS, type ScenarioOptions } from './scenario.js';
