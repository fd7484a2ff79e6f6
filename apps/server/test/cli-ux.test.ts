import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { openSqliteStore } from '@chatwire/store-sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { STATIC_SANDBOX_CHANNEL, stackConfig, tempDir } from './helpers.js'
import { freePort } from './sandbox-config.js'

const executeFile = promisify(execFile)
const CLI = join(import.meta.dirname, '../dist/cli.js')
const SERVER_BIN = join(import.meta.dirname, '../bin/chatwire.js')
const ENGINE_BIN = join(import.meta.dirname, '../../reference-engine/bin/chatwire-reference-engine.js')

interface Outcome {
  code: number
  stdout: string
  stderr: string
}

/** Runs the built CLI and returns its exit code and output, whatever the exit code. */
async function chatwire(args: string[], options: { cwd?: string } = {}): Promise<Outcome> {
  return run(CLI, args, options)
}

async function run(script: string, args: string[], options: { cwd?: string } = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await executeFile(process.execPath, [script, ...args], {
      cwd: options.cwd,
      timeout: 20_000,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

let dir: { path: string; remove(): void }
let configFile: string
let storePath: string
const servers: Server[] = []

beforeEach(() => {
  dir = tempDir()
  storePath = join(dir.path, 'data', 'chatwire.db')
  const config = stackConfig({
    storePath: './data/chatwire.db',
    enginePort: 9,
    graphUrl: 'http://127.0.0.1:9',
  })
  config.securityHub = { target: '127.0.0.1:9', resolveChannels: true, timeoutMs: 500 }
  configFile = join(dir.path, 'chatwire.json')
  writeFileSync(configFile, JSON.stringify(config))
})

afterEach(async () => {
  for (const server of servers.splice(0)) {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  dir.remove()
})

describe('chatwire validate-config', () => {
  it('should not create a missing store file', async () => {
    const result = await chatwire(['validate-config', '-c', configFile])

    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`store ${storePath} (not created yet; ${dir.path} is writable)`)
    expect(existsSync(storePath)).toBe(false)
    expect(existsSync(join(dir.path, 'data'))).toBe(false)
  })

  it('should reject a store folder that cannot be created', async () => {
    writeFileSync(join(dir.path, 'data'), 'a file where the store folder should be')

    const result = await chatwire(['validate-config', '-c', configFile])

    expect(result.code).toBe(2)
    expect(result.stderr).toContain('/store/path:')
    expect(result.stderr).toContain(`${join(dir.path, 'data')} is a file`)
  })
})

describe('chatwire dlq usage errors', () => {
  it('should reject an unknown --queue', async () => {
    const result = await chatwire(['dlq', 'list', '-c', configFile, '--queue', 'inbond'])

    expect(result.code).toBe(2)
    expect(result.stderr).toContain("argument 'inbond' is invalid. Allowed choices are inbound, outbound.")
    expect(result.stdout).not.toContain('no dead letters')
  })

  it('should reject a negative --limit', async () => {
    const result = await chatwire(['dlq', 'list', '-c', configFile, '--limit', '-3'])

    expect(result.code).toBe(2)
    expect(result.stderr).toContain("option '--limit <count>' argument '-3' is invalid")
  })

  it('should reject a --limit that is not a whole number', async () => {
    for (const limit of ['0', '2.5', 'ten']) {
      const result = await chatwire(['dlq', 'list', '-c', configFile, '--limit', limit])
      expect(result.code, limit).toBe(2)
    }
  })

  it('should name an unknown replay id', async () => {
    const store = openSqliteStore({ path: storePath })
    await store.close()

    const result = await chatwire(['dlq', 'replay', '-c', configFile, 'nope-id'])

    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      'error CHATWIRE_ERR_SERVER_DEAD_LETTER_NOT_FOUND: dead letter nope-id not found; list ids with chatwire dlq list\n',
    )
  })

  it('should not create a missing store', async () => {
    const listed = await chatwire(['dlq', 'list', '-c', configFile])
    const replayed = await chatwire(['dlq', 'replay', '-c', configFile, 'nope-id'])

    expect(listed.code).toBe(0)
    expect(listed.stdout).toBe(`no dead letters: store ${storePath} does not exist yet\n`)
    expect(replayed.code).toBe(1)
    expect(replayed.stderr).toContain('dead letter nope-id not found: store')
    expect(existsSync(storePath)).toBe(false)
  })
})

describe('chatwire send-sample', () => {
  it('should explain a refused connection without a stack', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}/webhooks/whatsapp`

    const result = await chatwire(['send-sample', 'whatsapp', '--url', url])

    expect(result.code).toBe(1)
    expect(result.stderr).toBe(
      `error CHATWIRE_ERR_SERVER_WEBHOOK_UNREACHABLE: could not connect to ${url}: start the sandbox (npx -y pnpm@10.34.9 start) or pass --url\n`,
    )
  })

  it('should print the stack and cause with --debug', async () => {
    const url = `http://127.0.0.1:${await freePort()}/webhooks/whatsapp`

    const result = await chatwire(['--debug', 'send-sample', 'whatsapp', '--url', url])

    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^\s+at /m)
    expect(result.stderr).toContain('caused by: Error: connect ECONNREFUSED')
  })

  it('should write a body that inspect accepts', async () => {
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>
    delete config.securityHub
    config.channels = [STATIC_SANDBOX_CHANNEL]
    writeFileSync(configFile, JSON.stringify(config))
    const bodyFile = join(dir.path, 'sample.json')

    const written = await chatwire(['send-sample', 'whatsapp', '--text', 'captured', '--out', bodyFile])
    expect(written.code).toBe(0)
    const signature = /--header '(x-hub-signature-256: sha256=[0-9a-f]{64})'/.exec(written.stdout)?.[1]
    expect(signature).toBeDefined()

    // No Content-Type header: inspect assumes application/json for a JSON body.
    const inspected = await chatwire([
      'inspect',
      '-c',
      configFile,
      '--plugin',
      'whatsapp',
      '--body',
      bodyFile,
      '--header',
      signature ?? '',
    ])
    expect(inspected.code).toBe(0)
    const result = JSON.parse(inspected.stdout) as { status: number; events: { message: { text: string } }[] }
    expect(result.status).toBe(200)
    expect(result.events[0]?.message.text).toBe('captured')
    expect(inspected.stderr).toContain('Content-Type: application/json was used')
  })
})

