import semver from 'semver'
import { systemClock } from './clock.js'
import { type ConfigProblem, ConfigSchemaCompiler, toConfigProblems } from './config-validation.js'
import { type CoreErrorCode, createCoreError } from './error-codes.js'
import { silentLogger } from './logger.js'
import {
  type ChatwirePlugin,
  describePluginProblems,
  type PluginContext,
  type PluginInstance,
  type PluginManifest,
  secretPointers,
} from './plugin.js'
import { resolvePluginPackage } from './plugin-resolve.js'
import { CORE_API_VERSION } from './version.js'

/** One plugin to load: by npm package name, or an already imported plugin object. */
export interface PluginEntry {
  package?: string
  plugin?: ChatwirePlugin<never>
  config?: unknown
  /** Overrides the manifest's route segment under `/webhooks/`. */
  route?: string
}

/** A problem that stops a plugin from loading; all problems of one load are reported together. */
export interface PluginProblem extends ConfigProblem {
  /** The package name, or the manifest name for plugin objects. */
  plugin: string
  code: CoreErrorCode
}

export interface LoadedPlugin {
  manifest: PluginManifest
  route: string
  /** The validated config with defaults applied, deep-frozen. */
  config: unknown
  instance: PluginInstance
  /** Returns the config with every `x-secret` field replaced, for logs and listings. */
  redactedConfig(): unknown
}

export interface PluginRegistryOptions {
  /** Version of the core plugin API the host provides; tests override it. */
  coreVersion?: string
  /** Directory whose `node_modules` plugin packages are resolved from; defaults to the working directory. */
  resolveFrom?: string
  /** Builds the scoped context each plugin receives. */
  createContext?: (manifest: PluginManifest) => PluginContext
  /** Loads a module from a resolved file URL; replaceable for bundled hosts. */
  importModule?: (url: string) => Promise<unknown>
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) {
      deepFreeze(child)
    }
  }
  return value
}

function redact(value: unknown, pointers: readonly string[]): unknown {
  const copy = structuredClone(value)
  for (const pointer of pointers) {
    const segments = pointer.split('/').slice(1)
    const visit = (node: unknown, index: number): void => {
      if (typeof node !== 'object' || node === null) {
        return
      }
      const segment = segments[index]
      const record = node as Record<string, unknown>
      const keys =
        segment === '*' ? Object.keys(record) : [segment?.replace(/~1/g, '/').replace(/~0/g, '~') ?? '']
      for (const key of keys) {
        if (!(key in record)) {
          continue
        }
        if (index === segments.length - 1) {
          record[key] = '[redacted]'
        } else {
          visit(record[key], index + 1)
        }
      }
    }
    visit(copy, 0)
  }
  return copy
}

function problemsMessage(problems: readonly PluginProblem[]): string {
  const lines = problems.map(
    (problem) =>
      `  - ${problem.plugin} ${problem.pointer}: ${problem.message}; fix: ${problem.fix} [${problem.code}]`,
  )
  return `${problems.length} plugin problem(s) found at start-up:\n${lines.join('\n')}`
}

function pluginFromModule(module: unknown): unknown {
  const namespace = module as Record<string, unknown>
  return namespace.default ?? namespace.plugin
}

/**
 * Loads the plugins named in config. An instance per host, never a module singleton, so two
 * hosts in one process (or two tests) cannot see each other's plugins.
 */
export class PluginRegistry {
  readonly #coreVersion: string
  readonly #resolveFrom: string
  readonly #createContext: (manifest: PluginManifest) => PluginContext
  readonly #importModule: (url: string) => Promise<unknown>
  readonly #compiler = new ConfigSchemaCompiler()
  readonly #byRoute = new Map<string, LoadedPlugin>()
  readonly #byPlatform = new Map<string, LoadedPlugin>()

  constructor(options: PluginRegistryOptions = {}) {
    this.#coreVersion = options.coreVersion ?? CORE_API_VERSION
    this.#resolveFrom = options.resolveFrom ?? process.cwd()
    this.#createContext =
      options.createContext ??
      ((manifest) => ({ logger: silentLogger.child({ plugin: manifest.name }), clock: systemClock }))
    this.#importModule = options.importModule ?? ((url) => import(url))
  }

