import { createServer as createNetServer } from 'node:net'
import type { ChatwireError } from '@chatwire/core'
import { createServerError } from '../error-codes.js'

/** One listener the CLI starts: what it is, where it binds and the config key that sets it. */
export interface ListenTarget {
  /** Such as `the server` or `the Graph API capture server`. */
  name: string
  host: string
  port: number
  /** Config key that sets the port, such as `server.port`. */
  configKey: string
}

/** Advice for a taken port, appended to every listen error of `chatwire sandbox`. */
export const SECOND_SANDBOX_RECIPE =
  'To run a second sandbox, copy apps/server/sandbox.yaml, change server.port, engine.target, ' +
  'securityHub.target and graphApiBaseUrl to free ports, and run chatwire sandbox -c FILE.'

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  if (/EADDRINUSE/.test(text)) {
    return 'another process already listens on it'
  }
  if (/EACCES/.test(text)) {
    return 'binding it needs privileges this process lacks (ports below 1024 usually do)'
  }
  if (/EADDRNOTAVAIL/.test(text)) {
    return 'the host is not an address of this machine'
  }
  return text
}

/** Returns true when `error` is a failure to bind a port (Node's errno or the grpc-js wording). */
export function isListenError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return true
  }
  const text = error instanceof Error ? error.message : ''
  return /\b(EADDRINUSE|EACCES|EADDRNOTAVAIL)\b/.test(text) || /BIND_FAILED/.test(String(code))
}

/**
 * Builds CHATWIRE_ERR_SERVER_LISTEN_FAILED for a listener that could not bind, naming the
 * address, the config key to change (in `configFile` when given) and `advice` on what else to do.
 */
export function listenFailedError(
  target: ListenTarget,
  cause: unknown,
  options: { configFile?: string; advice?: string } = {},
): ChatwireError {
  const address = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`
  const where = options.configFile === undefined ? '' : ` in ${options.configFile}`
  const advice = options.advice === undefined ? '' : ` ${options.advice}`
  return createServerError(
    'CHATWIRE_ERR_SERVER_LISTEN_FAILED',
    `${target.name} could not listen on ${address}: ${reasonOf(cause)}. ` +
      `Stop the other process, or set ${target.configKey}${where} to a free port.${advice}`,
    { cause, details: { host: target.host, port: target.port, configKey: target.configKey } },
  )
}

/**
 * Binds `host:port` for a moment and releases it, rejecting with the bind error. It runs before
 * listeners (such as grpc-js) that print their own bind failure to stderr; port 0 always passes.
 */
export async function probePort(host: string, port: number): Promise<void> {
  if (port === 0) {
    return
  }
  const probe = createNetServer()
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject)
    probe.listen({ host, port, exclusive: true }, () => resolve())
  })
  await new Promise<void>((resolve) => probe.close(() => resolve()))
}
