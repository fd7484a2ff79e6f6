// Measures ProcessMessage calls per second through McpEngineClient and through the raw
// ts-proto stub, against one reference engine process on loopback, and the CPU time each call
// costs the calling process and the engine. Build first:
//   pnpm turbo run build --filter=@chatwire/reference-engine...
//   node bench/grpc/process-message.mjs [--calls 20000] [--concurrency 32] [--runs 3] [--blocks 10]
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { mcp } from '../../packages/grpc-clients/dist/generated.js'
import { McpEngineClient } from '../../packages/grpc-clients/dist/index.js'

const require = createRequire(new URL('../../packages/grpc-clients/package.json', import.meta.url))
const { credentials, Metadata } = require('@grpc/grpc-js')

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3000' },
    blocks: { type: 'string', default: '10' },
    variants: { type: 'string', default: 'client,raw,raw-bare' },
    'engine-cpu-prof-dir': { type: 'string' },
  },
})
const CALLS = Number(values.calls)
const CONCURRENCY = Number(values.concurrency)
const RUNS = Number(values.runs)
const WARMUP = Number(values.warmup)
const BLOCKS = Number(values.blocks)
const TIMEOUT_MS = 5_000

/** Clock ticks per second of the times in /proc/PID/stat (USER_HZ, which `getconf CLK_TCK` prints). */
const CLOCK_TICKS_PER_SECOND = 100

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

/** Reads the user plus system CPU time of a process from /proc, in microseconds. */
function processCpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name in field 2 may hold spaces, so count fields after its closing bracket.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks * 1e6) / CLOCK_TICKS_PER_SECOND
}

function callerCpuMicros() {
  const { user, system } = process.cpuUsage()
  return user + system
}

/**
 * Runs `count` calls with `CONCURRENCY` in flight. Returns the elapsed seconds and the CPU time,
 * in microseconds, that the calling process and the engine process spent meanwhile.
 */
async function timeCalls(count, call, enginePid) {
  let next = 0
  const engineBefore = processCpuMicros(enginePid)
  const callerBefore = callerCpuMicros()
  const startedAt = process.hrtime.bigint()
  const worker = async () => {
    while (next < count) {
      await call(next++)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return {
    seconds: Number(process.hrtime.bigint() - startedAt) / 1e9,
    callerMicros: callerCpuMicros() - callerBefore,
    engineMicros: processCpuMicros(enginePid) - engineBefore,
  }
}

function median(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

async function startEngine() {
  const cli = fileURLToPath(new URL('../../apps/reference-engine/dist/cli.js', import.meta.url))
  const profileDir = values['engine-cpu-prof-dir']
  const flags = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]
  const child = spawn(process.execPath, [...flags, cli, '--address', '127.0.0.1:0'], {
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
const LABELS = {
  client: 'McpEngineClient',
  raw: 'raw stub, same metadata',
  'raw-bare': 'raw stub, no metadata',
}

const NAMES = values.variants.split(',')
for (const name of NAMES) {
  if (variants[name] === undefined) {
    throw new TypeError(`Unknown variant ${name}. Expected one or more of ${Object.keys(variants).join(',')}.`)
  }
}

function printSummary(results) {
  const medians = {}
  console.log('\nmedian of the runs            calls/s  caller CPU µs/call  engine CPU µs/call')
  for (const name of NAMES) {
    const rate = median(results[name].map((result) => result.rate))
    const caller = median(results[name].map((result) => result.callerMicros))
    const engine = median(results[name].map((result) => result.engineMicros))
    medians[name] = rate
    console.log(
      `${LABELS[name].padEnd(28)} ${rate.toFixed(0).padStart(8)} ${caller.toFixed(1).padStart(19)} ${engine.toFixed(1).padStart(19)}`,
    )
  }

  console.log('')
  if (medians.client !== undefined && medians['raw-bare'] !== undefined) {
    const ratio = medians.client / medians['raw-bare']
    console.log(`ratio client / bare stub (no metadata)    ${ratio.toFixed(3)}  (target >= 0.9)`)
  }
  if (medians.client !== undefined && medians.raw !== undefined) {
    const ratio = medians.client / medians.raw
    console.log(`ratio client / stub with the same metadata ${ratio.toFixed(3)}`)
  }
}

try {
  await client.connect()
  for (const name of NAMES) {
    await timeCalls(WARMUP, variants[name], engine.child.pid)
    sequence += WARMUP
  }

  // Each run interleaves the variants in small blocks, so a burst of load from another process
  // on the machine slows every variant alike instead of one whole run.
  const results = Object.fromEntries(NAMES.map((name) => [name, []]))
  const blockSize = Math.max(1, Math.floor(CALLS / BLOCKS))
  const callsPerRun = blockSize * BLOCKS
  for (let run = 0; run < RUNS; run++) {
    const totals = Object.fromEntries(
      NAMES.map((name) => [name, { seconds: 0, callerMicros: 0, engineMicros: 0 }]),
    )
    for (let block = 0; block < BLOCKS; block++) {
      // Rotate the order, so no variant always runs first in a block.
      const order = NAMES.map((_, index) => NAMES[(index + block) % NAMES.length])
      for (const name of order) {
        const measured = await timeCalls(blockSize, variants[name], engine.child.pid)
        totals[name].seconds += measured.seconds
        totals[name].callerMicros += measured.callerMicros
        totals[name].engineMicros += measured.engineMicros
        sequence += blockSize
      }
    }

    for (const name of NAMES) {
      const result = {
        rate: callsPerRun / totals[name].seconds,
        callerMicros: totals[name].callerMicros / callsPerRun,
        engineMicros: totals[name].engineMicros / callsPerRun,
      }
      results[name].push(result)
      console.log(
        `run ${run + 1} ${name.padEnd(8)} ${result.rate.toFixed(0)} calls/s,` +
          ` CPU per call: caller ${result.callerMicros.toFixed(1)} µs, engine ${result.engineMicros.toFixed(1)} µs`,
      )
    }
  }

  printSummary(results)
  console.log(
    `\ncalls ${callsPerRun} per variant per run in ${BLOCKS} blocks, concurrency ${CONCURRENCY},` +
      ` runs ${RUNS}, node ${process.version}, ${cpus().length} CPUs`,
  )
} finally {
  await client.close()
  stub.close()
  engine.child.kill('SIGTERM')
  await once(engine.child, 'exit')
}
