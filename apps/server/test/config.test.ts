// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${NAME}` strings are the config syntax under test
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ChatwireError, silentLogger, systemClock } from '@chatwire/core'
import { Agent } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { loadConfigReportingAll } from '../src/config/check.js'
import { substituteEnv } from '../src/config/env.js'
import { loadConfigFile, resolveConfig } from '../src/config/load.js'
import { createPluginRegistry, loadPlugins } from '../src/plugins.js'
import { tempDir } from './helpers.js'

const dirs: { remove(): void }[] = []
const host = { logger: silentLogger, clock: systemClock, dispatcher: new Agent() }
afterAll(async () => {
  await host.dispatcher.close()
})

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    dir.remove()
  }
})

function problemsOf(run: () => unknown): { code: string; pointer: string }[] {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ChatwireError)
    return (error as ChatwireError).details?.problems as { code: string; pointer: string }[]
  }
  throw new Error('expected the config to be rejected')
}

describe('substituteEnv', () => {
  it('should replace references and apply fallbacks', () => {
    const problems: never[] = []
    const result = substituteEnv(
      { a: '${A}', b: ['x-${B:-fallback}-y'], c: 3, d: '$${LITERAL}' },
      { A: 'alpha' },
      problems,
    )
    expect(result).toEqual({ a: 'alpha', b: ['x-fallback-y'], c: 3, d: '${LITERAL}' })
    expect(problems).toEqual([])
  })

  it('should report each missing variable at its pointer', () => {
    const problems: { pointer: string }[] = []
    substituteEnv(
      { plugins: [{ config: { 'a/b': '${MISSING_ONE}' } }], x: '${MISSING_TWO}' },
      {},
      problems as never,
    )
    expect(problems.map((problem) => problem.pointer)).toEqual(['/plugins/0/config/a~1b', '/x'])
  })
})

describe('resolveConfig', () => {
  it('should fill in working sandbox defaults for an empty config', () => {
    const { config } = resolveConfig({}, { baseDir: '/srv/chatwire', env: {} })
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 8080,
      bodyLimitBytes: 4194304,
      rateLimit: { points: 100, durationSeconds: 1 },
      shutdownTimeoutMs: 10000,
      trustProxy: false,
    })
    expect(config.store.path).toBe('/srv/chatwire/.chatwire/chatwire.db')
    expect(config.store.synchronous).toBe('full')
    expect(config.store.backgroundCheckpoints).toBe(true)
    expect(config.engine.target).toBe('127.0.0.1:50051')
    expect(config.engine.security).toBe('insecure')
    expect(config.workers.maxAttempts).toBe(8)
    expect(config.workers.backoff).toEqual({ initialDelayMs: 500, maxDelayMs: 60000 })
    expect(config.securityHub).toBeUndefined()
    expect(Object.isFrozen(config.workers.backoff)).toBe(true)
  })

  it('should report every problem at once with its pointer', () => {
    const problems = problemsOf(() =>
      resolveConfig(
        {
          server: { port: 70000, extra: true },
          engine: { target: 'no-port', security: 'plaintext' },
          plugins: [{ config: { token: '${NOT_SET}' } }],
        },
        { env: {} },
      ),
    )
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'CHATWIRE_ERR_CONFIG_ENV_MISSING',
          pointer: '/plugins/0/config/token',
        }),
        expect.objectContaining({ code: 'CHATWIRE_ERR_CONFIG_INVALID', pointer: '/server/port' }),
        expect.objectContaining({ code: 'CHATWIRE_ERR_CONFIG_INVALID', pointer: '/server/extra' }),
        expect.objectContaining({ code: 'CHATWIRE_ERR_CONFIG_INVALID', pointer: '/engine/target' }),
        expect.objectContaining({ code: 'CHATWIRE_ERR_CONFIG_INVALID', pointer: '/engine/security' }),
        expect.objectContaining({ code: 'CHATWIRE_ERR_CONFIG_INVALID', pointer: '/plugins/0/package' }),
      ]),
    )
    expect(problems).toHaveLength(6)
  })

  it('should reject a dedup TTL under 48 hours', () => {
    const problems = problemsOf(() => resolveConfig({ store: { dedupTtlHours: 1 } }, { env: {} }))
    expect(problems.map((problem) => problem.pointer)).toEqual(['/store/dedupTtlHours'])
  })
})

