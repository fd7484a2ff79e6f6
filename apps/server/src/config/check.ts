import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ChatwireError, silentLogger, systemClock } from '@chatwire/core'
import { Agent } from 'undici'
import { parse as parseYaml } from 'yaml'
import { createPluginRegistry, loadPlugins } from '../plugins.js'
import { substituteEnv } from './env.js'
import {
  type CodedConfigProblem,
  configInvalidError,
  type LoadConfigOptions,
  loadConfigFile,
} from './load.js'
import type { LoadedConfig, PluginConfigEntry, ServerConfig } from './types.js'

function pluginEntriesOf(document: unknown): PluginConfigEntry[] {
  const plugins = (document as { plugins?: unknown } | null)?.plugins
  if (!Array.isArray(plugins)) {
    return []
  }
  return plugins.filter(
    (entry): entry is PluginConfigEntry =>
      typeof entry === 'object' && entry !== null && typeof (entry as PluginConfigEntry).package === 'string',
  )
}

/**
 * Loads a config file like `loadConfigFile`, and when the server part is invalid also validates
 * the plugin configs, so one run reports the problems of both.
 */
export async function loadConfigReportingAll(
  file: string,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  try {
    return loadConfigFile(file, options)
  } catch (error) {
    const problems =
      error instanceof ChatwireError
        ? (error.details?.problems as CodedConfigProblem[] | undefined)
        : undefined
    if (problems === undefined) {
      throw error
    }

    const path = resolve(file)
    const text = readFileSync(path, 'utf8')
    const document = substituteEnv(
      path.endsWith('.json') ? JSON.parse(text) : parseYaml(text),
      options.env ?? process.env,
      [],
    )
    const plugins = pluginEntriesOf(document).map((entry) => ({ ...entry, config: entry.config ?? {} }))
    const partial: LoadedConfig = {
      config: { plugins, channels: [] } as unknown as ServerConfig,
      file: path,
      baseDir: options.baseDir ?? dirname(path),
    }
    const dispatcher = new Agent()
    try {
      await loadPlugins(
        createPluginRegistry(partial, { logger: silentLogger, clock: systemClock, dispatcher }),
        partial,
      )
    } catch (pluginError) {
      const pluginProblems =
        pluginError instanceof ChatwireError
          ? (pluginError.details?.problems as CodedConfigProblem[] | undefined)
          : undefined
      problems.push(...(pluginProblems ?? []))
    } finally {
      await dispatcher.close()
    }
    throw configInvalidError(problems, path)
  }
}
