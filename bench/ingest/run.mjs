// Ingest benchmark: requests per second and p99 latency of POST /webhooks/whatsapp on the Chatwire
// server (verify, parse, de-duplicate, durable enqueue, 200). The baseline is a bare node:http
// server that only checks the HMAC. autocannon drives both on 127.0.0.1 in the same run.
// Usage: node bench/ingest/run.mjs [--runs 3] [--seconds 10] [--connections 50] [--synchronous full|normal]
//   [--cpu-prof-dir DIR] (write a V8 CPU profile of the server there) [--skip-bare]
//   [--checkpoints background|inline] [--steps] (also measure the servers of steps/fastify-server.mjs)
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
// The sandbox's sample builders, so the bench posts exactly what `chatwire send-sample` posts.
import { signWhatsappBody, whatsappTextWebhook } from '../../apps/server/dist/sandbox/whatsapp-sample.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const serverDir = join(root, 'apps/server')
const autocannon = createRequire(join(serverDir, 'package.json'))('autocannon')

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    synchronous: { type: 'string', default: 'full' },
    checkpoints: { type: 'string', default: 'background' },
    'cpu-prof-dir': { type: 'string' },
    'skip-bare': { type: 'boolean', default: false },
    steps: { type: 'boolean', default: false },
  },
})
const runs = Number(values.runs)
const seconds = Number(values.seconds)
const connections = Number(values.connections)
const secret = 'sandbox-app-secret'

// Every request carries a new message id, so the server stores each one instead of dropping it
// as a duplicate found in the de-duplication table.
let sequence = 0
const runTag = randomBytes(4).toString('hex')
function setupRequest(request) {
  sequence += 1
  const body = whatsappTextWebhook({
    messageId: `wamid.bench${runTag}${sequence}`,
    from: `1555${String(sequence % 10_000_000).padStart(7, '0')}`,
    text: 'hello from the bench',
    timestamp: 1_800_000_000,
    userName: 'Bench User',
  })
  request.body = body
  request.headers = {
    'content-type': 'application/json',
    'x-hub-signature-256': signWhatsappBody(body, secret),
  }
  return request
}

function startChild(args) {
  return spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
}

// utime + stime of a process in microseconds, from fields 14 and 15 of /proc/<pid>/stat. Those
// are clock ticks, taken as 100 per second (USER_HZ on Linux x86-64). Fields are counted after
// the command name, which may contain spaces.
// With `thread`, the same for the process's main thread only, which runs the event loop.
function cpuMicros(pid, thread = false) {
  const stat = readFileSync(thread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}

function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /VmRSS:\s+(\d+) kB/.exec(status)
  return match === null ? 0 : Number(match[1]) * 1024
}

async function waitForUrl(url) {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      const response = await fetch(url)
      if (response.status < 500) {
        return
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${url} did not respond within 10 s; check the server's output above`)
}

function load(url) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method: 'POST', connections, duration: seconds, requests: [{ setupRequest }] },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
  })
}

async function measure(name, url, pid) {
  let peak = rssBytes(pid)
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssBytes(pid))
  }, 100)
  const cpuBefore = cpuMicros(pid)
  const mainThreadBefore = cpuMicros(pid, true)
  const result = await load(url)
  const cpu = cpuMicros(pid) - cpuBefore
  const mainThreadCpu = cpuMicros(pid, true) - mainThreadBefore
  clearInterval(sampler)
  const non2xx = result.non2xx + result.errors + result.timeouts
  const row = {
    name,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failed: non2xx,
    // CPU time of the server per request: unlike req/s, it hardly depends on other jobs' load.
    cpuPerRequestMicros: cpu / result.requests.total,
    coresUsed: cpu / 1e6 / result.duration,
    // Above 0.9 the event loop is the limit: the thread has no time left for more requests.
    mainThreadCoresUsed: mainThreadCpu / 1e6 / result.duration,
    rssAfterMiB: rssBytes(pid) / 2 ** 20,
    peakRssMiB: peak / 2 ** 20,
  }
  process.stdout.write(
    `${name.padEnd(20)} ${row.rps.toFixed(0).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  ` +
      `${row.cpuPerRequestMicros.toFixed(0)} us CPU/request (${row.coresUsed.toFixed(2)} cores, main thread ${row.mainThreadCoresUsed.toFixed(2)})  ` +
      `${row.requests} requests, ${row.failed} failed  RSS after ${row.rssAfterMiB.toFixed(1)} MiB, peak ${row.peakRssMiB.toFixed(1)} MiB\n`,
  )
  return row
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const dir = mkdtempSync(join(tmpdir(), 'chatwire-ingest-bench-'))
const configFile = join(dir, 'chatwire.json')
writeFileSync(
  configFile,
  JSON.stringify({
    server: { host: '127.0.0.1', port: 0, rateLimit: { points: 1_000_000, durationSeconds: 1 } },
    store: {
      path: join(dir, 'chatwire.db'),
      synchronous: values.synchronous,
      backgroundCheckpoints: values.checkpoints === 'background',
    },
    // Nothing listens on the engine port: the workers are off, so only the intake runs.
    engine: { target: '127.0.0.1:9' },
    channels: [{ platform: 'whatsapp', channelAccountId: '100000000000001', tenantId: 'bench' }],
    plugins: [
      {
        package: '@chatwire/plugin-whatsapp',
        config: { appSecrets: [secret], verifyToken: 'bench', accessToken: 'bench' },
      },
    ],
    workers: { enabled: false },
    logging: { level: 'warn' },
  }),
)

