import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ChatwireError, handleWebhook, PluginRegistry, silentLogger, systemClock } from '@chatwire/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import whatsappPlugin, {
  DEFAULT_GRAPH_API_BASE_URL,
  DEFAULT_GRAPH_API_VERSION,
  DEFAULT_SEND_TIMEOUT_MS,
  PLUGIN_VERSION,
  resolveWhatsAppConfig,
} from '../src/index.js'
import {
  APP_SECRET,
  inboundMessage,
  PHONE_NUMBER_ID,
  USER_WA_ID,
  VERIFY_TOKEN,
  webhookRequest,
} from './fixtures.js'
import { GraphServer } from './graph-server.js'

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..')

describe('plugin manifest', () => {
  it('should match package.json', async () => {
    const manifest = JSON.parse(await readFile(join(packageDirectory, 'package.json'), 'utf8')) as {
      name: string
      version: string
      peerDependencies: Record<string, string>
    }

    expect(whatsappPlugin.manifest.name).toBe(manifest.name)
    expect(PLUGIN_VERSION).toBe(manifest.version)
    expect(whatsappPlugin.manifest.version).toBe(manifest.version)
    expect(whatsappPlugin.manifest.coreRange).toBe(manifest.peerDependencies['@chatwire/core'])
    expect(whatsappPlugin.manifest.platform).toBe('whatsapp')
  })
})

describe('resolveWhatsAppConfig', () => {
  it('should fill in the defaults', () => {
    const config = resolveWhatsAppConfig({ verifyToken: VERIFY_TOKEN })

    expect(config).toEqual({
      appSecrets: [],
      verifyToken: VERIFY_TOKEN,
      graphApiBaseUrl: DEFAULT_GRAPH_API_BASE_URL,
      graphApiVersion: DEFAULT_GRAPH_API_VERSION,
      sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
    })
  })

  it('should not change the input', () => {
    const input = { verifyToken: VERIFY_TOKEN }

    resolveWhatsAppConfig(input)

    expect(input).toEqual({ verifyToken: VERIFY_TOKEN })
  })

  it('should list every problem', () => {
    let error: unknown
    try {
      resolveWhatsAppConfig({ appSecrets: 'one', graphApiVersion: '23', sendTimeoutMs: 0, extra: true })
    } catch (reason) {
      error = reason
    }

    expect(error).toBeInstanceOf(ChatwireError)
    expect((error as ChatwireError).code).toBe('CHATWIRE_ERR_WHATSAPP_CONFIG_INVALID')
    const problems = ((error as ChatwireError).details?.problems ?? []) as { pointer: string }[]
    const pointers = problems.map((problem) => problem.pointer)
    expect(pointers.sort()).toEqual([
      '/appSecrets',
      '/extra',
      '/graphApiVersion',
      '/sendTimeoutMs',
      '/verifyToken',
    ])
  })
})

describe('loading through PluginRegistry', () => {
  const graph = new GraphServer()
  let hostDirectory: string

  beforeAll(async () => {
    await graph.start()
    graph.handler = (_request, response) =>
      GraphServer.json(response, 200, { messaging_product: 'whatsapp', messages: [{ id: 'wamid.REG1' }] })
    // A host directory whose node_modules contains the plugin, as after `pnpm add @chatwire/plugin-whatsapp`.
    hostDirectory = await mkdtemp(join(tmpdir(), 'chatwire-whatsapp-host-'))
    await mkdir(join(hostDirectory, 'node_modules', '@chatwire'), { recursive: true })
    await symlink(
      packageDirectory,
      join(hostDirectory, 'node_modules', '@chatwire', 'plugin-whatsapp'),
      'dir',
    )
  })

  afterAll(async () => {
    await graph.stop()
    await rm(hostDirectory, { recursive: true, force: true })
  })

  it('should load by package name and serve webhooks and sends', async () => {
    const registry = new PluginRegistry({
      resolveFrom: hostDirectory,
      createContext: () => ({ logger: silentLogger, clock: systemClock }),
    })

    const [loaded] = await registry.load([
      {
        package: '@chatwire/plugin-whatsapp',
        config: {
          appSecrets: [APP_SECRET],
          verifyToken: VERIFY_TOKEN,
          accessToken: 'registry-token',
          graphApiBaseUrl: graph.origin,
        },
      },
    ])

    expect(loaded?.route).toBe('whatsapp')
    expect(loaded?.config).toMatchObject({
      graphApiVersion: DEFAULT_GRAPH_API_VERSION,
      sendTimeoutMs: 10_000,
    })
    expect(loaded?.redactedConfig()).toMatchObject({
      appSecrets: '[redacted]',
      verifyToken: '[redacted]',
      accessToken: '[redacted]',
      graphApiBaseUrl: graph.origin,
    })

    const result = await handleWebhook(
      loaded!.instance.processor,
      webhookRequest(inboundMessage({ id: 'wamid.REG0', type: 'text', text: { body: 'hi' } })),
    )
    expect(result.response.status).toBe(200)
    expect(result.events.map((event) => event.platformMessageId)).toEqual(['wamid.REG0'])

    const outcome = await loaded!.instance.sender!.send({
      platform: 'whatsapp',
      channelAccountId: PHONE_NUMBER_ID,
      recipientId: USER_WA_ID,
      content: { type: 'text', text: 'hello' },
    })
    expect(outcome).toEqual({ status: 'sent', platformMessageId: 'wamid.REG1' })
    expect(graph.requests.at(-1)?.url).toBe(`/${DEFAULT_GRAPH_API_VERSION}/${PHONE_NUMBER_ID}/messages`)
    expect(graph.requests.at(-1)?.headers.authorization).toBe('Bearer registry-token')

    await registry.close()
  })

  it('should report config problems at start-up', async () => {
    const registry = new PluginRegistry({ resolveFrom: hostDirectory })

    const error = await registry
      .load([{ package: '@chatwire/plugin-whatsapp', config: { appSecrets: [APP_SECRET] } }])
      .catch((reason: unknown) => reason)

    expect((error as ChatwireError).code).toBe('CHATWIRE_ERR_PLUGIN_REGISTRY')
    expect((error as ChatwireError).details?.problems).toEqual([
      expect.objectContaining({ code: 'CHATWIRE_ERR_PLUGIN_CONFIG_INVALID', pointer: '/config/verifyToken' }),
    ])
  })
})
