import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml'
import { type Sandbox, startSandbox } from '../src/sandbox/run-sandbox.js'
import { sendSample } from '../src/sandbox/send-sample.js'
import { tempDir, waitFor } from './helpers.js'

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup()
  }
})

async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

describe('chatwire sandbox', () => {
  it('should deliver the sample message and print its delivery', async () => {
    const dir = tempDir()
    cleanups.push(() => dir.remove())
    // The shipped sandbox config with free ports, so the test never collides with a running sandbox.
    const config = parseYaml(readFileSync(join(import.meta.dirname, '../sandbox.yaml'), 'utf8'))
    const [enginePort, graphPort, serverPort] = [await freePort(), await freePort(), await freePort()]
    config.server.port = serverPort
    config.engine.target = `127.0.0.1:${enginePort}`
    config.securityHub.target = `127.0.0.1:${enginePort}`
    config.plugins[0].config.graphApiBaseUrl = `http://127.0.0.1:${graphPort}`
    config.logging.level = 'silent'
    const configFile = join(dir.path, 'sandbox.yaml')
    writeFileSync(configFile, stringifyYaml(config))

    const lines: string[] = []
    const sandbox: Sandbox = await startSandbox({
      configFile,
      print: (line) => lines.push(line),
    })
    cleanups.push(() => sandbox.close())
    expect(lines.join('\n')).toContain(`webhook URL:                                   ${sandbox.webhookUrl}`)
    expect(lines.join('\n')).toContain('npx -y pnpm@10.34.9 chatwire send-sample whatsapp')

    const sent = await sendSample({
      platform: 'whatsapp',
      url: sandbox.webhookUrl,
      text: 'where is my order',
    })
    expect(sent.status).toBe(200)

    await waitFor(() => lines.some((line) => line.includes(': delivered')), 10_000, 'the delivered line')
    expect(lines).toContain(
      '[graph capture] reply from 100000000000001 to 15550001234: Sure, what is your order number?',
    )
    expect(sandbox.server.store.path).toBe(join(dir.path, '.chatwire/chatwire.db'))
  })
})
