// The Clock seam: the only way logic in impl/ learns the time.
// In sim mode it is the kernel's virtual time; in live mode the wall clock.

/** Milliseconds since the Unix epoch (virtual in sim). */
export type Millis = number;

export interface Clock {
  now(): Millis;
}
