import type Database from 'better-sqlite3'
import { createStoreError, toStoreError } from './errors.js'

/**
 * Marks a file as a Chatwire store (PRAGMA application_id), so opening an unrelated SQLite file
 * fails with a clear error instead of writing tables into it. The value spells "CHWR" in ASCII.
 */
export const APPLICATION_ID = 0x43485752

/**
 * Schema migrations, applied in order. Entry `i` moves the file from `user_version` i to i + 1.
 * Append new entries and never edit a released one: files in the field are at every version.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    group_key TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at INTEGER NOT NULL,
    lease_expires_at INTEGER,
    available_at INTEGER NOT NULL,
    blocked INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX jobs_by_availability ON jobs (queue, blocked, available_at, seq);
  CREATE INDEX jobs_by_group ON jobs (queue, group_key, seq) WHERE group_key IS NOT NULL;

  CREATE TABLE dead_letters (
    id TEXT PRIMARY KEY,
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    group_key TEXT,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    last_error TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    failed_at INTEGER NOT NULL
  );
  CREATE INDEX dead_letters_by_queue ON dead_letters (queue, failed_at);

  CREATE TABLE dedup_keys (
    key TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX dedup_keys_by_expiry ON dedup_keys (expires_at);

  CREATE TABLE deliveries (
    platform TEXT NOT NULL,
    platform_message_id TEXT NOT NULL,
    outbound_id TEXT,
    channel_account_id TEXT,
    recipient_id TEXT,
    tenant_id TEXT,
    status TEXT NOT NULL,
    status_rank INTEGER NOT NULL,
    sent_at INTEGER,
    updated_at INTEGER NOT NULL,
    errors TEXT,
    PRIMARY KEY (platform, platform_message_id)
  );
  CREATE INDEX deliveries_by_message_id ON deliveries (platform_message_id);
  CREATE INDEX deliveries_by_outbound_id ON deliveries (outbound_id, sent_at) WHERE outbound_id IS NOT NULL;
  CREATE INDEX deliveries_orphans ON deliveries (updated_at) WHERE outbound_id IS NULL;

  CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
]

/** The schema version this build writes; `PRAGMA user_version` of an up-to-date file. */
export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Checks the file's application id and schema version, then applies the missing migrations in
 * one transaction, so a crash mid-migration leaves the file at its previous version.
 */
export function migrate(db: Database.Database, path: string): { from: number; to: number } {
  const applicationId = db.pragma('application_id', { simple: true }) as number
  const from = db.pragma('user_version', { simple: true }) as number

  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw createStoreError(
      'CHATWIRE_ERR_STORE_OPEN_FAILED',
      `File ${path} is a SQLite database of another application (application_id ${applicationId}); point the store at a new file`,
      { details: { path, applicationId } },
    )
  }
  if (from > SCHEMA_VERSION) {
    throw createStoreError(
      'CHATWIRE_ERR_STORE_SCHEMA_TOO_NEW',
      `SQLite store ${path} has schema version ${from}, newer than version ${SCHEMA_VERSION} that this @chatwire/store-sqlite supports; upgrade Chatwire or use a copy made before the upgrade`,
      { details: { path, fileVersion: from, supportedVersion: SCHEMA_VERSION } },
    )
  }
  if (from === SCHEMA_VERSION) {
    return { from, to: from }
  }

  const apply = db.transaction(() => {
    for (let version = from; version < SCHEMA_VERSION; version++) {
      db.exec(MIGRATIONS[version]!)
    }
    db.pragma(`application_id = ${APPLICATION_ID}`)
    db.pragma(`user_version = ${SCHEMA_VERSION}`)
  })

  try {
    apply.immediate()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) {
      throw toStoreError(error, 'CHATWIRE_ERR_STORE_WRITE_FAILED', path)
    }
    throw createStoreError(
      'CHATWIRE_ERR_STORE_MIGRATION_FAILED',
      `Failed to migrate SQLite store ${path} from schema version ${from} to ${SCHEMA_VERSION}: ${(error as Error).message}. The file is unchanged. Fix the cause and open the store again.`,
      { cause: error, details: { path, fromVersion: from, toVersion: SCHEMA_VERSION } },
    )
  }

  return { from, to: SCHEMA_VERSION }
}
