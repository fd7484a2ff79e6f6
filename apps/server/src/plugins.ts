import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  ChatwireError,
  type Clock,
  type LoadedPlugin,
  type Logger,
  PluginRegistry,
  type PluginEntry,
  type PluginProblem,
} from '@chatwire/core'
import type { Dispatcher } from 'undici'
import { type CodedConfigProblem, configInvalidError } from './config/load.js'
import type { LoadedConfig } from './config/types.js'

/** The folder of this package, whose dependencies include the plugins shipped with Chatwire. */
export const SERVER_PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')

export interface PluginHostOptions {
  logger: Logger
  clock: Clock
  dispatcher: Dispatcher
}

function resolvableFrom(directory: string, packageName: string): string | undefined {
  try {
    return createRequire(join(directory, 'noop.js')).resolve(packageName)
  } catch {
    return undefined
  }
}

/**
 * Builds the registry's entries: a package installed next to the config file wins, and a
 * package only installed with the server (the bundled plugins) is loaded by its file path.
 */
export function pluginEntries(loaded: LoadedConfig): PluginEntry[] {
  return loaded.config.plugins.map((entry) => {
    const fromConfig = resolvableFrom(loaded.baseDir, entry.package)
    const fromServer =
      fromConfig === undefined ? resolvableFrom(SERVER_PACKAGE_DIR, entry.package) : undefined
    return {
      package: fromServer ?? entry.package,
      config: structuredClone(entry.config),
      route: entry.route,
    }
  })
}

export function createPluginRegistry(loaded: LoadedConfig, options: PluginHostOptions): PluginRegistry {
  return new PluginRegistry({
    resolveFrom: loaded.baseDir,
    createContext: (manifest) => ({
      logger: options.logger.child({ plugin: manifest.name }),
      clock: options.clock,
      dispatcher: options.dispatcher,
    }),
  })
}

/** Maps a registry problem to the config pointer of the plugin entry it is about. */
function toConfigProblem(
  problem: PluginProblem,
  entries: readonly PluginEntry[],
  loaded: LoadedConfig,
): CodedConfigProblem {
  let index = entries.findIndex((entry) => entry.package === problem.plugin)
  if (index === -1) {
    index = loaded.config.plugins.findIndex((entry) => entry.package === problem.plugin)
  }
  const prefix = index === -1 ? '/plugins' : `/plugins/${index}`
  return {
    code: problem.code,
    pointer: `${prefix}${problem.pointer === '/' ? '' : problem.pointer}`,
    message: problem.message,
    fix: problem.fix,
  }
}

/**
 * Loads every configured plugin and checks that each static channel has a plugin. Throws
 * CHATWIRE_ERR_CONFIG_INVALID with every problem, pointing into the config file.
 */
export async function loadPlugins(registry: PluginRegistry, loaded: LoadedConfig): Promise<LoadedPlugin[]> {
  const entries = pluginEntries(loaded)
  const problems: CodedConfigProblem[] = []
  let plugins: LoadedPlugin[] = []
  try {
    plugins = await registry.load(entries)
  } catch (error) {
    const listed =
      error instanceof ChatwireError ? (error.details?.problems as PluginProblem[] | undefined) : undefined
    if (listed === undefined) {
      throw error
    }
    problems.push(...listed.map((problem) => toConfigProblem(problem, entries, loaded)))
  }

  for (const [index, entry] of loaded.config.plugins.entries()) {
    const serverLimit = loaded.config.server?.bodyLimitBytes
    if (
      entry.bodyLimitBytes !== undefined &&
      serverLimit !== undefined &&
      entry.bodyLimitBytes > serverLimit
    ) {
      problems.push({
        code: 'CHATWIRE_ERR_CONFIG_INVALID',
        pointer: `/plugins/${index}/bodyLimitBytes`,
        message: `the plugin's body limit of ${entry.bodyLimitBytes} bytes is over server.bodyLimitBytes (${serverLimit})`,
        fix: 'lower it, or raise server.bodyLimitBytes',
      })
    }
  }

  if (problems.length === 0) {
    for (const [index, channel] of loaded.config.channels.entries()) {
      if (registry.byPlatform(channel.platform) === undefined) {
        problems.push({
          code: 'CHATWIRE_ERR_CONFIG_INVALID',
          pointer: `/channels/${index}/platform`,
          message: `no loaded plugin serves platform "${channel.platform}"`,
          fix: 'add the platform\'s plugin to "plugins" or remove the channel',
        })
      }
    }
  }

  if (problems.length > 0) {
    await registry.close()
    throw configInvalidError(problems, loaded.file ?? 'the config')
  }
  return plugins
}

/** Returns the body limit of a loaded plugin's webhook route, in bytes. */
export function bodyLimitOf(loaded: LoadedConfig, plugin: LoadedPlugin): number {
  const entry =
    loaded.config.plugins.find((candidate) => candidate.route === plugin.route) ??
    loaded.config.plugins.find((candidate) => candidate.package === plugin.manifest.name)
  return entry?.bodyLimitBytes ?? loaded.config.server.bodyLimitBytes
}
