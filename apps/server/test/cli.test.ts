import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/program.js'
import { signWhatsappBody, whatsappTextWebhook } from '../src/sandbox/whatsapp-sample.js'
import { STATIC_SANDBOX_CHANNEL, stackConfig, tempDir } from './helpers.js'

const execute = promisify(execFile)
const CLI = join(import.meta.dirname, '../dist/cli.js')

let dir: { path: string; remove(): void }
let configFile: string
let bodyFile: string
const body = whatsappTextWebhook({ messageId: 'wamid.inspect1', text: 'hello', timestamp: 1_800_000_000 })

beforeEach(() => {
  dir = tempDir()
  const config = stackConfig({
    storePath: join(dir.path, 'chatwire.db'),
    enginePort: 50999,
    graphUrl: 'http://127.0.0.1:9',
  })
  delete config.securityHub
  config.channels = [STATIC_SANDBOX_CHANNEL]
  configFile = join(dir.path, 'chatwire.yaml')
  writeFileSync(configFile, JSON.stringify(config))
  bodyFile = join(dir.path, 'body.json')
  writeFileSync(bodyFile, body)
})

afterEach(() => {
  dir.remove()
})

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(args, { out: (text) => out.push(text), err: (text) => err.push(text) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('chatwire inspect', () => {
  it('should accept a signed webhook and print its events', async () => {
    const result = await cli([
      'inspect',
      '--config',
      configFile,
      '--plugin',
      'whatsapp',
      '--body',
      bodyFile,
      '--header',
      'Content-Type: application/json',
      '--header',
      `X-Hub-Signature-256: ${signWhatsappBody(body, 'sandbox-app-secret')}`,
    ])
    expect(result.code).toBe(0)
    const printed = JSON.parse(result.out) as {
      accepted: boolean
      status: number
      events: { kind: string; platformMessageId: string }[]
    }
    expect(printed.accepted).toBe(true)
    expect(printed.status).toBe(200)
    expect(printed.events).toHaveLength(1)
    expect(printed.events[0]?.kind).toBe('message.received')
    expect(printed.events[0]?.platformMessageId).toBe('wamid.inspect1')
  })

  it('should exit 1 with the rejection for a bad signature', async () => {
    const result = await cli([
      'inspect',
      '-c',
      configFile,
      '--plugin',
      'whatsapp',
      '--body',
      bodyFile,
      '--header',
      'Content-Type: application/json',
      '--header',
      `X-Hub-Signature-256: ${signWhatsappBody(body, 'another-secret')}`,
    ])
    expect(result.code).toBe(1)
    const printed = JSON.parse(result.out) as { status: number; error: { code: string }; events: unknown[] }
    expect(printed.status).toBe(401)
    expect(printed.error.code).toBe('CHATWIRE_ERR_SIGNATURE_INVALID')
    expect(printed.events).toEqual([])
  })

  it('should respond to a handshake GET with its query', async () => {
    const result = await cli([
      'inspect',
      '-c',
      configFile,
      '--plugin',
      'whatsapp',
      '--body',
      bodyFile,
      '--method',
      'GET',
      '--query',
      '?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=42',
      '--now',
      '1800000000',
    ])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.out)).toMatchObject({ status: 200, body: '42', stage: 'handshake' })
  })

  it('should exit 2 for an unknown plugin route', async () => {
    const result = await cli(['inspect', '-c', configFile, '--plugin', 'slack', '--body', bodyFile])
    expect(result.code).toBe(2)
    expect(result.err).toContain('CHATWIRE_ERR_SERVER_CLI_USAGE')
  })

  it('should run from the built CLI', async () => {
    const outcome = await execute(process.execPath, [
      CLI,
      'inspect',
      '-c',
      configFile,
      '--plugin',
      'whatsapp',
      '--body',
      bodyFile,
      '--header',
      'content-type: application/json',
    ]).catch((error: { code: number; stdout: string }) => error)
    expect((outcome as { code?: number }).code).toBe(1)
    expect(JSON.parse((outcome as { stdout: string }).stdout).error.code).toBe(
      'CHATWIRE_ERR_SIGNATURE_MISSING',
    )
  })
})

describe('chatwire plugins and dlq', () => {
  it('should list plugins with versions and routes', async () => {
    const result = await cli(['plugins', '-c', configFile, '--json'])
    expect(result.code).toBe(0)
    const { plugins } = JSON.parse(result.out) as {
      plugins: { name: string; webhookPath: string; config: { appSecrets: string[] } }[]
    }
    expect(plugins[0]).toMatchObject({ name: '@chatwire/plugin-whatsapp', webhookPath: '/webhooks/whatsapp' })
    expect(JSON.stringify(plugins[0]?.config)).not.toContain('sandbox-app-secret')
  })

  it('should list an empty dead-letter queue and reject replay without ids', async () => {
    expect((await cli(['dlq', 'list', '-c', configFile])).out).toContain('no dead letters')
    const replay = await cli(['dlq', 'replay', '-c', configFile])
    expect(replay.code).toBe(2)
    expect(replay.err).toContain('CHATWIRE_ERR_SERVER_CLI_USAGE')
  })

  it('should exit 2 for an unknown command', async () => {
    expect((await cli(['explode'])).code).toBe(2)
  })
})
