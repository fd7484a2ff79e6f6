#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startReferenceEngine } from './server.js'

const SANDBOX_FILE = fileURLToPath(new URL('../sandbox.yaml', import.meta.url))

const USAGE = `Usage: chatwire-reference-engine [--address host:port] [--data file.yaml]

Starts the Chatwire reference engine: a development gRPC server for the MCP Engine,
the Security Hub and grpc.health.v1. It is not a production conversation engine.

Options:
  --address  host:port to listen on (env REFERENCE_ENGINE_ADDRESS, default 127.0.0.1:50051)
  --data     YAML or JSON data file of tenants, channels, API keys, tokens, permissions and flows
             (env REFERENCE_ENGINE_DATA, default: the bundled sandbox.yaml)
  --help     print this text`

/** Writes one JSON line per log entry, the shape pino writes, without adding a dependency. */
function log(level: 'info' | 'warn' | 'error', object: object, message?: string): void {
  process.stdout.write(`${JSON.stringify({ level, time: Date.now(), ...object, msg: message })}\n`)
}

function parseAddress(address: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address)
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new TypeError(
      `Invalid --address ${JSON.stringify(address)}. Expected host:port, for example 127.0.0.1:50051.`,
    )
  }
  return { host: match[1], port: Number(match[2]) }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { address: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean' } },
  })
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    return
  }

  const { host, port } = parseAddress(
    values.address ?? process.env.REFERENCE_ENGINE_ADDRESS ?? '127.0.0.1:50051',
  )
  const dataFile = values.data ?? process.env.REFERENCE_ENGINE_DATA ?? SANDBOX_FILE
  const logger = { info: log.bind(null, 'info'), warn: log.bind(null, 'warn') }
  const engine = await startReferenceEngine({ host, port, dataFile, logger })
  log('info', { dataFile }, 'reference engine data loaded')

  const stop = (signal: string): void => {
    log('info', { signal }, 'reference engine shutting down')
    void engine.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  log(
    'error',
    { err: { message: (error as Error).message, code: (error as { code?: string }).code } },
    'reference engine failed to start',
  )
  process.exit(1)
})
