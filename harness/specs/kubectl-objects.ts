// The objects and patches kubectl itself would send for the spec's kubectl-like steps, for
// targets that speak to the API directly (sim): `kubectl create deployment`'s Deployment,
// `apply`'s last-applied annotation, `set image`'s patch. Keeping them here makes the sim
// target send what the real kubectl sends to the local one.

type Json = Record<string, unknown>;

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** kubectl's container name for an image: the last path element without tag or digest. */
export function containerNameForImage(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  const base = colon >= 0 ? last.slice(0, colon) : last;
  return base.toLowerCase().replace(/[^a-z0-9-]/g, '-') || 'container';
}

/** `kubectl create deployment NAME --image=IMAGE --replicas=N [-- COMMAND...]`. */
export function createDeploymentObject(namespace: string, name: string, image: string, replicas: number, command?: readonly string[]): Json {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      strategy: {},
      template: {
        metadata: { labels },
        spec: { containers: [{ name: containerNameForImage(image), image, resources: {}, ...(command ? { command: [...command] } : {}) }] },
      },
    },
  };
}

/** A manifest as `kubectl apply` creates it: with the last-applied-configuration annotation. */
export function withLastApplied(manifest: Json, namespace: string): Json {
  const meta = (manifest.metadata ?? {}) as Json;
  const annotations = (meta.annotations ?? {}) as Record<string, string>;
  const applied = { ...manifest, metadata: { ...meta, namespace } };
  return { ...applied, metadata: { ...meta, namespace, annotations: { ...annotations, [LAST_APPLIED]: JSON.stringify(applied) } } };
}

/** The strategic-merge patch of `kubectl set image deployment/D CONTAINER=IMAGE` (all containers for "*"). */
export function setImagePatch(containers: readonly string[], image: string): Json {
  return { spec: { template: { spec: { containers: containers.map((name) => ({ name, image })) } } } };
}
