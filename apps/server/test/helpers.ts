import 'reflect-metadata'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ReferenceEngine, startReferenceEngine } from '@chatwire/reference-engine'
import { request } from 'undici'
import { parse as parseYaml } from 'yaml'
import { resolveConfig } from '../src/config/load.js'
import type { LoadedConfig } from '../src/config/types.js'
import { createServer } from '../src/container.js'
import { createLogger } from '../src/logger.js'
import {
  type CaptureAnswer,
  type CapturedMessage,
  type GraphCapture,
  startGraphCapture,
} from '../src/sandbox/graph-capture.js'
import { SANDBOX_APP_SECRET, signWhatsappBody } from '../src/sandbox/whatsapp-sample.js'
import type { ChatwireServer } from '../src/server.js'

export const SANDBOX_DATA_FILE = join(import.meta.dirname, '../../reference-engine/sandbox.yaml')
export const ADMIN_KEY = 'sandbox-admin-key'

/** The reference engine's sandbox channel, written into config instead of resolved. */
export const STATIC_SANDBOX_CHANNEL = {
  platform: 'whatsapp',
  channelAccountId: '100000000000001',
  tenantId: 'demo',
  webhookSecrets: ['sandbox-app-secret'],
  sendToken: 'sandbox-token',
}

/** Polls `check` every 25 ms until it returns true, failing after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  description = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`)
}

/** Reads the reference engine's sandbox data, for tests that add records to it. */
export function sandboxData(): Record<string, unknown[]> {
  return parseYaml(readFileSync(SANDBOX_DATA_FILE, 'utf8')) as Record<string, unknown[]>
}

export function tempDir(prefix = 'chatwire-server-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** Builds the raw config of a test server from its ports and paths. */
export function stackConfig(options: {
  storePath: string
  enginePort: number
  graphUrl: string
  serverPort?: number
  overrides?: Record<string, unknown>
}): Record<string, unknown> {
  return {
    server: {
      host: '127.0.0.1',
      port: options.serverPort ?? 0,
      rateLimit: { points: 10_000, durationSeconds: 1 },
    },
    store: { path: options.storePath },
    engine: {
      target: `127.0.0.1:${options.enginePort}`,
      timeoutMs: 2000,
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 300 },
    },
    securityHub: { target: `127.0.0.1:${options.enginePort}`, resolveChannels: true, timeoutMs: 2000 },
    plugins: [
      {
        package: '@chatwire/plugin-whatsapp',
        config: {
          appSecrets: ['sandbox-app-secret'],
          verifyToken: 'test-verify-token',
          graphApiBaseUrl: options.graphUrl,
        },
      },
    ],
    workers: {
      concurrency: 4,
      pollIntervalMs: 20,
      leaseMs: 5000,
      maxAttempts: 4,
      backoff: { initialDelayMs: 50, maxDelayMs: 400 },
      sendTimeoutMs: 2000,
    },
    logging: { level: 'silent' },
    ...options.overrides,
  }
}

export interface Stack {
  engine: ReferenceEngine
  enginePort: number
  capture: GraphCapture
  server: ChatwireServer
  loaded: LoadedConfig
  url: string
  dir: string
  /** Posts a webhook body to `/webhooks/whatsapp`, signed with the sandbox secret unless `secret` is given. */
  post(
    body: string,
    options?: { secret?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: string }>
  restartEngine(): Promise<void>
  stopEngine(): Promise<void>
  close(): Promise<void>
}

export interface StackOptions {
  respond?: (message: Omit<CapturedMessage, 'messageId'>) => CaptureAnswer | undefined
  overrides?: Record<string, unknown>
  /** Leave the server stopped; the test starts it. */
  startServer?: boolean
  /** Resolve the sandbox channel from a static `channels` entry instead of the Security Hub. */
  staticChannels?: boolean
  /** Reference engine data to use instead of its sandbox.yaml. */
  engineData?: unknown
  /** Extra fields of the WhatsApp plugin's entry in `plugins`, such as `bodyLimitBytes`. */
  pluginEntry?: Record<string, unknown>
}

export async function postWebhook(
  url: string,
  body: string,
  options: { secret?: string | null; headers?: Record<string, string>; method?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers }
  if (options.secret !== null) {
    headers['x-hub-signature-256'] = signWhatsappBody(body, options.secret ?? SANDBOX_APP_SECRET)
  }
  const response = await request(url, { method: (options.method ?? 'POST') as 'POST', headers, body })
  return { status: response.statusCode, body: await response.body.text(), headers: response.headers }
}

/** Starts the reference engine, a Graph stand-in and the server, all on 127.0.0.1 port 0. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = tempDir()
  const engineSource =
    options.engineData === undefined ? { dataFile: SANDBOX_DATA_FILE } : { data: options.engineData }
  let engine = await startReferenceEngine({ host: '127.0.0.1', port: 0, ...engineSource })
  const enginePort = engine.port
  let engineRunning = true
  const capture = await startGraphCapture({ respond: options.respond })
  const raw = stackConfig({
    storePath: join(dir.path, 'chatwire.db'),
    enginePort,
    graphUrl: capture.url,
    overrides: options.overrides,
  })
  if (options.pluginEntry !== undefined) {
    const [entry] = raw.plugins as Record<string, unknown>[]
    Object.assign(entry!, options.pluginEntry)
  }
  if (options.staticChannels === true) {
    delete raw.securityHub
    raw.channels = [STATIC_SANDBOX_CHANNEL]
  }
  const loaded = resolveConfig(raw, { env: {} })
  const server = createServer(loaded, { logger: createLogger({ level: 'silent' }) })
  const url = options.startServer === false ? '' : await server.start()

  const stack: Stack = {
    get engine() {
      return engine
    },
    enginePort,
    capture,
    server,
    loaded,
    url,
    dir: dir.path,
    post: (body, postOptions = {}) => postWebhook(`${url}/webhooks/whatsapp`, body, postOptions),
    async stopEngine() {
      if (engineRunning) {
        engineRunning = false
        await engine.close()
      }
    },
    async restartEngine() {
      await stack.stopEngine()
      engine = await startReferenceEngine({ host: '127.0.0.1', port: enginePort, ...engineSource })
      engineRunning = true
    },
    async close() {
      await server.stop('test finished')
      await capture.close()
      await stack.stopEngine()
      dir.remove()
    },
  }
  return stack
}

/** Counts the ProcessMessage calls the engine received for one platform message id. */
export function callsFor(engine: ReferenceEngine, messageId: string): number {
  return engine.receivedMessages.filter((message) => message.request.messageId === messageId).length
}