// The server prints its URL in the 'chatwire server listening' log line only at info level, so
// it gets a fixed free port from a probe instead.
const probe = (await import('node:net')).createServer()
await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve))
const serverPort = probe.address().port
await new Promise((resolve) => probe.close(resolve))
const config = JSON.parse(readFileSync(configFile, 'utf8'))
config.server.port = serverPort
writeFileSync(configFile, JSON.stringify(config))

const profileDir = values['cpu-prof-dir']
const profileArgs = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]
const server = startChild([...profileArgs, join(serverDir, 'dist/cli.js'), 'serve', '--config', configFile])
const serverUrl = `http://127.0.0.1:${serverPort}`

// The other servers print "listening PORT" on stdout once they accept connections.
function listeningPort(child) {
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`a bench server exited with code ${code}; see its output above`)))
    child.stdout.on('data', (chunk) => {
      const match = /listening (\d+)/.exec(String(chunk))
      if (match) resolve(Number(match[1]))
    })
  })
}

async function startTarget(name, args, path) {
  const child = startChild(args)
  const port = await listeningPort(child)
  return { name, child, url: `http://127.0.0.1:${port}${path}`, rows: [] }
}

// Measured in this order within every run. chatwire and bare come first, so the ratio compares
// the same pair whether or not --steps is given.
const targets = [{ name: 'chatwire', child: server, url: `${serverUrl}/webhooks/whatsapp`, rows: [] }]
await waitForUrl(`${serverUrl}/healthz`)
if (!values['skip-bare']) {
  targets.push(await startTarget('bare', [join(root, 'bench/ingest/bare-server.mjs'), secret], '/'))
}
if (values.steps) {
  const stepServer = join(root, 'bench/ingest/steps/fastify-server.mjs')
  const steps = { fastify: 'fastify', plugin: 'fastify+plugin', store: 'fastify+plugin+store' }
  for (const [step, name] of Object.entries(steps)) {
    const storeArgs = [join(dir, `step-${step}.db`), values.synchronous, values.checkpoints]
    const args = [stepServer, step, secret, ...storeArgs]
    targets.push(await startTarget(name, args, '/webhooks/whatsapp'))
  }
}

process.stdout.write(
  `ingest bench: ${runs} runs x ${seconds} s, ${connections} connections, synchronous=${values.synchronous}, ${values.checkpoints} checkpoints, node ${process.version}, load average ${loadavg()[0].toFixed(2)}\n`,
)
try {
  // Warm every server up so the first measured run does not pay for JIT compilation.
  for (const target of targets) {
    await new Promise((resolve, reject) =>
      autocannon(
        { url: target.url, method: 'POST', connections, amount: 2000, requests: [{ setupRequest }] },
        (error) => (error ? reject(error) : resolve()),
      ),
    )
  }
  for (let run = 1; run <= runs; run += 1) {
    for (const target of targets) {
      target.rows.push(await measure(target.name, target.url, target.child.pid))
    }
  }
} finally {
  for (const { child } of targets) {
    child.kill('SIGTERM')
  }
  await Promise.all(
    targets.map(({ child }) =>
      child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined,
    ),
  )
  rmSync(dir, { recursive: true, force: true })
}

const medianOf = (rows, key) => median(rows.map((row) => row[key]))
const bareRps = values['skip-bare'] ? Number.NaN : medianOf(targets[1].rows, 'rps')
const lines = targets.map(({ name, rows }) => {
  const rps = medianOf(rows, 'rps')
  return (
    `  ${name.padEnd(20)} ${rps.toFixed(0).padStart(6)} req/s  p99 ${medianOf(rows, 'p99')} ms  ` +
    `${medianOf(rows, 'cpuPerRequestMicros').toFixed(0)} us CPU/request  ` +
    `main thread ${medianOf(rows, 'mainThreadCoresUsed').toFixed(2)} cores  ratio to bare ${(rps / bareRps).toFixed(2)}`
  )
})
const chatwireRows = targets[0].rows
const rssAfter = chatwireRows.map((row) => row.rssAfterMiB.toFixed(1)).join(' → ')
const failed = targets.map(({ name, rows }) => `${name} ${rows.reduce((sum, row) => sum + row.failed, 0)}`)
process.stdout.write(`
medians of ${runs} runs:
${lines.join('\n')}
  ratio chatwire / bare ${(medianOf(chatwireRows, 'rps') / bareRps).toFixed(2)} (target >= 0.5), chatwire p99 ${medianOf(chatwireRows, 'p99')} ms (target <= 10)
  server peak RSS ${Math.max(...chatwireRows.map((row) => row.peakRssMiB)).toFixed(1)} MiB; RSS after each run ${rssAfter} MiB
  failed requests: ${failed.join(', ')}
`)
