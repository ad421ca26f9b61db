// Everything one request's handling needs: who asked, what they asked for, the served
// resource, the server's Env-backed services, and the store revisions the request wrote
// (collected for its audit record).

import type { Clock } from '../env/clock.js';
import type { Random } from '../env/random.js';
import type { UserInfo } from './authn.js';
import type { ApiRequest } from '../env/http.js';
import type { ObjectStore } from './object-store.js';
import type { ResourceRequestInfo } from './request-info.js';
import type { ResourceType } from './resource-type.js';
import type { Timers } from '../env/timers.js';
import type { ApiServerMutants } from './mutants.js';

export interface ServerServices {
  readonly objects: ObjectStore;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  /** The namespaces resource, to check that a namespace accepts new content. */
  readonly namespaces: ResourceType;
  /** Fills a name from metadata.generateName (base + 5 random characters). */
  generateName(base: string, random: Random): string;
  /** Bug switches (mutation testing); empty in the reference. */
  readonly mutants: ApiServerMutants;
}

export interface RequestContext {
  readonly req: ApiRequest;
  readonly info: ResourceRequestInfo;
  readonly user: UserInfo;
  readonly type: ResourceType;
  readonly services: ServerServices;
  /** Store revisions written on behalf of this request. */
  readonly written: number[];
  /** Warning headers to return (fieldValidation=Warn). */
  readonly warnings: string[];
}

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
export function timestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A random RFC 4122 version-4 UUID drawn from the Env's Random. */
export function uuid(random: Random): string {
  const hex = (n: number) => random.uint32().toString(16).padStart(8, '0').slice(0, n);
  const variant = ((random.uint32() & 0x3) | 0x8).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(8)}${hex(4)}`;
}
