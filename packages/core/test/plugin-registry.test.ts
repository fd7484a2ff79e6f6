import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  ChatwireError,
  type ChatwirePlugin,
  definePlugin,
  type PluginProblem,
  PluginRegistry,
} from '../src/index.js'

// The fixture plugins are workspace packages linked into core's node_modules as devDependencies.
const coreDirectory = fileURLToPath(new URL('..', import.meta.url))

function registry(options: { coreVersion?: string } = {}) {
  return new PluginRegistry({ resolveFrom: coreDirectory, ...options })
}

async function problemsOf(load: Promise<unknown>): Promise<PluginProblem[]> {
  try {
    await load
  } catch (error) {
    if (error instanceof ChatwireError && error.code === 'CHATWIRE_ERR_PLUGIN_REGISTRY') {
      return (error.details?.problems ?? []) as PluginProblem[]
    }
    throw error
  }
  throw new Error('expected the load to fail')
}

const validConfig = { secrets: ['s3cret'], greeting: 'hello' }

function inlinePlugin(platform: string, route?: string): ChatwirePlugin<never> {
  return definePlugin({
    manifest: {
      name: `inline-${platform}`,
      version: '1.0.0',
      coreRange: '^0.1.0',
      platform,
      route,
      configSchema: { type: 'object' },
    },
    create: () => ({
      processor: {
        contentTypes: ['application/json'],
        handshake: () => undefined,
        verify: () => undefined,
        parse: () => [],
        acknowledge: () => ({ status: 200, headers: {}, body: '' }),
      },
    }),
  }) as ChatwirePlugin<never>
}

