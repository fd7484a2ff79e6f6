import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { ChatwireError } from '@chatwire/core'
import { afterEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../src/sandbox/run-sandbox.js'
import { sendSample } from '../src/sandbox/send-sample.js'
import { tempDir, waitFor } from './helpers.js'
import { freeSandboxPorts, writeSandboxConfig } from './sandbox-config.js'

const execute = promisify(execFile)
const CLI = join(import.meta.dirname, '../dist/cli.js')

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup()
  }
})

function scratchDir(): string {
  const dir = tempDir()
  cleanups.push(() => dir.remove())
  return dir.path
}

async function occupy(port: number): Promise<void> {
  const blocker: Server = createServer()
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
}

async function startFailure(configFile: string): Promise<ChatwireError> {
  const failure = await startSandbox({ configFile, print: () => {} }).then(
    async (sandbox) => {
      await sandbox.close()
      throw new Error('the sandbox started on a taken port')
    },
    (error: unknown) => error as ChatwireError,
  )
  return failure
}

describe('chatwire sandbox store path', () => {
  it('should resolve store.path against the config folder', async () => {
    const dir = scratchDir()
    const configFile = writeSandboxConfig(dir, await freeSandboxPorts())
    const sandbox = await startSandbox({ configFile, print: () => {} })
    cleanups.push(() => sandbox.close())

    expect(process.cwd()).not.toBe(dir)
    expect(sandbox.server.store.path).toBe(join(dir, '.chatwire/chatwire.db'))
  })

  it('should share its dead letters with dlq list', async () => {
    const dir = scratchDir()
    const configFile = writeSandboxConfig(dir, await freeSandboxPorts())
    const sandbox = await startSandbox({ configFile, print: () => {} })
    cleanups.push(() => sandbox.close())
    const { queue } = sandbox.server.store
    const {
      enqueued: [jobId],
    } = await queue.enqueue('manual-test', [{ payload: { note: 'dead on arrival' } }])
    await queue.lease('manual-test', { max: 1, leaseMs: 5000 })
    await queue.deadLetter(jobId ?? '', 'failed on purpose')

    // Another working directory, as when the user runs the CLI from the repository root.
    const listed = await execute(process.execPath, [CLI, 'dlq', 'list', '-c', configFile, '--json'], {
      cwd: scratchDir(),
    })
    const { deadLetters } = JSON.parse(listed.stdout) as { deadLetters: { id: string; lastError: string }[] }
    expect(deadLetters.map((letter) => letter.id)).toEqual([jobId])
    expect(deadLetters[0]?.lastError).toBe('failed on purpose')
  })
})

describe('chatwire sandbox output', () => {
  it('should print commands for its own webhook URL', async () => {
    const dir = scratchDir()
    const configFile = writeSandboxConfig(dir, await freeSandboxPorts())
    const lines: string[] = []
    const sandbox = await startSandbox({ configFile, print: (line) => lines.push(line), cwd: dir })
    cleanups.push(() => sandbox.close())
    const banner = lines.join('\n')

    expect(banner).toContain(
      `  npx -y pnpm@10.34.9 chatwire send-sample whatsapp --text "hello" --url ${sandbox.webhookUrl}\n`,
    )
    expect(banner).not.toMatch(/^\s*pnpm chatwire/m)
    expect(banner).toContain(`${sandbox.server.url}/admin/dead-letters`)
    expect(banner).toContain('Bearer sandbox-admin-key')
    expect(banner).toContain(`curl ${sandbox.server.url}/metrics`)
    expect(banner).toContain('npx -y pnpm@10.34.9 chatwire dlq list -c sandbox.yaml')
  })

  it('should echo each inbound message', async () => {
    const dir = scratchDir()
    const configFile = writeSandboxConfig(dir, await freeSandboxPorts())
    const lines: string[] = []
    const sandbox = await startSandbox({ configFile, print: (line) => lines.push(line) })
    cleanups.push(() => sandbox.close())

    const sent = await sendSample({ platform: 'whatsapp', url: sandbox.webhookUrl, text: 'hi there' })
    expect(sent.status).toBe(200)
    const echo = `[chatwire] received ${sent.messageId} from 15550001234: "hi there"`
    await waitFor(() => lines.includes(echo), 10_000, 'the inbound echo')
    await waitFor(() => lines.some((line) => line.startsWith('[graph capture] reply')), 10_000, 'the reply')
    expect(lines.indexOf(echo)).toBeLessThan(
      lines.findIndex((line) => line.startsWith('[graph capture] reply')),
    )
  })

  it('should print log lines as plain text', async () => {
    const dir = scratchDir()
    const ports = await freeSandboxPorts()
    const configFile = writeSandboxConfig(dir, ports, 'info')
    const lines: string[] = []
    const sandbox = await startSandbox({ configFile, print: (line) => lines.push(line) })
    cleanups.push(() => sandbox.close())

    const listening = lines.find((line) => line.includes('chatwire server listening'))
    expect(listening).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}chatwire server listening {2}url=http:\/\/127\.0\.0\.1:\d+/,
    )
    expect(lines.some((line) => line.startsWith('{'))).toBe(false)
  })
})

