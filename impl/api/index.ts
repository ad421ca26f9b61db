// The public face of impl/api: API-machinery primitives shared by the reference API server,
// the scheduler, the controllers and the generators. A flat list; add a line per module.

export * from './duration.js';
export * from './field-selector.js';
export * from './labels.js';
export * from './meta-time.js';
export * from './names.js';
export * from './quantity.js';
export * from './tolerations.js';
