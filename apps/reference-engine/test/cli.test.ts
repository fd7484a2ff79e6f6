import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { SecurityHubClient } from '@chatwire/grpc-clients'
import { describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const sandbox = fileURLToPath(new URL('../sandbox.yaml', import.meta.url))

describe('reference engine CLI', () => {
  it('should serve the sandbox data by default and stop on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, '--address', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    // The async iterator buffers lines, so none is lost when two arrive in one chunk.
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    const started = JSON.parse((await lines.next()).value as string) as { msg: string; address: string }
    expect(started.msg).toBe('reference engine listening')
    const loaded = JSON.parse((await lines.next()).value as string) as unknown
    expect(loaded).toMatchObject({ msg: 'reference engine data loaded', dataFile: sandbox })

    const hub = new SecurityHubClient({ target: started.address, security: 'insecure' })
    try {
      await expect(hub.validateApiKey({ apiKey: 'sandbox-admin-key' })).resolves.toMatchObject({
        valid: true,
      })
    } finally {
      await hub.close()
      child.kill('SIGTERM')
    }

    const [exitCode] = (await once(child, 'exit')) as [number | null]
    expect(exitCode).toBe(0)
  })

  it('should exit with an error on an invalid address', async () => {
    const child = spawn(process.execPath, [cli, '--address', 'nowhere'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })

    const [exitCode] = (await once(child, 'exit')) as [number | null]

    expect(exitCode).toBe(1)
    expect(output).toContain('Invalid --address')
  })
})
