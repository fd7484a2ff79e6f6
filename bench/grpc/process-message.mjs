// Measures ProcessMessage calls per second through McpEngineClient and through the raw
// ts-proto stub, against one reference engine process on loopback. Build first:
//   pnpm turbo run build --filter=@chatwire/reference-engine...
//   node bench/grpc/process-message.mjs [--calls 20000] [--concurrency 32] [--runs 3] [--blocks 10]
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { mcp } from '../../packages/grpc-clients/dist/generated.js'
import { McpEngineClient, PACKAGE_VERSION } from '../../packages/grpc-clients/dist/index.js'

const require = createRequire(new URL('../../packages/grpc-clients/package.json', import.meta.url))
const { credentials, Metadata } = require('@grpc/grpc-js')

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3000' },
    blocks: { type: 'string', default: '10' },
  },
})
const CALLS = Number(values.calls)
const CONCURRENCY = Number(values.concurrency)
const RUNS = Number(values.runs)
const WARMUP = Number(values.warmup)
const BLOCKS = Number(values.blocks)
const TIMEOUT_MS = 5_000

function request(sequence, variant) {
  return {
    tenantId: 'demo',
    conversationId: `bench-${sequence % 100}`,
    messageId: `${variant}-${sequence}`,
    userId: 'bench-user',
    channel: 'whatsapp',
    content: 'hello',
    contentType: 'text',
    processingHints: {},
    requestId: `${variant}-${sequence}`,
  }
}

/** Runs `count` calls with `CONCURRENCY` in flight and returns the elapsed seconds. */
async function timeCalls(count, call) {
  let next = 0
  const startedAt = process.hrtime.bigint()
  const worker = async () => {
    while (next < count) {
      await call(next++)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return Number(process.hrtime.bigint() - startedAt) / 1e9
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

async function startEngine() {
  const cli = fileURLToPath(new URL('../../apps/reference-engine/dist/cli.js', import.meta.url))
  const child = spawn(process.execPath, [cli, '--address', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const started = JSON.parse((await lines.next()).value)
  return { child, address: started.address }
}

const engine = await startEngine()
let sequence = 0

const client = new McpEngineClient({ target: engine.address, security: 'insecure' })
const stub = new mcp.McpEngineServiceClient(engine.address, credentials.createInsecure())
/** Builds by hand the metadata that McpEngineClient sends, for the raw stub. */
function clientMetadata(requestId) {
  const metadata = new Metadata()
  metadata.set('x-chatwire-client', `@chatwire/grpc-clients/${PACKAGE_VERSION}`)
  metadata.set('x-request-id', requestId)
  metadata.set('x-tenant-id', 'demo')
  return metadata
}

function rawCall(message, metadata) {
  return new Promise((resolve, reject) => {
    stub.processMessage(message, metadata, { deadline: Date.now() + TIMEOUT_MS }, (error, response) =>
      error ? reject(error) : resolve(response),
    )
  })
}

const variants = {
  client: (index) => client.processMessage(request(sequence + index, 'client'), { timeoutMs: TIMEOUT_MS }),
  raw: (index) => {
    const message = request(sequence + index, 'raw')
    return rawCall(message, clientMetadata(message.requestId))
  },
  'raw-bare': (index) => rawCall(request(sequence + index, 'bare'), new Metadata()),
}
const NAMES = Object.keys(variants)

try {
  await client.connect()
  for (const call of Object.values(variants)) {
    await timeCalls(WARMUP, call)
    sequence += WARMUP
  }

  // Each run interleaves the two variants in small blocks, so a burst of load from another
  // process on the machine slows both variants alike instead of one whole run.
  const results = Object.fromEntries(NAMES.map((name) => [name, []]))
  const blockSize = Math.max(1, Math.floor(CALLS / BLOCKS))
  for (let run = 0; run < RUNS; run++) {
    const seconds = Object.fromEntries(NAMES.map((name) => [name, 0]))
    for (let block = 0; block < BLOCKS; block++) {
      // Rotate the order, so no variant always runs first in a block.
      const order = NAMES.map((_, index) => NAMES[(index + block) % NAMES.length])
      for (const name of order) {
        seconds[name] += await timeCalls(blockSize, variants[name])
        sequence += blockSize
      }
    }
    for (const name of NAMES) {
      const rate = (blockSize * BLOCKS) / seconds[name]
      results[name].push(rate)
      console.log(`run ${run + 1} ${name.padEnd(8)} ${rate.toFixed(0)} calls/s`)
    }
  }

  const medians = Object.fromEntries(NAMES.map((name) => [name, median(results[name])]))
  console.log(`median McpEngineClient                  ${medians.client.toFixed(0)} calls/s`)
  console.log(`median raw stub, same metadata          ${medians.raw.toFixed(0)} calls/s`)
  console.log(`median raw stub, no metadata            ${medians['raw-bare'].toFixed(0)} calls/s`)
  console.log(
    `ratio client / raw with same metadata   ${(medians.client / medians.raw).toFixed(3)} (target >= 0.9)`,
  )
  console.log(`ratio client / raw without metadata     ${(medians.client / medians['raw-bare']).toFixed(3)}`)
  console.log(
    `calls ${blockSize * BLOCKS} per variant per run in ${BLOCKS} blocks, concurrency ${CONCURRENCY}, runs ${RUNS}, node ${process.version}, ${(await import('node:os')).cpus().length} CPUs`,
  )
} finally {
  await client.close()
  stub.close()
  engine.child.kill('SIGTERM')
  await once(engine.child, 'exit')
}
