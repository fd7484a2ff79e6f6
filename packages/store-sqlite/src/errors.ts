import { ChatwireError, createErrorFactory } from '@chatwire/core'

/**
 * Every error code that @chatwire/store-sqlite raises. Codes that can end a webhook request
 * carry 503, so the platform delivers the event again later. docs/errors.md documents each one,
 * and a test fails when the two drift apart.
 */
export const storeErrorCodes = {
  CHATWIRE_ERR_STORE_INVALID_ARGUMENT: {},
  CHATWIRE_ERR_STORE_OPEN_FAILED: {},
  CHATWIRE_ERR_STORE_SCHEMA_TOO_NEW: {},
  CHATWIRE_ERR_STORE_MIGRATION_FAILED: {},
  CHATWIRE_ERR_STORE_BUSY: { statusCode: 503 },
  CHATWIRE_ERR_STORE_WRITE_FAILED: { statusCode: 503 },
  CHATWIRE_ERR_STORE_READ_FAILED: { statusCode: 503 },
  CHATWIRE_ERR_STORE_CLOSED: { statusCode: 503 },
  CHATWIRE_ERR_STORE_JOB_NOT_FOUND: {},
} as const

export type StoreErrorCode = keyof typeof storeErrorCodes

export const createStoreError = createErrorFactory(storeErrorCodes)

function isBusyCode(code: string): boolean {
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || /^SQLITE_(BUSY|LOCKED)_/.test(code)
}

function sqliteCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined
}

/**
 * Converts a failure of a store operation into a coded error: a ChatwireError passes through,
 * a lock held by another connection becomes CHATWIRE_ERR_STORE_BUSY, and anything else becomes
 * `fallback` with the SQLite result code in `details`.
 */
export function toStoreError(
  error: unknown,
  fallback: 'CHATWIRE_ERR_STORE_WRITE_FAILED' | 'CHATWIRE_ERR_STORE_READ_FAILED',
  path: string,
): ChatwireError {
  if (error instanceof ChatwireError) {
    return error
  }

  const sqliteCode = sqliteCodeOf(error)
  const reason = error instanceof Error ? error.message : String(error)

  if (sqliteCode !== undefined && isBusyCode(sqliteCode)) {
    return createStoreError(
      'CHATWIRE_ERR_STORE_BUSY',
      `SQLite store ${path} is locked by another connection (${reason}); retry later, or stop the other process writing to this file`,
      { cause: error, details: { path, sqliteCode } },
    )
  }

  const action = fallback === 'CHATWIRE_ERR_STORE_WRITE_FAILED' ? 'write to' : 'read from'
  return createStoreError(
    fallback,
    `Failed to ${action} SQLite store ${path}: ${reason}; check free disk space and file permissions`,
    { cause: error, details: { path, sqliteCode } },
  )
}
