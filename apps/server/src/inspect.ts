import {
  ChatwireError,
  fixedClock,
  type NormalizedEvent,
  normalizeHeaders,
  parseQuery,
  systemClock,
} from '@chatwire/core'
import { SecurityHubClient } from '@chatwire/grpc-clients'
import { Agent } from 'undici'
import { ChannelDirectory } from './channels.js'
import type { LoadedConfig } from './config/types.js'
import { createServerError } from './error-codes.js'
import { Intake } from './intake.js'
import { createLogger } from './logger.js'
import { bodyLimitOf, createPluginRegistry, loadPlugins } from './plugins.js'

export interface InspectOptions {
  /** Plugin route, as in `/webhooks/<plugin>`. */
  plugin: string
  body: Uint8Array
  method?: string
  /** Query string, with or without the leading `?`. */
  query?: string
  /** Header lines as `Name: value`. */
  headers?: readonly string[]
  /** Unix seconds used as "now" for replay-window checks. */
  nowSeconds?: number
}

export interface InspectResult {
  accepted: boolean
  status: number
  headers: Record<string, string>
  body: string
  stage: string
  error?: { code: string; message: string }
  events: NormalizedEvent[]
  /** Assumptions the inspection made and what to do about the outcome, one sentence each. */
  notes: string[]
}

function isJson(body: Uint8Array): boolean {
  try {
    JSON.parse(Buffer.from(body).toString('utf8'))
    return true
  } catch {
    return false
  }
}

function credentialsNote(loaded: LoadedConfig): string {
  const target = loaded.config.securityHub?.target ?? '(none)'
  return (
    `the Security Hub at securityHub.target ${target} did not respond, so the channel's webhook secrets ` +
    'could not be resolved. Start the sandbox (npx -y pnpm@10.34.9 start) or another Security Hub there, ' +
    'or list the channel with its webhookSecrets under channels in the config'
  )
}

function parseHeaderLines(lines: readonly string[]): Record<string, string> {
  const pairs: [string, string][] = []
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon <= 0) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_CLI_USAGE',
        `--header "${line}" is not in the form "Name: value"`,
      )
    }
    pairs.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
  }
  return normalizeHeaders(pairs)
}

/**
 * Verifies and parses one captured webhook exactly as the server would, with the same plugin
 * config and channel secrets, but stores nothing and starts no listener.
 */
export async function inspectWebhook(loaded: LoadedConfig, options: InspectOptions): Promise<InspectResult> {
  const logger = createLogger({ level: 'silent' })
  const clock = options.nowSeconds === undefined ? systemClock : fixedClock(options.nowSeconds * 1000)
  const dispatcher = new Agent()
  const registry = createPluginRegistry(loaded, { logger, clock, dispatcher })
  const hubConfig = loaded.config.securityHub
  const hub =
    hubConfig?.resolveChannels === true
      ? new SecurityHubClient({
          target: hubConfig.target,
          security: hubConfig.security,
          defaultTimeoutMs: hubConfig.timeoutMs,
          retry: { maxAttempts: 1 },
        })
      : undefined

  try {
    await loadPlugins(registry, loaded)
    const plugin = registry.byRoute(options.plugin)
    if (plugin === undefined) {
      const routes = registry.list().map((loadedPlugin) => loadedPlugin.route)
      throw createServerError(
        'CHATWIRE_ERR_SERVER_CLI_USAGE',
        `no plugin serves the route "${options.plugin}"; configured routes: ${routes.join(', ') || 'none'}`,
      )
    }
    const query = options.query ?? ''
    const method = (options.method ?? 'POST').toUpperCase()
    const headers = parseHeaderLines(options.headers ?? [])
    const notes: string[] = []
    // A body saved from a log or a file often lacks its headers, and JSON webhooks carry this one.
    if (method === 'POST' && headers['content-type'] === undefined && isJson(options.body)) {
      headers['content-type'] = 'application/json'
      notes.push(
        'no Content-Type header was given and the body is JSON, so Content-Type: application/json was used',
      )
    }
    const intake = new Intake({
      directory: new ChannelDirectory({ channels: loaded.config.channels, resolver: hub }),
      clock,
      logger,
    })
    const result = await intake.handle(
      plugin,
      {
        method,
        path: `/webhooks/${options.plugin}`,
        headers,
        query: parseQuery(query.startsWith('?') ? query.slice(1) : query),
        body: options.body,
        receivedAt: clock.now(),
        remoteAddress: '127.0.0.1',
      },
      bodyLimitOf(loaded, plugin),
    )
    const { response } = result
    if (result.error?.code === 'CHATWIRE_ERR_SERVER_CREDENTIALS_UNAVAILABLE') {
      notes.push(credentialsNote(loaded))
    }
    return {
      accepted: response.status >= 200 && response.status < 300,
      status: response.status,
      headers: { ...response.headers },
      body: response.body,
      stage: result.stage,
      error:
        result.error === undefined ? undefined : { code: result.error.code, message: result.error.message },
      events: result.events,
      notes,
    }
  } catch (error) {
    throw ChatwireError.from(error, 'CHATWIRE_ERR_SERVER_INTERNAL')
  } finally {
    await registry.close()
    await hub?.close()
    await dispatcher.close()
  }
}
