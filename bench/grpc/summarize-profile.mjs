// Prints the self time of a V8 CPU profile written by `node --cpu-prof`: per package, and for the
// functions with the most self time, grouped by function, file and line. Each row gives the share
// of the non-idle time and the milliseconds. Usage:
//   node bench/grpc/summarize-profile.mjs FILE.cpuprofile [--top 30]
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' } },
})
if (positionals.length !== 1) {
  throw new TypeError('Usage: node bench/grpc/summarize-profile.mjs FILE.cpuprofile [--top 30]')
}

const profile = JSON.parse(readFileSync(positionals[0], 'utf8'))
const nodes = new Map(profile.nodes.map((node) => [node.id, node]))

// Each sample is charged to the node on top of the stack, for the time until the next sample.
const selfMs = new Map()
for (let index = 0; index < profile.samples.length; index++) {
  const id = profile.samples[index]
  const deltaMs = (profile.timeDeltas[index + 1] ?? 0) / 1000
  selfMs.set(id, (selfMs.get(id) ?? 0) + deltaMs)
}

/** Names the package or runtime part that a script URL belongs to. */
function area(url) {
  if (url === '') return '(native or V8)'
  if (url.startsWith('node:')) return 'node core'
  const pnpm = /node_modules\/\.pnpm\/([^/]+)\//.exec(url)
  if (pnpm) return pnpm[1].replace(/@[^@]+$/, '').replace('+', '/')
  const workspace = /\/(packages|apps|bench)\/([^/]+)\//.exec(url)
  if (workspace) return `${workspace[1]}/${workspace[2]}`
  return url
}

const byFunction = new Map()
const byArea = new Map()
let idleMs = 0
let totalMs = 0
for (const [id, ms] of selfMs) {
  const { functionName, url, lineNumber } = nodes.get(id).callFrame
  totalMs += ms
  if (functionName === '(idle)') {
    idleMs += ms
    continue
  }
  const file = url.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/^.*\/work\/main\//, '')
  const key = `${functionName || '(anonymous)'}  ${file}:${lineNumber + 1}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + ms)
  const name = area(url)
  byArea.set(name, (byArea.get(name) ?? 0) + ms)
}

const busyMs = totalMs - idleMs
const percent = (ms) => `${((100 * ms) / busyMs).toFixed(1).padStart(5)}% ${ms.toFixed(0).padStart(6)} ms`
console.log(
  `profile ${(totalMs / 1000).toFixed(1)} s, busy ${(busyMs / 1000).toFixed(2)} s, idle ${((100 * idleMs) / totalMs).toFixed(1)}%`,
)
console.log('\nself time by area, share of busy time')
for (const [name, ms] of [...byArea].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
  console.log(`${percent(ms)}  ${name}`)
}
console.log(`\ntop ${values.top} functions by self time, share of busy time`)
for (const [key, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
  console.log(`${percent(ms)}  ${key}`)
}
