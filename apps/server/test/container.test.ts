import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveConfig } from '../src/config/load.js'
import { createServerContainer, resolveWiring, TOKENS } from '../src/container.js'
import { createLogger } from '../src/logger.js'
import { ChatwireServer } from '../src/server.js'
import { stackConfig, tempDir } from './helpers.js'

const run = promisify(execFile)
const CLI = join(import.meta.dirname, '../dist/cli.js')
const dirs: { remove(): void }[] = []

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    dir.remove()
  }
})

function config(dir: string): Record<string, unknown> {
  return stackConfig({
    storePath: join(dir, 'chatwire.db'),
    enginePort: 50999,
    graphUrl: 'http://127.0.0.1:9',
  })
}

describe('composition root', () => {
  it('should resolve the whole graph under vitest without decorator metadata', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const container = createServerContainer(resolveConfig(config(dir.path), { env: {} }), {
      logger: createLogger({ level: 'silent' }),
    })

    expect(resolveWiring(container)).toEqual(Object.keys(TOKENS))
    const server = container.resolve(TOKENS.server)
    expect(server).toBeInstanceOf(ChatwireServer)
    expect(container.resolve(TOKENS.server)).toBe(server)
    expect(container.resolve(TOKENS.store)).toBe(server.store)
    expect(container.resolve(TOKENS.securityHub)).toBeDefined()
    await server.stop('test finished')
  })

  it('should pass the store options from the config', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const inline = { ...config(dir.path), store: { path: join(dir.path, 'inline.db'), backgroundCheckpoints: false } }
    const logger = createLogger({ level: 'silent' })
    const defaults = createServerContainer(resolveConfig(config(dir.path), { env: {} }), { logger })
    const overridden = createServerContainer(resolveConfig(inline, { env: {} }), { logger })

    const store = defaults.resolve(TOKENS.store)
    const inlineStore = overridden.resolve(TOKENS.store)

    expect(await store.settings()).toMatchObject({ synchronous: 'full', checkpoints: 'background' })
    expect(await inlineStore.settings()).toMatchObject({ checkpoints: 'inline', walAutocheckpointPages: 1000 })
    await defaults.resolve(TOKENS.server).stop()
    await overridden.resolve(TOKENS.server).stop()
  })

  it('should keep two containers apart', async () => {
    const first = tempDir()
    const second = tempDir()
    dirs.push(first, second)
    const logger = createLogger({ level: 'silent' })
    const a = createServerContainer(resolveConfig(config(first.path), { env: {} }), { logger })
    const b = createServerContainer(resolveConfig(config(second.path), { env: {} }), { logger })
    expect(a.resolve(TOKENS.metrics)).not.toBe(b.resolve(TOKENS.metrics))
    await a.resolve(TOKENS.server).stop()
    await b.resolve(TOKENS.server).stop()
  })

  it('should resolve the whole graph in the built CLI', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const file = join(dir.path, 'chatwire.json')
    writeFileSync(file, JSON.stringify(config(dir.path)))

    const { stdout } = await run(process.execPath, [CLI, 'validate-config', '--config', file])
    expect(stdout).toContain(`${Object.keys(TOKENS).length} components wired`)
    expect(stdout).toContain('1 plugin(s)')
  })
})
