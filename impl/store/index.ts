// The store's public face: the contract, and its backends.
export * from './store.js';
export { EmbeddedStore, DEFAULT_MIN_LEASE_TTL_SECONDS, type EmbeddedStoreOptions } from './embedded-store.js';
export { EtcdStore, type EtcdStoreOptions } from './etcd-store.js';
