export {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_DEDUP_TTL_MS,
  DEFAULT_MAX_ATTEMPTS,
  openSqliteStore,
} from './store.js'
export type { SqliteStore, SqliteStoreOptions, StoreSettings } from './store.js'
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
