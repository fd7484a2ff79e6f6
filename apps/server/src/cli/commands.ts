import { readFileSync } from 'node:fs'
import { openSqliteStore } from '@chatwire/store-sqlite'
import { Agent } from 'undici'
import { loadConfigReportingAll } from '../config/check.js'
import type { LoadedConfig } from '../config/types.js'
import { createServer, createServerContainer, resolveWiring, TOKENS } from '../container.js'
import { createServerError } from '../error-codes.js'
import { inspectWebhook } from '../inspect.js'
import { createLogger } from '../logger.js'
import { describePlugins } from '../plugin-listing.js'
import { createPluginRegistry, loadPlugins } from '../plugins.js'
import { startSandbox } from '../sandbox/run-sandbox.js'
import { sendSample } from '../sandbox/send-sample.js'
import { type CliIo, EXIT_FAILED, EXIT_OK } from './output.js'

function load(configFile: string): Promise<LoadedConfig> {
  return loadConfigReportingAll(configFile)
}

/** Waits for SIGTERM or SIGINT, then runs `stop`; a second signal exits at once. */
function onShutdownSignal(stop: (signal: string) => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false
    const handler = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.exit(EXIT_FAILED)
      }
      stopping = true
      void stop(signal).finally(resolve)
    }
    process.on('SIGTERM', handler)
    process.on('SIGINT', handler)
  })
}

export async function serveCommand(configFile: string): Promise<number> {
  const loaded = await load(configFile)
  const server = createServer(loaded)
  try {
    await server.start()
  } catch (error) {
    await server.stop('start failed')
    throw error
  }
  await onShutdownSignal((signal) => server.stop(`received ${signal}`))
  return EXIT_OK
}

export async function validateConfigCommand(io: CliIo, configFile: string): Promise<number> {
  const loaded = await load(configFile)
  const logger = createLogger({ level: 'silent' })
  const dispatcher = new Agent()
  const registry = createPluginRegistry(loaded, { logger, clock: { now: () => Date.now() }, dispatcher })
  let pluginCount: number
  try {
    pluginCount = (await loadPlugins(registry, loaded)).length
  } finally {
    await registry.close()
    await dispatcher.close()
  }

  // Building the whole object graph proves the wiring and that the store file can be opened.
  const container = createServerContainer(loaded, { logger })
  const components = resolveWiring(container)
  await container.resolve(TOKENS.server).stop('validate-config finished')
  io.out(
    `config ${loaded.file} is valid: ${pluginCount} plugin(s), store ${loaded.config.store.path}, ${components.length} components wired`,
  )
  return EXIT_OK
}

export async function pluginsCommand(io: CliIo, configFile: string, json: boolean): Promise<number> {
  const loaded = await load(configFile)
  const dispatcher = new Agent()
  const registry = createPluginRegistry(loaded, {
    logger: createLogger({ level: 'silent' }),
    clock: { now: () => Date.now() },
    dispatcher,
  })
  try {
    const listing = describePlugins(await loadPlugins(registry, loaded))
    if (json) {
      io.out(JSON.stringify({ plugins: listing }, null, 2))
    } else {
      for (const plugin of listing) {
        io.out(
          `${plugin.name}@${plugin.version}  platform=${plugin.platform}  route=POST|GET ${plugin.webhookPath}  sender=${plugin.canSend ? 'yes' : 'no'}`,
        )
      }
    }
    return EXIT_OK
  } finally {
    await registry.close()
    await dispatcher.close()
  }
}

export async function dlqListCommand(
  io: CliIo,
  configFile: string,
  options: { queue?: string; limit: number; json: boolean },
): Promise<number> {
  const store = openSqliteStore({ path: (await load(configFile)).config.store.path })
  try {
    const deadLetters = await store.queue.listDeadLetters({ queue: options.queue, limit: options.limit })
    if (options.json) {
      io.out(JSON.stringify({ deadLetters }, null, 2))
    } else if (deadLetters.length === 0) {
      io.out('no dead letters')
    } else {
      for (const letter of deadLetters) {
        io.out(
          `${letter.id}  queue=${letter.queue}  attempts=${letter.attempts}  failedAt=${new Date(letter.failedAt).toISOString()}  ${letter.lastError}`,
        )
      }
    }
    return EXIT_OK
  } finally {
    await store.close()
  }
}

export async function dlqReplayCommand(
  io: CliIo,
  configFile: string,
  ids: readonly string[],
  options: { all: boolean; queue?: string },
): Promise<number> {
  if (options.all === ids.length > 0) {
    throw createServerError(
      'CHATWIRE_ERR_SERVER_CLI_USAGE',
      'give dead letter ids or --all, not both and not neither',
    )
  }
  const store = openSqliteStore({ path: (await load(configFile)).config.store.path })
  try {
    const replayed = await store.queue.replay(options.all ? 'all' : ids, { queue: options.queue })
    io.out(`replayed ${replayed} dead letter(s); a running server picks them up on its next poll`)
    return options.all || replayed === ids.length ? EXIT_OK : EXIT_FAILED
  } finally {
    await store.close()
  }
}

export async function inspectCommand(
  io: CliIo,
  options: {
    config: string
    plugin: string
    body: string
    method?: string
    query?: string
    header: string[]
    now?: string
  },
): Promise<number> {
  let nowSeconds: number | undefined
  if (options.now !== undefined) {
    nowSeconds = Number(options.now)
    if (!Number.isFinite(nowSeconds)) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_CLI_USAGE',
        `--now ${options.now} is not a number of Unix seconds`,
      )
    }
  }
  let body: Buffer
  try {
    body = readFileSync(options.body)
  } catch (error) {
    throw createServerError(
      'CHATWIRE_ERR_SERVER_CLI_USAGE',
      `--body file ${options.body} could not be read`,
      {
        cause: error,
      },
    )
  }
  const result = await inspectWebhook(await load(options.config), {
    plugin: options.plugin,
    body,
    method: options.method,
    query: options.query,
    headers: options.header,
    nowSeconds,
  })
  io.out(JSON.stringify(result, null, 2))
  return result.accepted ? EXIT_OK : EXIT_FAILED
}

export async function sandboxCommand(options: { config?: string }): Promise<number> {
  const sandbox = await startSandbox({ configFile: options.config })
  await onShutdownSignal(() => sandbox.close())
  return EXIT_OK
}

export async function sendSampleCommand(
  io: CliIo,
  platform: string,
  options: { url?: string; secret?: string; text?: string; from?: string },
): Promise<number> {
  const result = await sendSample({ platform, ...options })
  io.out(`POST ${result.url} → ${result.status}${result.body === '' ? '' : ` ${result.body}`}`)
  if (result.status === 200) {
    io.out(`sent message ${result.messageId}; watch the sandbox output for the reply`)
  }
  return result.status >= 200 && result.status < 300 ? EXIT_OK : EXIT_FAILED
}
