// Summarises a V8 .cpuprofile by self time: the top functions and the share of each file or package.
// Usage: node bench/ingest/profile-summary.mjs FILE.cpuprofile [--top 40]
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' } },
})
if (positionals.length !== 1) {
  process.stderr.write('usage: node bench/ingest/profile-summary.mjs FILE.cpuprofile [--top 40]\n')
  process.exit(2)
}

const profile = JSON.parse(readFileSync(positionals[0], 'utf8'))
const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
const selfMicros = new Map()
for (let index = 0; index < profile.samples.length; index += 1) {
  const id = profile.samples[index]
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0))
}

// Folds node_modules paths to their package name and workspace paths to their package folder.
function area(url) {
  if (url === '') return '(native or V8)'
  const modules = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (modules !== null) return modules[1]
  const workspace = /\/(packages|apps|plugins|examples)\/([^/]+)\//.exec(url)
  if (workspace !== null) return `${workspace[1]}/${workspace[2]}`
  if (url.startsWith('node:')) return 'node internals'
  return url
}

const byFunction = new Map()
const byArea = new Map()
let total = 0
let idle = 0
for (const [id, micros] of selfMicros) {
  const { callFrame } = nodes.get(id)
  total += micros
  if (callFrame.functionName === '(idle)') idle += micros
  const file = callFrame.url.replace(/^.*\/(node_modules|packages|apps)\//, '$1/')
  const key = `${callFrame.functionName || '(anonymous)'} ${file}:${callFrame.lineNumber + 1}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros)
  const group = ['(idle)', '(garbage collector)', '(program)'].includes(callFrame.functionName)
    ? callFrame.functionName
    : area(callFrame.url)
  byArea.set(group, (byArea.get(group) ?? 0) + micros)
}

const busy = total - idle
const percent = (micros) => `${((100 * micros) / busy).toFixed(1).padStart(5)}%`
const sorted = (map) => [...map].sort((a, b) => b[1] - a[1])
process.stdout.write(
  `total ${(total / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s, busy ${(busy / 1e6).toFixed(2)} s (percentages of busy time)\n\nby area:\n`,
)
for (const [name, micros] of sorted(byArea)) {
  if (name !== '(idle)') process.stdout.write(`  ${percent(micros)}  ${name}\n`)
}
process.stdout.write('\nby function (self time):\n')
for (const [name, micros] of sorted(byFunction).slice(0, Number(values.top))) {
  if (!name.startsWith('(idle)')) process.stdout.write(`  ${percent(micros)}  ${name}\n`)
}
