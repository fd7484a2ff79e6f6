import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqliteStore } from '@chatwire/store-sqlite'
import { Agent } from 'undici'
import { loadConfigReportingAll } from '../config/check.js'
import { checkStoreLocation } from '../config/store-location.js'
import type { LoadedConfig } from '../config/types.js'
import { createServer, createServerContainer, resolveWiring, TOKENS } from '../container.js'
import { createServerError } from '../error-codes.js'
import { inspectWebhook } from '../inspect.js'
import { createLogger } from '../logger.js'
import { describePlugins } from '../plugin-listing.js'
import { createPluginRegistry, loadPlugins } from '../plugins.js'
import { displayPath } from '../sandbox/banner.js'
import { startSandbox } from '../sandbox/run-sandbox.js'
import { buildSampleRequest, sendSample } from '../sandbox/send-sample.js'
import { isListenError, listenFailedError } from './listen-error.js'
import { CLI_COMMAND, type CliIo, EXIT_FAILED, EXIT_OK } from './output.js'

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
    const { host, port } = loaded.config.server
    throw isListenError(error)
      ? listenFailedError({ name: 'the server', host, port, configKey: 'server.port' }, error, { configFile })
      : error
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

  // Building the whole object graph proves the wiring. It opens a store, so a store file that
  // does not exist yet is not created: a file in a temporary folder replaces it, and the folder the
  // server would create it in is checked for write permission instead.
  const storePath = loaded.config.store.path
  const location = checkStoreLocation(storePath, loaded.file ?? 'the config')
  const scratch = location.exists ? undefined : mkdtempSync(join(tmpdir(), 'chatwire-validate-'))
  const wired: LoadedConfig =
    scratch === undefined
      ? loaded
      : {
          ...loaded,
          config: { ...loaded.config, store: { ...loaded.config.store, path: join(scratch, 'chatwire.db') } },
        }
  let componentCount: number
  try {
    const container = createServerContainer(wired, { logger })
    componentCount = resolveWiring(container).length
    await container.resolve(TOKENS.server).stop('validate-config finished')
  } finally {
    if (scratch !== undefined) {
      rmSync(scratch, { recursive: true, force: true })
    }
  }
  const store = location.exists
    ? `store ${storePath}`
    : `store ${storePath} (not created yet; ${location.existingFolder} is writable)`
  io.out(
    `config ${loaded.file} is valid: ${pluginCount} plugin(s), ${store}, ${componentCount} components wired`,
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
  const storePath = (await load(configFile)).config.store.path
  // Opening a store creates its file, and a missing file contains no dead letters.
  if (!existsSync(storePath)) {
    io.out(
      options.json
        ? JSON.stringify({ deadLetters: [] }, null, 2)
        : `no dead letters: store ${storePath} does not exist yet`,
    )
    return EXIT_OK
  }
  const store = openSqliteStore({ path: storePath })
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
  const storePath = (await load(configFile)).config.store.path
  if (!existsSync(storePath)) {
    throw createServerError(
      'CHATWIRE_ERR_SERVER_DEAD_LETTER_NOT_FOUND',
      `dead letter${ids.length === 1 ? '' : 's'} ${ids.join(', ')} not found: store ${storePath} does not exist yet; check that --config names the server's config`,
      { details: { ids } },
    )
  }
  const store = openSqliteStore({ path: storePath })
  try {
    if (options.all) {
      const replayed = await store.queue.replay('all', { queue: options.queue })
      io.out(`replayed ${replayed} dead letter(s); a running server picks them up on its next poll`)
      return EXIT_OK
    }

    // One id at a time, so the ids that matched no dead letter can be named.
    const missing: string[] = []
    for (const id of new Set(ids)) {
      if ((await store.queue.replay([id], { queue: options.queue })) === 0) {
        missing.push(id)
      }
    }
    const replayed = new Set(ids).size - missing.length
    if (replayed > 0) {
      io.out(`replayed ${replayed} dead letter(s); a running server picks them up on its next poll`)
    }
    if (missing.length > 0) {
      const where = options.queue === undefined ? '' : ` in queue ${options.queue}`
      throw createServerError(
        'CHATWIRE_ERR_SERVER_DEAD_LETTER_NOT_FOUND',
        `dead letter${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not found${where}; list ids with chatwire dlq list`,
        { details: { ids: missing } },
      )
    }
    return EXIT_OK
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
  for (const note of result.notes) {
    io.err(`note: ${note}`)
  }
  return result.accepted ? EXIT_OK : EXIT_FAILED
}

export async function sandboxCommand(io: CliIo, options: { config?: string }): Promise<number> {
  const sandbox = await startSandbox({ configFile: options.config, print: (line) => io.out(line) })
  await onShutdownSignal(async () => {
    io.out('stopping…')
    await sandbox.close()
    io.out('sandbox stopped')
  })
  return EXIT_OK
}

export async function sendSampleCommand(
  io: CliIo,
  platform: string,
  options: { url?: string; secret?: string; text?: string; from?: string; out?: string },
): Promise<number> {
  if (options.out !== undefined) {
    const sample = buildSampleRequest({ platform, ...options })
    try {
      writeFileSync(options.out, sample.body)
    } catch (error) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_CLI_USAGE',
        `--out file ${options.out} could not be written (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}); check the folder exists and is writable`,
        { cause: error },
      )
    }
    const headers = Object.entries(sample.headers).map(([name, value]) => ` --header '${name}: ${value}'`)
    io.out(`wrote the signed body of message ${sample.messageId} to ${options.out}; check it with:`)
    io.out(
      `  ${CLI_COMMAND} inspect -c apps/server/sandbox.yaml --plugin whatsapp --body ${displayPath(options.out, process.cwd())}${headers.join('')}`,
    )
    return EXIT_OK
  }
  const result = await sendSample({ platform, ...options })
  io.out(`POST ${result.url} → ${result.status}${result.body === '' ? '' : ` ${result.body}`}`)
  if (result.status === 200) {
    io.out(`sent message ${result.messageId}; watch the sandbox output for the reply`)
  }
  return result.status >= 200 && result.status < 300 ? EXIT_OK : EXIT_FAILED
}