  /**
   * Resolves, checks, validates and creates every plugin in `entries`. Either all plugins load,
   * or nothing is registered and one `CHATWIRE_ERR_PLUGIN_REGISTRY` error lists every problem
   * in `details.problems`.
   */
  async load(entries: readonly PluginEntry[]): Promise<LoadedPlugin[]> {
    const problems: PluginProblem[] = []
    const accepted: {
      manifest: PluginManifest
      plugin: ChatwirePlugin<unknown>
      config: unknown
      route: string
    }[] = []
    const routes = new Map<string, string>(
      [...this.#byRoute].map(([route, loaded]) => [route, loaded.manifest.name]),
    )
    const platforms = new Map<string, string>(
      [...this.#byPlatform].map(([platform, loaded]) => [platform, loaded.manifest.name]),
    )

    for (const [index, entry] of entries.entries()) {
      const label = entry.package ?? entry.plugin?.manifest?.name ?? `plugins/${index}`
      const found = await this.#obtain(entry, label, problems)
      if (found === undefined) {
        continue
      }
      const { manifest } = found
      const route = entry.route ?? manifest.route ?? manifest.platform

      const before = problems.length
      this.#checkCoreRange(manifest, label, problems)
      const config = this.#validateConfig(manifest, entry.config, label, problems)
      this.#checkUnique(platforms, manifest.platform, label, 'platform', problems)
      this.#checkUnique(routes, route, label, 'route', problems)
      if (problems.length === before) {
        accepted.push({ manifest, plugin: found, config, route })
      }
    }

    if (problems.length > 0) {
      throw createCoreError('CHATWIRE_ERR_PLUGIN_REGISTRY', problemsMessage(problems), {
        details: { problems },
      })
    }

    const loaded: LoadedPlugin[] = []
    for (const { manifest, plugin, config, route } of accepted) {
      let instance: PluginInstance
      try {
        instance = await plugin.create(config, this.#createContext(manifest))
      } catch (error) {
        problems.push({
          plugin: manifest.name,
          code: 'CHATWIRE_ERR_PLUGIN_LOAD_FAILED',
          pointer: '/',
          message: `create() failed: ${error instanceof Error ? error.message : String(error)}`,
          fix: 'check the plugin config; the cause is attached to the error',
        })
        continue
      }
      const pointers = secretPointers(manifest.configSchema)
      loaded.push({ manifest, route, config, instance, redactedConfig: () => redact(config, pointers) })
    }

    if (problems.length > 0) {
      await Promise.allSettled(loaded.map((plugin) => plugin.instance.close?.()))
      throw createCoreError('CHATWIRE_ERR_PLUGIN_REGISTRY', problemsMessage(problems), {
        details: { problems },
      })
    }

    for (const plugin of loaded) {
      this.#byRoute.set(plugin.route, plugin)
      this.#byPlatform.set(plugin.manifest.platform, plugin)
    }
    return loaded
  }

  /** Returns the plugin serving `/webhooks/<route>`. */
  byRoute(route: string): LoadedPlugin | undefined {
    return this.#byRoute.get(route)
  }

  byPlatform(platform: string): LoadedPlugin | undefined {
    return this.#byPlatform.get(platform)
  }

  list(): LoadedPlugin[] {
    return [...this.#byRoute.values()]
  }

  /** Closes every plugin, waiting for all of them even when one fails. */
  async close(): Promise<void> {
    const plugins = this.list()
    this.#byRoute.clear()
    this.#byPlatform.clear()
    await Promise.allSettled(plugins.map((plugin) => plugin.instance.close?.()))
  }

  async #obtain(
    entry: PluginEntry,
    label: string,
    problems: PluginProblem[],
  ): Promise<ChatwirePlugin<unknown> | undefined> {
    let candidate: unknown = entry.plugin

    if (candidate === undefined) {
      if (typeof entry.package !== 'string' || entry.package === '') {
        problems.push({
          plugin: label,
          code: 'CHATWIRE_ERR_PLUGIN_INVALID',
          pointer: '/package',
          message: 'the plugin entry names no package',
          fix: 'set "package" to the plugin\'s npm package name',
        })
        return undefined
      }
      const url = resolvePluginPackage(entry.package, this.#resolveFrom)
      if (url === undefined) {
        problems.push({
          plugin: label,
          code: 'CHATWIRE_ERR_PLUGIN_NOT_FOUND',
          pointer: '/package',
          message: `package "${entry.package}" is not installed under ${this.#resolveFrom}`,
          fix: `install it next to the server (pnpm add ${entry.package}) or correct the name`,
        })
        return undefined
      }
      try {
        candidate = pluginFromModule(await this.#importModule(url))
      } catch (error) {
        problems.push({
          plugin: label,
          code: 'CHATWIRE_ERR_PLUGIN_LOAD_FAILED',
          pointer: '/package',
          message: `importing ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
          fix: 'build the plugin package and check that its entry point loads in Node.js',
        })
        return undefined
      }
    }

    const shapeProblems = describePluginProblems(candidate)
    if (shapeProblems.length > 0) {
      for (const message of shapeProblems) {
        problems.push({
          plugin: label,
          code: 'CHATWIRE_ERR_PLUGIN_INVALID',
          pointer: '/package',
          message,
          fix: 'export the plugin made with definePlugin() as the default export',
        })
      }
      return undefined
    }
    return candidate as ChatwirePlugin<unknown>
  }

  #checkCoreRange(manifest: PluginManifest, label: string, problems: PluginProblem[]): void {
    const range = semver.validRange(manifest.coreRange)
    if (range !== null && semver.satisfies(this.#coreVersion, range, { includePrerelease: true })) {
      return
    }
    problems.push({
      plugin: label,
      code: 'CHATWIRE_ERR_PLUGIN_CORE_VERSION_MISMATCH',
      pointer: '/package',
      message: `${manifest.name}@${manifest.version} requires core ${manifest.coreRange}, but this host provides core ${this.#coreVersion}`,
      fix: `install a version of ${manifest.name} built for core ${this.#coreVersion}`,
    })
  }

  #validateConfig(
    manifest: PluginManifest,
    config: unknown,
    label: string,
    problems: PluginProblem[],
  ): unknown {
    // Validation fills in defaults, so it works on a copy and never changes the caller's object.
    const copy = structuredClone(config ?? {})
    let validate: ReturnType<ConfigSchemaCompiler['compile']>
    try {
      validate = this.#compiler.compile(manifest.configSchema)
    } catch (error) {
      problems.push({
        plugin: label,
        code: 'CHATWIRE_ERR_PLUGIN_INVALID',
        pointer: '/configSchema',
        message: `the plugin's config schema does not compile: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'report this to the plugin author',
      })
      return undefined
    }
    if (!validate(copy)) {
      for (const problem of toConfigProblems(validate.errors, { prefix: '/config', schema: manifest.configSchema })) {
        problems.push({ plugin: label, code: 'CHATWIRE_ERR_PLUGIN_CONFIG_INVALID', ...problem })
      }
      return undefined
    }
    return deepFreeze(copy)
  }

  #checkUnique(
    claimed: Map<string, string>,
    value: string,
    label: string,
    what: 'platform' | 'route',
    problems: PluginProblem[],
  ): void {
    const owner = claimed.get(value)
    if (owner === undefined) {
      claimed.set(value, label)
      return
    }
    problems.push({
      plugin: label,
      code:
        what === 'platform'
          ? 'CHATWIRE_ERR_PLUGIN_DUPLICATE_PLATFORM'
          : 'CHATWIRE_ERR_PLUGIN_DUPLICATE_ROUTE',
      pointer: what === 'platform' ? '/package' : '/route',
      message: `${what} "${value}" is already claimed by ${owner}`,
      fix:
        what === 'platform'
          ? 'enable only one plugin per platform'
          : 'give one of the plugins another "route"',
    })
  }
}
