import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TempStores } from './helpers.js'

const child = fileURLToPath(new URL('./fixtures/enqueue-child.mjs', import.meta.url))
const builtEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url))

let stores: TempStores

beforeEach(() => {
  stores = new TempStores()
})

afterEach(async () => {
  await stores.cleanup()
})

/** Runs the child until it has acknowledged `count` ids, kills it with SIGKILL and returns the ids. */
function runAndKill(path: string, synchronous: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const worker = spawn('node', [child, path, synchronous], { stdio: ['ignore', 'pipe', 'pipe'] })
    const acknowledged: string[] = []
    let buffered = ''
    let stderr = ''

    const timer = setTimeout(() => {
      worker.kill('SIGKILL')
      reject(new Error(`child acknowledged only ${acknowledged.length} ids in 20 s; stderr: ${stderr}`))
    }, 20_000)

    worker.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    worker.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('item-')) acknowledged.push(line)
      }
      if (acknowledged.length >= count && !worker.killed) {
        worker.kill('SIGKILL')
      }
    })
    worker.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL') {
        resolve(acknowledged)
      } else {
        reject(new Error(`child exited with code ${code}; stderr: ${stderr}`))
      }
    })
  })
}

describe('crash safety', () => {
  it.each(['full', 'normal'])(
    'should keep every acknowledged id after SIGKILL (synchronous=%s)',
    async (synchronous) => {
      // The child runs the built package, as a server process would.
      expect(
        existsSync(builtEntry),
        'build first: pnpm turbo run build --filter=@chatwire/store-sqlite',
      ).toBe(true)
      const path = stores.file()

      const acknowledged = await runAndKill(path, synchronous, 500)
      const store = stores.open({ path })
      const jobs = await store.queue.lease('inbound', { max: 100_000, leaseMs: 60_000 })
      const leasedIds = jobs.map((job) => job.id)
      const counts = new Map<string, number>()
      for (const id of leasedIds) counts.set(id, (counts.get(id) ?? 0) + 1)
      const raw = new Database(path, { readonly: true })
      const keysWithoutJob = raw
        .prepare('SELECT key FROM dedup_keys WHERE substr(key, 5) NOT IN (SELECT id FROM jobs)')
        .all()
      const jobsWithoutKey = raw
        .prepare("SELECT id FROM jobs WHERE 'key-' || id NOT IN (SELECT key FROM dedup_keys)")
        .all()
      raw.close()
      const redelivered = await store.queue.enqueue(
        'inbound',
        acknowledged.map((id) => ({ payload: { id }, dedupKey: `key-${id}` })),
      )

      expect(acknowledged.length).toBeGreaterThanOrEqual(500)
      expect(acknowledged.filter((id) => counts.get(id) !== 1)).toEqual([])
      expect(leasedIds.length).toBe(counts.size)
      expect(jobs.every((job) => (job.payload as { id: string }).id === job.id)).toBe(true)
      expect(keysWithoutJob).toEqual([])
      expect(jobsWithoutKey).toEqual([])
      expect(redelivered.enqueued).toEqual([])
      expect(redelivered.duplicates).toHaveLength(acknowledged.length)
    },
  )
})
