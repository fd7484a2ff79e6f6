// Enqueue throughput of @chatwire/store-sqlite with group commit on and off.
//
// Each run opens a fresh store file and starts `connections` concurrent writers. Each writer
// enqueues one item, waits for its commit and enqueues the next, like webhook requests that are
// acknowledged after the commit. A run stops after `items` enqueues in total.
//
// Usage: node bench/store/enqueue.mjs [--items 20000] [--connections 50] [--runs 3]
//        [--synchronous full|normal] [--dir PATH]
// Build first: pnpm turbo run build --filter=@chatwire/store-sqlite...
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openSqliteStore } from '../../packages/store-sqlite/dist/index.js'

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '50' },
    runs: { type: 'string', default: '3' },
    synchronous: { type: 'string', default: 'full' },
    dir: { type: 'string', default: tmpdir() },
  },
})
const items = Number(values.items)
const connections = Number(values.connections)
const runs = Number(values.runs)
const synchronous = values.synchronous

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]
}

function median(numbers) {
  return [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]
}

async function runOnce(groupCommit, total) {
  const dir = mkdtempSync(join(values.dir, 'chatwire-bench-'))
  const store = openSqliteStore({ path: join(dir, 'bench.db'), synchronous, groupCommit })
  const latencies = []
  let started = 0

  async function writer() {
    while (started < total) {
      const index = started++
      const begin = process.hrtime.bigint()
      await store.queue.enqueue('inbound', [
        {
          payload: { index, text: 'hello from the benchmark' },
          dedupKey: `bench-${index}`,
          groupKey: `c-${index % 500}`,
        },
      ])
      latencies.push(Number(process.hrtime.bigint() - begin) / 1e6)
    }
  }

  const begin = process.hrtime.bigint()
  await Promise.all(Array.from({ length: connections }, writer))
  const seconds = Number(process.hrtime.bigint() - begin) / 1e9

  const depth = await store.queue.depth('inbound')
  await store.close()
  rmSync(dir, { recursive: true, force: true })
  if (depth !== total) {
    throw new Error(`expected ${total} jobs in the queue, found ${depth}`)
  }

  latencies.sort((a, b) => a - b)
  return { perSecond: total / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) }
}

async function measure(label, groupCommit, total) {
  const results = []
  for (let run = 1; run <= runs; run++) {
    const result = await runOnce(groupCommit, total)
    results.push(result)
    console.log(
      `${label} run ${run}: ${result.perSecond.toFixed(0)} enqueues/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`,
    )
  }
  return {
    perSecond: median(results.map((result) => result.perSecond)),
    p50: median(results.map((result) => result.p50)),
    p99: median(results.map((result) => result.p99)),
  }
}

console.log(
  `${cpus().length} x ${cpus()[0]?.model}, load average ${loadavg()[0].toFixed(2)} at start, node ${process.version}, synchronous=${synchronous}, ${connections} concurrent writers, ${items} enqueues per run, ${runs} runs, dir ${values.dir}`,
)
const grouped = await measure('group commit', true, items)
// One transaction per item is far slower, so it gets a fifth of the items to keep runs short.
const single = await measure('one transaction per item', false, Math.max(connections, Math.floor(items / 5)))

console.log('\nmedians')
console.log(`| mode | enqueues/s | p50 ms | p99 ms |`)
console.log(`| --- | ---: | ---: | ---: |`)
console.log(
  `| group commit | ${grouped.perSecond.toFixed(0)} | ${grouped.p50.toFixed(2)} | ${grouped.p99.toFixed(2)} |`,
)
console.log(
  `| one transaction per item | ${single.perSecond.toFixed(0)} | ${single.p50.toFixed(2)} | ${single.p99.toFixed(2)} |`,
)
console.log(`ratio (group / single): ${(grouped.perSecond / single.perSecond).toFixed(1)}x`)
