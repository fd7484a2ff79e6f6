import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type FakePlatformApi, reply, startFakePlatformApi } from '@chatwire/plugin-testkit'
import { type ReferenceEngine, startReferenceEngine } from '@chatwire/reference-engine'
import { type ChatwireServer, createServer, loadConfigFile } from '@chatwire/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SECRET_TOKEN_HEADER } from '../src/index.js'
import { BOT_TOKEN, SECRET_TOKEN, textUpdate } from './samples.js'

const pluginDirectory = join(dirname(fileURLToPath(import.meta.url)), '..')
const engineData = join(pluginDirectory, '..', '..', 'apps', 'reference-engine', 'sandbox.yaml')
const SEND_PATH = `/bot${BOT_TOKEN}/sendMessage`

/**
 * Writes a deployment folder as an operator would have it: the plugin installed under
 * node_modules by package name, and a config file that names it.
 */
async function writeDeployment(folder: string, enginePort: number, telegramApiUrl: string): Promise<string> {
  const installed = join(folder, 'node_modules', '@chatwire-examples', 'plugin-telegram')
  await mkdir(dirname(installed), { recursive: true })
  await symlink(pluginDirectory, installed, 'dir')

  const configFile = join(folder, 'chatwire.yaml')
  await writeFile(
    configFile,
    `server: { host: 127.0.0.1, port: 0 }
store: { path: ./chatwire.db }
engine: { target: '127.0.0.1:${enginePort}', timeoutMs: 2000 }
channels:
  - platform: telegram
    channelAccountId: '123456'
    tenantId: demo
plugins:
  - package: '@chatwire-examples/plugin-telegram'
    config:
      botToken: '\${TELEGRAM_BOT_TOKEN}'
      secretToken: '\${TELEGRAM_SECRET_TOKEN}'
      apiBaseUrl: '${telegramApiUrl}'
workers: { concurrency: 2, pollIntervalMs: 20, maxAttempts: 3, backoff: { initialDelayMs: 50, maxDelayMs: 200 } }
logging: { level: silent }
`,
  )
  return configFile
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('Telegram through the Chatwire server', () => {
  let folder: string
  let engine: ReferenceEngine
  let telegramApi: FakePlatformApi
  let server: ChatwireServer
  let url: string

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'chatwire-telegram-e2e-'))
    engine = await startReferenceEngine({ host: '127.0.0.1', port: 0, dataFile: engineData })
    telegramApi = await startFakePlatformApi()
    telegramApi
      .on('POST', SEND_PATH)
      .reply(reply.ok({ ok: true, result: { message_id: 501, chat: { id: 4242 } } }))
    const configFile = await writeDeployment(folder, engine.port, telegramApi.url)
    const loaded = loadConfigFile(configFile, {
      env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_SECRET_TOKEN: SECRET_TOKEN },
    })
    server = createServer(loaded)
    url = await server.start()
  }, 30_000)

  afterEach(async () => {
    await server.stop('test finished')
    await telegramApi.close()
    await engine.close()
    await rm(folder, { recursive: true, force: true })
  })

  function postUpdate(body: string, secretToken = SECRET_TOKEN) {
    return fetch(`${url}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SECRET_TOKEN_HEADER]: secretToken },
      body,
    })
  }

  it('replies to a message through sendMessage', async () => {
    const response = await postUpdate(JSON.stringify(textUpdate))

    expect(response.status).toBe(200)
    await waitFor(() => telegramApi.requests.length > 0, 10_000, 'the sendMessage call')
    const call = JSON.parse(telegramApi.requests[0]?.text ?? '{}') as Record<string, unknown>
    expect(telegramApi.requests[0]?.path).toBe(SEND_PATH)
    expect(call).toMatchObject({
      chat_id: '4242',
      text: 'Hello! How can I help you today?',
      reply_parameters: { message_id: 17 },
    })
  })

  it('processes a redelivered update once', async () => {
    const body = JSON.stringify(textUpdate)

    expect((await postUpdate(body)).status).toBe(200)
    expect((await postUpdate(body)).status).toBe(200)
    await waitFor(() => telegramApi.requests.length > 0, 10_000, 'the sendMessage call')
    // Leave time for a wrongly queued duplicate to reach the fake API before counting.
    await new Promise((resolve) => setTimeout(resolve, 500))

    expect(telegramApi.requests).toHaveLength(1)
  })

  it('rejects a wrong secret token and sends nothing', async () => {
    const response = await postUpdate(JSON.stringify(textUpdate), 'not-the-token')

    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: { code: 'CHATWIRE_ERR_SIGNATURE_INVALID' } })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(telegramApi.requests).toHaveLength(0)
  })
})
