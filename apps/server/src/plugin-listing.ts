import type { LoadedPlugin } from '@chatwire/core'

/** Summary of one loaded plugin, as shown by `chatwire plugins` and `GET /admin/plugins`. */
export interface PluginListing {
  name: string
  version: string
  platform: string
  route: string
  webhookPath: string
  canSend: boolean
  /** The plugin's config with every `x-secret` field redacted. */
  config: unknown
}

export function describePlugins(plugins: readonly LoadedPlugin[]): PluginListing[] {
  return plugins.map((plugin) => ({
    name: plugin.manifest.name,
    version: plugin.manifest.version,
    platform: plugin.manifest.platform,
    route: plugin.route,
    webhookPath: `/webhooks/${plugin.route}`,
    canSend: plugin.instance.sender !== undefined,
    config: plugin.redactedConfig(),
  }))
}
