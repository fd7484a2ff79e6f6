import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import type { MessageReceivedEvent } from '@chatwire/core'
import { type ReferenceEngine, startReferenceEngine } from '@chatwire/reference-engine'
import { request } from 'undici'
import {
  isListenError,
  type ListenTarget,
  listenFailedError,
  probePort,
  SECOND_SANDBOX_RECIPE,
} from '../cli/listen-error.js'
import { loadConfigFile } from '../config/load.js'
import { createServer } from '../container.js'
import { createLogger } from '../logger.js'
import { SERVER_PACKAGE_DIR } from '../plugins.js'
import type { ChatwireServer } from '../server.js'
import { sandboxBanner } from './banner.js'
import { type CapturedMessage, type GraphCapture, startGraphCapture } from './graph-capture.js'
import { prettyLogDestination } from './pretty-log.js'
import { SANDBOX_APP_SECRET, signWhatsappBody, whatsappStatusWebhook } from './whatsapp-sample.js'

export interface SandboxOptions {
  /**
   * Sandbox config file; `sandbox.yaml` of this package when unset. A relative `store.path` is
   * resolved against the file's folder, as for every other command.
   */
  configFile?: string
  /** Writes one human-readable line. */
  print?: (line: string) => void
  /** Post a signed `delivered` status back for every captured reply, as Meta would. */
  echoDeliveredStatus?: boolean
  /**
   * Folder the printed commands run in, and that paths in them are relative to. It is the
   * repository root when unset, because `pnpm chatwire` runs the root package's script there.
   */
  cwd?: string
}

export interface Sandbox {
  server: ChatwireServer
  webhookUrl: string
  close(): Promise<void>
}

function sandboxDataFile(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@chatwire/reference-engine/package.json')), 'sandbox.yaml')
}

async function postDeliveredStatus(webhookUrl: string, message: CapturedMessage): Promise<void> {
  if (message.messageId === undefined) {
    return
  }
  const body = whatsappStatusWebhook({
    phoneNumberId: message.phoneNumberId,
    messageId: message.messageId,
    recipientId: String(message.body.to ?? ''),
    status: 'delivered',
  })
  const response = await request(webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWhatsappBody(body, SANDBOX_APP_SECRET),
    },
    body,
  })
  await response.body.dump()
}

/** Runs `start`, turning a failure to bind `target` into CHATWIRE_ERR_SERVER_LISTEN_FAILED. */
async function listening<T>(target: ListenTarget, start: () => Promise<T>): Promise<T> {
  try {
    return await start()
  } catch (error) {
    throw isListenError(error) ? listenFailedError(target, error, { advice: SECOND_SANDBOX_RECIPE }) : error
  }
}

function describeInbound(event: MessageReceivedEvent): string {
  const content =
    event.message.type === 'text' ? JSON.stringify(event.message.text) : `(${event.message.type})`
  return `[chatwire] received ${event.platformMessageId} from ${event.userId}: ${content}`
}

/**
 * Starts the whole sandbox in this process. It runs the reference engine (MCP Engine and
 * Security Hub on 127.0.0.1:50051) and a capture server for the Graph API on 127.0.0.1:8089
 * that prints every reply. The server listens on 127.0.0.1:8080 and keeps SQLite under
 * `.chatwire/` next to the config file.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const loaded = loadConfigFile(options.configFile ?? join(SERVER_PACKAGE_DIR, 'sandbox.yaml'))
  const { config } = loaded
  const [engineHost = '127.0.0.1', enginePort = '50051'] = config.engine.target.split(':')
  // Set again once the server listens. The capture server posts statuses to it only after that.
  let webhookUrl = `http://${config.server.host}:${config.server.port}/webhooks/whatsapp`
  const graphBaseUrl = new URL(
    (config.plugins[0]?.config.graphApiBaseUrl as string | undefined) ?? 'http://127.0.0.1:8089',
  )

  const engine: ReferenceEngine = await listening(
    { name: 'the reference engine', host: engineHost, port: Number(enginePort), configKey: 'engine.target' },
    async () => {
      await probePort(engineHost, Number(enginePort))
      return startReferenceEngine({ host: engineHost, port: Number(enginePort), dataFile: sandboxDataFile() })
    },
  )

  let capture: GraphCapture
  try {
    capture = await listening(
      {
        name: 'the Graph API capture server',
        host: graphBaseUrl.hostname,
        port: Number(graphBaseUrl.port),
        configKey: 'plugins[0].config.graphApiBaseUrl',
      },
      () =>
        startGraphCapture({
          port: Number(graphBaseUrl.port),
          onMessage: (message) => {
            const text =
              (message.body.text as { body?: string } | undefined)?.body ?? JSON.stringify(message.body)
            print(
              `[graph capture] reply from ${message.phoneNumberId} to ${String(message.body.to)}: ${text}`,
            )
            if (options.echoDeliveredStatus !== false) {
              setTimeout(() => {
                postDeliveredStatus(webhookUrl, message).catch((error: unknown) => {
                  print(`[graph capture] posting the delivered status failed: ${(error as Error).message}`)
                })
              }, 100).unref()
            }
          },
        }),
    )
  } catch (error) {
    await engine.close()
    throw error
  }

  const logger = createLogger({ level: config.logging.level, destination: prettyLogDestination(print) })
  const server = createServer(loaded, { logger })
  try {
    await listening(
      { name: 'the server', host: config.server.host, port: config.server.port, configKey: 'server.port' },
      () => server.start(),
    )
  } catch (error) {
    await Promise.allSettled([server.stop('start failed'), capture.close(), engine.close()])
    throw error
  }
  const serverUrl = server.url
  webhookUrl = `${serverUrl}/webhooks/whatsapp`
  server.bus.subscribe('message.received', (payload) => {
    print(describeInbound(payload as MessageReceivedEvent))
  })
  server.bus.subscribe('delivery.status', (payload) => {
    const { event, delivery } = payload as {
      event?: { status: string }
      delivery?: { platformMessageId: string; status: string }
    }
    if (delivery !== undefined) {
      // Statuses can arrive out of order and the state never moves back, so show both.
      print(
        `[chatwire] status ${event?.status ?? 'unknown'} for ${delivery.platformMessageId}; delivery state: ${delivery.status}`,
      )
    }
  })

  print(
    sandboxBanner({
      engineAddress: engine.address,
      captureUrl: capture.url,
      storePath: config.store.path,
      serverUrl,
      webhookUrl,
      configFile: loaded.file ?? '',
      cwd: options.cwd ?? resolve(SERVER_PACKAGE_DIR, '../..'),
    }),
  )

  return {
    server,
    webhookUrl,
    close: async () => {
      await server.stop('sandbox stopping')
      await Promise.allSettled([capture.close(), engine.close()])
    },
  }
}