describe('chatwire sandbox bind failures', () => {
  it('should name server.port when the server port is taken', async () => {
    const ports = await freeSandboxPorts()
    const configFile = writeSandboxConfig(scratchDir(), ports)
    await occupy(ports.server)

    const error = await startFailure(configFile)
    expect(error.code).toBe('CHATWIRE_ERR_SERVER_LISTEN_FAILED')
    expect(error.message).toContain(`127.0.0.1:${ports.server}`)
    expect(error.message).toContain('server.port')
    expect(error.message).toContain('chatwire sandbox -c FILE')
  })

  it('should name graphApiBaseUrl when the capture port is taken', async () => {
    const ports = await freeSandboxPorts()
    const configFile = writeSandboxConfig(scratchDir(), ports)
    await occupy(ports.graph)

    const error = await startFailure(configFile)
    expect(error.code).toBe('CHATWIRE_ERR_SERVER_LISTEN_FAILED')
    expect(error.message).toContain(`127.0.0.1:${ports.graph}`)
    expect(error.message).toContain('graphApiBaseUrl')
  })

  it('should name engine.target when the engine port is taken', async () => {
    const ports = await freeSandboxPorts()
    const configFile = writeSandboxConfig(scratchDir(), ports)
    await occupy(ports.engine)

    const error = await startFailure(configFile)
    expect(error.code).toBe('CHATWIRE_ERR_SERVER_LISTEN_FAILED')
    expect(error.message).toContain(`127.0.0.1:${ports.engine}`)
    expect(error.message).toContain('engine.target')
  })

  it('should leave no listener behind after a failed start', async () => {
    const ports = await freeSandboxPorts()
    const configFile = writeSandboxConfig(scratchDir(), ports)
    await occupy(ports.server)
    await startFailure(configFile)

    // The engine and capture ports were released, so binding them again succeeds.
    await occupy(ports.engine)
    await occupy(ports.graph)
  })

  it('should print the coded error without a stack from the built CLI', async () => {
    const ports = await freeSandboxPorts()
    const configFile = writeSandboxConfig(scratchDir(), ports)
    await occupy(ports.server)

    const outcome = await execute(process.execPath, [CLI, 'sandbox', '-c', configFile]).catch(
      (error: { code: number; stderr: string }) => error,
    )
    const { code, stderr } = outcome as { code?: number; stderr: string }
    expect(code).toBe(1)
    expect(stderr).toContain('error CHATWIRE_ERR_SERVER_LISTEN_FAILED: the server could not listen on')
    expect(stderr).not.toMatch(/^\s+at /m)
  })
})

describe('chatwire sandbox shutdown', () => {
  it('should print stopping and stopped on SIGINT', async () => {
    const dir = scratchDir()
    const configFile = writeSandboxConfig(dir, await freeSandboxPorts())
    const child: ChildProcess = spawn(process.execPath, [CLI, 'sandbox', '-c', configFile], { cwd: dir })
    cleanups.push(() => {
      if (child.exitCode === null) {
        child.kill('SIGKILL')
      }
    })
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8')
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

    await waitFor(() => stdout.includes('Press Ctrl+C to stop.'), 15_000, 'the sandbox banner')
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(stdout).toMatch(/stopping…\nsandbox stopped\n$/)
    expect(existsSync(join(dir, '.chatwire/chatwire.db'))).toBe(true)
  })
})