describe('PluginRegistry', () => {
  it('should load a workspace plugin by package name', async () => {
    const plugins = registry()
    const [loaded] = await plugins.load([{ package: '@chatwire-fixtures/plugin-echo', config: validConfig }])

    expect(loaded?.manifest.platform).toBe('echo')
    expect(loaded?.route).toBe('echo')
    expect(plugins.byRoute('echo')).toBe(loaded)
    expect(plugins.byPlatform('echo')).toBe(loaded)
    expect(loaded?.instance.processor.acknowledge({} as never, []).body).toBe('hello')
  })

  it('should apply config defaults without changing the caller object', async () => {
    const config = { ...validConfig }
    const [loaded] = await registry().load([{ package: '@chatwire-fixtures/plugin-echo', config }])

    expect(loaded?.config).toEqual({ ...validConfig, retries: 3 })
    expect(config).toEqual(validConfig)
    expect(Object.isFrozen(loaded?.config)).toBe(true)
  })

  it('should redact secret fields in the listed config', async () => {
    const [loaded] = await registry().load([
      { package: '@chatwire-fixtures/plugin-echo', config: validConfig },
    ])
    expect(loaded?.redactedConfig()).toEqual({ secrets: '[redacted]', greeting: 'hello', retries: 3 })
  })

  it('should list every ajv error by JSON pointer', async () => {
    const problems = await problemsOf(
      registry().load([
        { package: '@chatwire-fixtures/plugin-echo', config: { secrets: [], greting: 'typo', retries: -1 } },
      ]),
    )

    expect(problems.every((problem) => problem.code === 'CHATWIRE_ERR_PLUGIN_CONFIG_INVALID')).toBe(true)
    expect(problems.map((problem) => problem.pointer).sort()).toEqual(
      ['/config/greeting', '/config/greting', '/config/retries', '/config/secrets'].sort(),
    )
    const typo = problems.find((problem) => problem.pointer === '/config/greting')
    expect(typo?.fix).toBe('rename "greting" to "greeting", or remove it')
    const missing = problems.find((problem) => problem.pointer === '/config/greeting')
    expect(missing?.fix).toBe('add the property "greeting"')
  })

  it('should reject an incompatible core range with a coded problem', async () => {
    const problems = await problemsOf(
      registry().load([{ package: '@chatwire-fixtures/plugin-old-core', config: validConfig }]),
    )

    expect(problems).toHaveLength(1)
    expect(problems[0]?.code).toBe('CHATWIRE_ERR_PLUGIN_CORE_VERSION_MISMATCH')
    expect(problems[0]?.message).toContain('^9.0.0')
    expect(problems[0]?.message).toContain('0.1.0')
  })

  it('should accept the range when the host core version matches it', async () => {
    const [loaded] = await registry({ coreVersion: '9.2.0' }).load([
      { package: '@chatwire-fixtures/plugin-old-core', config: validConfig },
    ])
    expect(loaded?.manifest.platform).toBe('old-core')
  })

  it('should reject two plugins for one platform', async () => {
    const problems = await problemsOf(
      registry().load([
        { package: '@chatwire-fixtures/plugin-echo', config: validConfig },
        { package: '@chatwire-fixtures/plugin-echo-twin', config: validConfig, route: 'echo-2' },
      ]),
    )

    expect(problems.map((problem) => problem.code)).toEqual(['CHATWIRE_ERR_PLUGIN_DUPLICATE_PLATFORM'])
    expect(problems[0]?.plugin).toBe('@chatwire-fixtures/plugin-echo-twin')
    expect(problems[0]?.message).toContain('@chatwire-fixtures/plugin-echo')
  })

  it('should reject two plugins on one route', async () => {
    const problems = await problemsOf(
      registry().load([
        { plugin: inlinePlugin('alpha', 'shared') },
        { plugin: inlinePlugin('beta', 'shared') },
      ]),
    )
    expect(problems.map((problem) => problem.code)).toEqual(['CHATWIRE_ERR_PLUGIN_DUPLICATE_ROUTE'])
  })

  it('should report every problem of a load together and register nothing', async () => {
    const plugins = registry()
    const load = plugins.load([
      { package: '@chatwire-fixtures/plugin-echo', config: { greeting: 'hi' } },
      { package: '@chatwire-fixtures/plugin-old-core', config: validConfig },
      { package: '@chatwire-fixtures/not-installed' },
    ])
    const problems = await problemsOf(load)

    expect(problems.map((problem) => problem.code)).toEqual([
      'CHATWIRE_ERR_PLUGIN_CONFIG_INVALID',
      'CHATWIRE_ERR_PLUGIN_CORE_VERSION_MISMATCH',
      'CHATWIRE_ERR_PLUGIN_NOT_FOUND',
    ])
    expect(plugins.list()).toEqual([])
    await expect(load).rejects.toThrow(/3 plugin problem\(s\)/)
  })

  it('should reject a module that is not a plugin', async () => {
    const problems = await problemsOf(registry().load([{ plugin: { manifest: { name: 'x' } } as never }]))
    expect(problems.length).toBeGreaterThan(0)
    expect(problems.every((problem) => problem.code === 'CHATWIRE_ERR_PLUGIN_INVALID')).toBe(true)
  })

  it('should keep registries apart', async () => {
    const first = registry()
    const second = registry()
    await first.load([{ package: '@chatwire-fixtures/plugin-echo', config: validConfig }])
    expect(second.list()).toEqual([])
    await expect(
      second.load([{ package: '@chatwire-fixtures/plugin-echo', config: validConfig }]),
    ).resolves.toHaveLength(1)
  })

  it('should report a failing create() as a load problem', async () => {
    const failing = definePlugin({
      manifest: { ...inlinePlugin('gamma').manifest, name: 'failing' },
      create: () => {
        throw new Error('token expired')
      },
    })
    const problems = await problemsOf(registry().load([{ plugin: failing as ChatwirePlugin<never> }]))
    expect(problems[0]?.code).toBe('CHATWIRE_ERR_PLUGIN_LOAD_FAILED')
    expect(problems[0]?.message).toContain('token expired')
  })
})

describe('definePlugin', () => {
  it('should throw a coded error for a bad manifest', () => {
    let caught: unknown
    try {
      definePlugin({
        manifest: { name: 'x', version: '1', coreRange: '^0.1.0', platform: 'Bad Id', configSchema: {} },
        create: () => ({}) as never,
      })
    } catch (error) {
      caught = error
    }
    expect((caught as ChatwireError).code).toBe('CHATWIRE_ERR_PLUGIN_INVALID')
    expect((caught as ChatwireError).message).toContain('manifest.platform')
  })
})
