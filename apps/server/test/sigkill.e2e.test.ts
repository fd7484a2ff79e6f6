import { type ChildProcess, spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type ReferenceEngine, startReferenceEngine } from '@chatwire/reference-engine'
import { openSqliteStore } from '@chatwire/store-sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { INBOUND_QUEUE } from '../src/intake.js'
import { type GraphCapture, startGraphCapture } from '../src/sandbox/graph-capture.js'
import { sampleMessageId, whatsappTextWebhook } from '../src/sandbox/whatsapp-sample.js'
import {
  callsFor,
  postWebhook,
  SANDBOX_DATA_FILE,
  STATIC_SANDBOX_CHANNEL,
  stackConfig,
  tempDir,
  waitFor,
} from './helpers.js'

const CLI = join(import.meta.dirname, '../dist/cli.js')
const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup()
  }
})

/** Finds a free port by binding a capture server to port 0 and closing it. */
async function freePort(): Promise<number> {
  const probe = await startGraphCapture()
  await probe.close()
  return probe.port
}

function startServe(configFile: string): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
    }
  })
  return child
}

async function waitUntilListening(url: string): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await fetch(`${url}/healthz`)).status === 200
      } catch {
        return false
      }
    },
    15_000,
    'the child server to listen',
  )
}

describe('crash safety', () => {
  it('should process every acknowledged webhook exactly once after SIGKILL', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    const enginePort = await freePort()
    const serverPort = await freePort()
    const capture: GraphCapture = await startGraphCapture()
    cleanups.push(() => capture.close())

    const storePath = join(dir.path, 'chatwire.db')
    const config = stackConfig({ storePath, enginePort, graphUrl: capture.url, serverPort })
    delete config.securityHub
    config.channels = [STATIC_SANDBOX_CHANNEL]
    const configFile = join(dir.path, 'chatwire.json')
    writeFileSync(configFile, JSON.stringify(config))
    const url = `http://127.0.0.1:${serverPort}`

    // The engine is not running yet, so the first process acknowledges webhooks it cannot process.
    const first = startServe(configFile)
    await waitUntilListening(url)
    const ids = Array.from({ length: 200 }, () => sampleMessageId())
    for (const [index, messageId] of ids.entries()) {
      const body = whatsappTextWebhook({
        messageId,
        from: `1555${String(index).padStart(7, '0')}`,
        text: 'hello',
      })
      const response = await postWebhook(`${url}/webhooks/whatsapp`, body)
      expect(response.status).toBe(200)
    }
    first.kill('SIGKILL')
    await new Promise((resolve) => first.once('exit', resolve))

    const store = openSqliteStore({ path: storePath })
    expect(await store.queue.depth(INBOUND_QUEUE)).toBe(200)
    await store.close()

    const engine: ReferenceEngine = await startReferenceEngine({
      host: '127.0.0.1',
      port: enginePort,
      dataFile: SANDBOX_DATA_FILE,
    })
    cleanups.push(() => engine.close())
    const second = startServe(configFile)
    await waitUntilListening(url)

    await waitFor(() => capture.messages.length >= 200, 60_000, 'all 200 replies')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(capture.messages).toHaveLength(200)
    const recipients = new Set(capture.messages.map((message) => String(message.body.to)))
    expect(recipients.size).toBe(200)
    for (const messageId of ids) {
      expect(callsFor(engine, messageId)).toBe(1)
    }

    second.kill('SIGTERM')
    const exitCode = await new Promise((resolve) => second.once('exit', (code) => resolve(code)))
    expect(exitCode).toBe(0)
  }, 90_000)
})