describe('loadConfigFile', () => {
  it('should read YAML and JSON and resolve paths from the file folder', () => {
    const dir = tempDir()
    dirs.push(dir)
    writeFileSync(join(dir.path, 'a.yaml'), 'store:\n  path: data/a.db\nengine:\n  target: ${ENGINE}\n')
    writeFileSync(join(dir.path, 'b.json'), JSON.stringify({ server: { port: 9000 } }))

    const yaml = loadConfigFile(join(dir.path, 'a.yaml'), { env: { ENGINE: 'engine.internal:443' } })
    expect(yaml.config.store.path).toBe(join(dir.path, 'data/a.db'))
    expect(yaml.config.engine.target).toBe('engine.internal:443')
    expect(loadConfigFile(join(dir.path, 'b.json')).config.server.port).toBe(9000)
  })

  it('should name a missing file and a syntax error by code', () => {
    const dir = tempDir()
    dirs.push(dir)
    writeFileSync(join(dir.path, 'broken.yaml'), 'server: [unclosed\n')
    expect(() => loadConfigFile(join(dir.path, 'nope.yaml'))).toThrow(
      expect.objectContaining({ code: 'CHATWIRE_ERR_CONFIG_NOT_FOUND' }),
    )
    expect(() => loadConfigFile(join(dir.path, 'broken.yaml'))).toThrow(
      expect.objectContaining({ code: 'CHATWIRE_ERR_CONFIG_UNREADABLE' }),
    )
  })

  it('should reject a plugin body limit over the server limit', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const file = join(dir.path, 'chatwire.yaml')
    writeFileSync(
      file,
      [
        'server: { bodyLimitBytes: 1000 }',
        'plugins:',
        "  - package: '@chatwire/plugin-whatsapp'",
        '    bodyLimitBytes: 2000',
        "    config: { appSecrets: ['s'], verifyToken: 'v' }",
      ].join('\n'),
    )
    const error = await loadConfigReportingAll(file, { env: {} })
      .then((loaded) => loadPlugins(createPluginRegistry(loaded, host), loaded))
      .catch((reason: unknown) => reason)
    const problems = (error as ChatwireError).details?.problems as { pointer: string }[]
    expect(problems.map((problem) => problem.pointer)).toEqual(['/plugins/0/bodyLimitBytes'])
  })

  it('should report server and plugin problems together', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const file = join(dir.path, 'chatwire.yaml')
    writeFileSync(
      file,
      [
        'server: { port: -1 }',
        'plugins:',
        "  - package: '@chatwire/plugin-whatsapp'",
        '    config: { graphApiBaseUrl: 42 }',
        "  - package: '@chatwire/plugin-missing'",
      ].join('\n'),
    )
    const error = await loadConfigReportingAll(file, { env: {} }).catch((reason: unknown) => reason)
    const problems = (error as ChatwireError).details?.problems as { code: string; pointer: string }[]
    expect(problems.map((problem) => [problem.code, problem.pointer])).toEqual(
      expect.arrayContaining([
        ['CHATWIRE_ERR_CONFIG_INVALID', '/server/port'],
        ['CHATWIRE_ERR_PLUGIN_CONFIG_INVALID', '/plugins/0/config/verifyToken'],
        ['CHATWIRE_ERR_PLUGIN_CONFIG_INVALID', '/plugins/0/config/graphApiBaseUrl'],
        ['CHATWIRE_ERR_PLUGIN_NOT_FOUND', '/plugins/1/package'],
      ]),
    )
  })
})
