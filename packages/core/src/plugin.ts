import type { ChannelSender } from './channel-sender.js'
import type { Clock } from './clock.js'
import { createCoreError } from './error-codes.js'
import type { Logger } from './logger.js'
import type { WebhookProcessor } from './webhook-processor.js'

/** A JSON Schema object (draft 2020-12 or draft-07) as ajv accepts it. */
export type JsonSchema = Readonly<Record<string, unknown>>

export interface PluginManifest {
  /** npm package name of the plugin, for example `@chatwire/plugin-whatsapp`. */
  name: string
  version: string
  /** Semver range of the core plugin API the plugin was built for, for example `^0.1.0`. */
  coreRange: string
  /** Platform id used in events and routing, for example `whatsapp`; lower-case letters, digits and `-`. */
  platform: string
  /** Route segment under `/webhooks/`; defaults to the platform id. */
  route?: string
  /**
   * JSON Schema of the plugin's config. Mark secret fields with `"x-secret": true` so hosts
   * redact them from logs and listings.
   */
  configSchema: JsonSchema
  description?: string
}

/** The host's services given to one plugin, scoped to it; a plugin never receives the host itself. */
export interface PluginContext {
  /** A child logger bound to `{ plugin: name }`. */
  logger: Logger
  clock: Clock
  /**
   * The undici Dispatcher every outbound HTTP call of the plugin must use, so the host controls
   * pooling, proxies and timeouts. Typed loosely to keep core free of undici; plugins cast it.
   */
  dispatcher?: unknown
}

export interface PluginInstance {
  processor: WebhookProcessor
  sender?: ChannelSender
  /** Releases the plugin's resources on shutdown. */
  close?(): Promise<void>
}

export interface ChatwirePlugin<Config = unknown> {
  manifest: PluginManifest
  /** Builds the plugin from its validated config. */
  create(config: Config, context: PluginContext): PluginInstance | Promise<PluginInstance>
}

const PLATFORM_ID = /^[a-z][a-z0-9-]{0,62}$/

/** Lists what is wrong with a plugin object's shape, one sentence per problem. */
export function describePluginProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) {
    return ['the plugin export must be an object made with definePlugin()']
  }
  const plugin = value as Partial<ChatwirePlugin>
  const manifest = plugin.manifest as Partial<PluginManifest> | undefined
  const problems: string[] = []

  if (typeof plugin.create !== 'function') {
    problems.push('create must be a function that returns the processor and sender')
  }
  if (typeof manifest !== 'object' || manifest === null) {
    problems.push('manifest is missing')
    return problems
  }
  for (const field of ['name', 'version', 'coreRange'] as const) {
    if (typeof manifest[field] !== 'string' || manifest[field] === '') {
      problems.push(`manifest.${field} must be a non-empty string`)
    }
  }
  if (typeof manifest.platform !== 'string' || !PLATFORM_ID.test(manifest.platform)) {
    problems.push(`manifest.platform ${JSON.stringify(manifest.platform)} must match ${PLATFORM_ID}`)
  }
  if (
    manifest.route !== undefined &&
    (typeof manifest.route !== 'string' || !PLATFORM_ID.test(manifest.route))
  ) {
    problems.push(`manifest.route ${JSON.stringify(manifest.route)} must match ${PLATFORM_ID}`)
  }
  if (typeof manifest.configSchema !== 'object' || manifest.configSchema === null) {
    problems.push('manifest.configSchema must be a JSON Schema object')
  }

  return problems
}

/**
 * Declares a plugin. Checks the shape at once, so a mistake shows when the plugin module is
 * imported rather than when a host first loads it, and freezes the manifest.
 */
export function definePlugin<Config>(plugin: ChatwirePlugin<Config>): ChatwirePlugin<Config> {
  const problems = describePluginProblems(plugin)
  if (problems.length > 0) {
    throw createCoreError(
      'CHATWIRE_ERR_PLUGIN_INVALID',
      `invalid plugin definition: ${problems.join('; ')}`,
      {
        details: { problems },
      },
    )
  }
  return Object.freeze({ manifest: Object.freeze({ ...plugin.manifest }), create: plugin.create })
}

/** Returns the JSON pointers of the fields a config schema marks with `"x-secret": true`. */
export function secretPointers(schema: JsonSchema, pointer = ''): string[] {
  const pointers: string[] = []
  if (schema['x-secret'] === true) {
    pointers.push(pointer === '' ? '/' : pointer)
  }
  const properties = schema.properties
  if (typeof properties === 'object' && properties !== null) {
    for (const [key, child] of Object.entries(properties)) {
      if (typeof child === 'object' && child !== null) {
        pointers.push(
          ...secretPointers(
            child as JsonSchema,
            `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          ),
        )
      }
    }
  }
  const items = schema.items
  if (typeof items === 'object' && items !== null && !Array.isArray(items)) {
    pointers.push(...secretPointers(items as JsonSchema, `${pointer}/*`))
  }
  return pointers
}
