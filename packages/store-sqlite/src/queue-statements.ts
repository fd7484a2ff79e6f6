import type Database from 'better-sqlite3'

/** A row of the `jobs` table, as the queue reads it. */
export interface JobRow {
  id: string
  queue: string
  payload: string
  group_key: string | null
  attempts: number
  max_attempts: number
  run_at: number
  lease_expires_at: number | null
  last_error: string | null
  created_at: number
}

/** A row of the `dead_letters` table, as `listDeadLetters` reads it. */
export interface DeadLetterRow {
  id: string
  queue: string
  payload: string
  attempts: number
  last_error: string
  failed_at: number
}

const JOB_COLUMNS =
  'id, queue, payload, group_key, attempts, max_attempts, run_at, lease_expires_at, last_error, created_at'

/**
 * SQL of the queue's statements, prepared once per connection.
 *
 * Two columns keep `lease` an index range scan however long the backlog is. `blocked` is 1 for
 * every job of a group except its oldest, and `available_at` is the time the job can next be
 * leased: its run time, its retry time, or the end of its current lease.
 */
export const QUEUE_SQL = {
  // Records the key unless a live copy exists; returns a row only when the key was recorded, so
  // one statement both checks and claims it. An expired copy is taken over.
  claimDedupKey: `INSERT INTO dedup_keys (key, expires_at) VALUES (@key, @expires_at)
     ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE dedup_keys.expires_at <= @now
     RETURNING 1 AS claimed`,
  jobExists: 'SELECT 1 FROM jobs WHERE id = ?',
  // A job is blocked when its group already has a job. The partial index `jobs_by_group` serves
  // the EXISTS lookup.
  insertJob: `INSERT INTO jobs (id, queue, payload, group_key, max_attempts, run_at, available_at, blocked, created_at)
     VALUES (@id, @queue, @payload, @group_key, @max_attempts, @run_at, @run_at,
       EXISTS (SELECT 1 FROM jobs WHERE queue = @queue AND group_key = @group_key), @created_at)
     ON CONFLICT (id) DO NOTHING`,
  selectAvailable: `SELECT ${JOB_COLUMNS} FROM jobs
     WHERE queue = @queue AND blocked = 0 AND available_at <= @now
     ORDER BY available_at, seq
     LIMIT @max`,
  markLeased:
    'UPDATE jobs SET attempts = attempts + 1, lease_expires_at = @expires_at, available_at = @expires_at WHERE id = @id',
  markRetry: `UPDATE jobs
     SET run_at = @run_at, available_at = @run_at, last_error = @error, lease_expires_at = NULL,
       attempts = MAX(attempts - @refund, 0)
     WHERE id = @id`,
  selectJob: `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`,
  deleteJob: 'DELETE FROM jobs WHERE id = ? RETURNING queue, group_key',
  unblockGroupHead: `UPDATE jobs SET blocked = 0
     WHERE blocked = 1 AND seq = (SELECT MIN(seq) FROM jobs WHERE queue = ? AND group_key = ?)`,
  insertDeadLetter: `INSERT INTO dead_letters (id, queue, payload, group_key, attempts, max_attempts, last_error, created_at, failed_at)
     VALUES (@id, @queue, @payload, @group_key, @attempts, @max_attempts, @last_error, @created_at, @failed_at)
     ON CONFLICT (id) DO UPDATE SET
       queue = excluded.queue, payload = excluded.payload, group_key = excluded.group_key,
       attempts = excluded.attempts, max_attempts = excluded.max_attempts, last_error = excluded.last_error,
       created_at = excluded.created_at, failed_at = excluded.failed_at`,
  listDeadLetters:
    'SELECT id, queue, payload, attempts, last_error, failed_at FROM dead_letters ORDER BY failed_at, id LIMIT ?',
  listDeadLettersOfQueue:
    'SELECT id, queue, payload, attempts, last_error, failed_at FROM dead_letters WHERE queue = ? ORDER BY failed_at, id LIMIT ?',
  selectDeadLetter: `SELECT id, queue, payload, group_key, max_attempts, created_at FROM dead_letters
     WHERE id = @id AND (@queue IS NULL OR queue = @queue)`,
  selectDeadLetterIds:
    'SELECT id FROM dead_letters WHERE (@queue IS NULL OR queue = @queue) ORDER BY failed_at, id',
  deleteDeadLetter: 'DELETE FROM dead_letters WHERE id = ?',
  countJobs: 'SELECT COUNT(*) AS count FROM jobs WHERE queue = ?',
} as const

export type QueueStatements = { [Name in keyof typeof QUEUE_SQL]: Database.Statement }

export function prepareQueueStatements(db: Database.Database): QueueStatements {
  const statements: Partial<Record<keyof typeof QUEUE_SQL, Database.Statement>> = {}
  for (const name of Object.keys(QUEUE_SQL) as (keyof typeof QUEUE_SQL)[]) {
    statements[name] = db.prepare(QUEUE_SQL[name])
  }
  return statements as QueueStatements
}