describe('chatwire inspect', () => {
  it('should name securityHub.target when the hub is down', async () => {
    const bodyFile = join(dir.path, 'sample.json')
    await chatwire(['send-sample', 'whatsapp', '--out', bodyFile])

    const result = await chatwire(['inspect', '-c', configFile, '--plugin', 'whatsapp', '--body', bodyFile])

    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout).error.code).toBe('CHATWIRE_ERR_SERVER_CREDENTIALS_UNAVAILABLE')
    expect(result.stderr).toContain('securityHub.target 127.0.0.1:9')
    expect(result.stderr).toContain('Start the sandbox')
    expect(result.stderr).toContain('under channels')
  })

  it('should document the application/json default in --help', async () => {
    const result = await chatwire(['inspect', '--help'])
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(
      'a POST body that parses as JSON is sent as application/json',
    )
  })
})

describe('chatwire serve', () => {
  it('should name the port and server.port when the port is taken', async () => {
    const port = await freePort()
    const blocker = createServer()
    servers.push(blocker)
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve))
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { server: { port: number } }
    config.server.port = port
    writeFileSync(configFile, JSON.stringify(config))

    const result = await chatwire(['serve', '-c', configFile])

    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `error CHATWIRE_ERR_SERVER_LISTEN_FAILED: the server could not listen on 127.0.0.1:${port}: another process already listens on it. Stop the other process, or set server.port in ${configFile} to a free port.`,
    )
    expect(result.stderr).not.toMatch(/^\s+at /m)
  })
})

describe('committed bin files', () => {
  it('should run the built CLI', async () => {
    const result = await run(SERVER_BIN, ['--version'])
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('should print build instructions when dist is missing', async () => {
    for (const [bin, name] of [
      [SERVER_BIN, 'chatwire'],
      [ENGINE_BIN, 'chatwire-reference-engine'],
    ] as const) {
      const copy = join(dir.path, name, 'bin', `${name}.js`)
      mkdirSync(join(dir.path, name, 'bin'), { recursive: true })
      copyFileSync(bin, copy)

      const result = await run(copy, ['--help'])

      expect(result.code, name).toBe(1)
      expect(result.stderr, name).toContain(
        `${name}: ${join(dir.path, name, 'dist', 'cli.js')} does not exist yet`,
      )
      expect(result.stderr, name).toContain('run pnpm build first')
    }
  })

  it('should be what the package.json bin fields name', () => {
    const server = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'))
    const engine = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../reference-engine/package.json'), 'utf8'),
    )
    expect(server.bin).toEqual({ chatwire: './bin/chatwire.js' })
    expect(engine.bin).toEqual({ 'chatwire-reference-engine': './bin/chatwire-reference-engine.js' })
  })
})
