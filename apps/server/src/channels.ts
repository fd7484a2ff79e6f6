import { ChatwireError } from '@chatwire/core'
import type { StaticChannelConfig } from './config/types.js'
import { createServerError } from './error-codes.js'

/** The part of the Security Hub client the server uses to resolve channels. */
export interface ChannelResolver {
  resolveChannel(input: { platform: string; channelAccountId: string }): Promise<{
    tenantId: string
    webhookSecrets: string[]
    sendToken: string
  }>
}

/** Tenant, webhook secrets and send token of one channel account. */
export interface ChannelInfo {
  tenantId: string
  /** Webhook secrets, newest first; empty when the plugin's own secrets apply. */
  webhookSecrets: readonly string[]
  /** Send token; undefined when the plugin's own token applies. */
  sendToken: string | undefined
}

export interface ChannelDirectoryOptions {
  channels: readonly StaticChannelConfig[]
  /** The Security Hub, when config sets `securityHub.resolveChannels`. */
  resolver?: ChannelResolver
}

function isNotFound(error: unknown): boolean {
  return error instanceof ChatwireError && error.code === 'CHATWIRE_ERR_GRPC_NOT_FOUND'
}

/**
 * Looks up the tenant, webhook secrets and send token of a channel account. A channel listed in
 * config wins; otherwise the Security Hub resolves it, and its client caches the result.
 */
export class ChannelDirectory {
  readonly #static = new Map<string, StaticChannelConfig>()
  readonly #resolver: ChannelResolver | undefined

  constructor(options: ChannelDirectoryOptions) {
    for (const channel of options.channels) {
      this.#static.set(`${channel.platform}\u0000${channel.channelAccountId}`, channel)
    }
    this.#resolver = options.resolver
  }

  /** True when config or the Security Hub can supply per-channel webhook secrets. */
  get suppliesWebhookSecrets(): boolean {
    return (
      this.#resolver !== undefined ||
      [...this.#static.values()].some((channel) => (channel.webhookSecrets ?? []).length > 0)
    )
  }

  /**
   * Returns the channel, or undefined when neither config nor the Security Hub has it.
   * Security Hub failures other than NOT_FOUND propagate, so callers can retry later.
   */
  async find(platform: string, channelAccountId: string): Promise<ChannelInfo | undefined> {
    const configured = this.#static.get(`${platform}\u0000${channelAccountId}`)
    if (configured !== undefined) {
      return {
        tenantId: configured.tenantId,
        webhookSecrets: configured.webhookSecrets ?? [],
        sendToken: configured.sendToken,
      }
    }
    if (this.#resolver === undefined) {
      return undefined
    }
    try {
      const resolved = await this.#resolver.resolveChannel({ platform, channelAccountId })
      return {
        tenantId: resolved.tenantId,
        webhookSecrets: resolved.webhookSecrets,
        sendToken: resolved.sendToken === '' ? undefined : resolved.sendToken,
      }
    } catch (error) {
      if (isNotFound(error)) {
        return undefined
      }
      throw error
    }
  }

  /** Returns the channel or throws CHATWIRE_ERR_SERVER_CHANNEL_UNKNOWN. */
  async require(platform: string, channelAccountId: string): Promise<ChannelInfo> {
    const found = await this.find(platform, channelAccountId)
    if (found === undefined) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_CHANNEL_UNKNOWN',
        `no tenant is known for ${platform} channel account ${channelAccountId}; add it to "channels" in the config or register it in the Security Hub`,
        { details: { platform, channelAccountId } },
      )
    }
    return found
  }
}
