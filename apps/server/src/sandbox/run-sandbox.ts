import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { startReferenceEngine } from '@chatwire/reference-engine'
import { request } from 'undici'
import { loadConfigFile } from '../config/load.js'
import { createServer } from '../container.js'
import { createLogger } from '../logger.js'
import { SERVER_PACKAGE_DIR } from '../plugins.js'
import type { ChatwireServer } from '../server.js'
import { type CapturedMessage, startGraphCapture } from './graph-capture.js'
import { SANDBOX_APP_SECRET, signWhatsappBody, whatsappStatusWebhook } from './whatsapp-sample.js'

export interface SandboxOptions {
  /** Folder the `.chatwire/` store folder is created in; the working directory when unset. */
  workDir?: string
  /** Sandbox config file; `sandbox.yaml` of this package when unset. */
  configFile?: string
  /** Writes one human-readable line. */
  print?: (line: string) => void
  /** Post a signed `delivered` status back for every captured reply, as Meta would. */
  echoDeliveredStatus?: boolean
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

/**
 * Starts the whole sandbox in this process: the reference engine (MCP Engine and Security Hub
 * on 127.0.0.1:50051), a capture server for the Graph API on 127.0.0.1:8089 that prints every
 * reply, and the server on 127.0.0.1:8080 with SQLite under `.chatwire/`.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const loaded = loadConfigFile(options.configFile ?? join(SERVER_PACKAGE_DIR, 'sandbox.yaml'), {
    baseDir: options.workDir ?? process.cwd(),
  })
  const [engineHost, enginePort] = loaded.config.engine.target.split(':')

  const engine = await startReferenceEngine({
    host: engineHost,
    port: Number(enginePort),
    dataFile: sandboxDataFile(),
  })
  const webhookUrl = `http://${loaded.config.server.host}:${loaded.config.server.port}/webhooks/whatsapp`
  const graphBaseUrl =
    (loaded.config.plugins[0]?.config.graphApiBaseUrl as string | undefined) ?? 'http://127.0.0.1:8089'
  const capture = await startGraphCapture({
    port: Number(new URL(graphBaseUrl).port),
    onMessage: (message) => {
      const text = (message.body.text as { body?: string } | undefined)?.body ?? JSON.stringify(message.body)
      print(`[graph capture] reply from ${message.phoneNumberId} to ${String(message.body.to)}: ${text}`)
      if (options.echoDeliveredStatus !== false) {
        setTimeout(() => {
          postDeliveredStatus(webhookUrl, message).catch((error: unknown) => {
            print(`[graph capture] posting the delivered status failed: ${(error as Error).message}`)
          })
        }, 100).unref()
      }
    },
  })

  const server = createServer(loaded, { logger: createLogger({ level: loaded.config.logging.level }) })
  try {
    await server.start()
  } catch (error) {
    await Promise.allSettled([server.stop('start failed'), capture.close(), engine.close()])
    throw error
  }
  server.bus.subscribe('delivery.status', (payload) => {
    const { delivery } = payload as { delivery?: { platformMessageId: string; status: string } }
    if (delivery !== undefined) {
      print(`[chatwire] delivery state of ${delivery.platformMessageId}: ${delivery.status}`)
    }
  })

  print(`Chatwire sandbox is running.
  reference engine (MCP Engine + Security Hub): ${engine.address}
  Graph API capture server:                      ${capture.url}
  store:                                         ${loaded.config.store.path}
  webhook URL:                                   ${webhookUrl}

Send a signed sample WhatsApp message from another terminal:
  pnpm chatwire send-sample whatsapp --text "hello"
Press Ctrl+C to stop.`)

  return {
    server,
    webhookUrl,
    close: async () => {
      await server.stop('sandbox stopping')
      await Promise.allSettled([capture.close(), engine.close()])
    },
  }
}
