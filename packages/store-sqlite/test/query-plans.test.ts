import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { QUEUE_SQL } from '../src/queue-statements.js'
import { TempStores } from './helpers.js'

let stores: TempStores
let db: Database.Database

beforeEach(async () => {
  stores = new TempStores()
  await stores.open().close()
  db = new Database(stores.file())
})

afterEach(async () => {
  db.close()
  await stores.cleanup()
})

// Binds 0 to every parameter: the plan does not depend on the values.
function plan(sql: string): string {
  const named = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((match) => [match[1], 0]))
  const positional = [...sql.matchAll(/\?/g)].map(() => 0)
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`)
  const rows = (Object.keys(named).length > 0 ? statement.all(named) : statement.all(...positional)) as {
    detail: string
  }[]
  return rows.map((row) => row.detail).join('\n')
}

describe('queue query plans', () => {
  it('should lease with a range scan of the availability index', () => {
    expect(plan(QUEUE_SQL.selectAvailable)).toBe(
      'SEARCH jobs USING INDEX jobs_by_availability (queue=? AND blocked=? AND available_at<?)',
    )
  })

  it('should look up a group with the partial group index when enqueueing', () => {
    expect(plan(QUEUE_SQL.insertJob)).toContain(
      'SEARCH jobs USING COVERING INDEX jobs_by_group (queue=? AND group_key=?)',
    )
  })

  it('should scan no table in any queue statement', () => {
    for (const [name, sql] of Object.entries(QUEUE_SQL)) {
      expect({ name, plan: plan(sql) }).not.toMatchObject({
        plan: expect.stringMatching(/^SCAN (jobs|dedup_keys)\b/m),
      })
    }
  })
})
