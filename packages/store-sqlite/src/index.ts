export { openSqliteStore } from './store.js'
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_DEDUP_TTL_MS,
  DEFAULT_MAX_ATTEMPTS,
} from './store-options.js'
export type { SqliteStore, StoreSettings } from './store.js'
export type { SqliteStoreOptions } from './store-options.js'
export type { SqliteQueue } from './queue.js'
export type { SqliteDedupStore } from './dedup.js'
export type {
  DeliveryRecord,
  SentMessage,
  SqliteDeliveryStore,
  StatusUpdate,
  TimeInput,
} from './deliveries.js'
export { createStoreError, storeErrorCodes } from './errors.js'
export type { StoreErrorCode } from './errors.js'
export { SCHEMA_VERSION } from './schema.js'
