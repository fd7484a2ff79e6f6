// Store write cost of the intake alone. 50 concurrent writers enqueue events shaped like the
// WhatsApp intake's into the built @chatwire/store-sqlite: about 600 bytes of JSON, with a new
// dedupKey and a new group key each. The script prints wall and CPU time and bytes written per
// enqueue.
// Usage: node bench/ingest/store-cpu.mjs [--items 100000] [--synchronous full|normal] [--runs 3]
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const { openSqliteStore } = await import(join(root, 'packages/store-sqlite/dist/index.js'))

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    synchronous: { type: 'string', default: 'full' },
    runs: { type: 'string', default: '3' },
  },
})
const items = Number(values.items)
const writers = 50

function event(sequence, tag) {
  const messageId = `wamid.bench${tag}${sequence}`
  const from = `1555${String(sequence).padStart(7, '0')}`
  return {
    payload: {
      id: `whatsapp:${randomBytes(16).toString('hex')}`,
      kind: 'message.received',
      platform: 'whatsapp',
      channelAccountId: '100000000000001',
      conversationId: from,
      userId: from,
      platformMessageId: messageId,
      content: { type: 'text', text: 'hello from the bench' },
      occurredAt: '2027-01-15T08:00:00.000Z',
      raw: {
        from,
        id: messageId,
        timestamp: '1800000000',
        type: 'text',
        text: { body: 'hello from the bench' },
      },
    },
    dedupKey: `whatsapp:${tag}:${sequence}`,
    groupKey: `conversation:whatsapp:100000000000001:${from}`,
  }
}

// Bytes this process passed to write(2) so far: the pages written to the write-ahead log, plus
// those that checkpoints copy into the database file.
function writtenBytes() {
  const counter = readFileSync('/proc/self/io', 'utf8').match(/^wchar: (\d+)$/m)
  return counter ? Number(counter[1]) : Number.NaN
}

async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'chatwire-store-cpu-'))
  const store = openSqliteStore({ path: join(dir, 'store.db'), synchronous: values.synchronous })
  const tag = randomBytes(4).toString('hex')
  let started = 0
  const writer = async () => {
    while (started < items) {
      started += 1
      await store.queue.enqueue('inbound', [event(started, tag)])
    }
  }
  const ioStart = writtenBytes()
  const wallStart = performance.now()
  const cpuStart = process.cpuUsage()
  await Promise.all(Array.from({ length: writers }, writer))
  const wallMicros = (performance.now() - wallStart) * 1000
  const cpu = process.cpuUsage(cpuStart)
  const written = writtenBytes() - ioStart
  await store.close()
  rmSync(dir, { recursive: true, force: true })
  return {
    wall: wallMicros / items,
    user: cpu.user / items,
    system: cpu.system / items,
    written: written / items,
  }
}

process.stdout.write(
  `store-cpu: ${items} enqueues, ${writers} writers, synchronous=${values.synchronous}, load average ${loadavg()[0].toFixed(2)}\n`,
)
const results = []
for (let index = 0; index < Number(values.runs); index += 1) {
  const result = await run()
  results.push(result)
  process.stdout.write(
    `run ${index + 1}: wall ${result.wall.toFixed(1)} us, user ${result.user.toFixed(1)} us, system ${result.system.toFixed(1)} us, ${result.written.toFixed(0)} bytes written per enqueue\n`,
  )
}
const median = (key) =>
  results.map((result) => result[key]).sort((a, b) => a - b)[Math.floor(results.length / 2)]
process.stdout.write(
  `median: wall ${median('wall').toFixed(1)} us, user ${median('user').toFixed(1)} us, system ${median('system').toFixed(1)} us, ${median('written').toFixed(0)} bytes written per enqueue\n`,
)
