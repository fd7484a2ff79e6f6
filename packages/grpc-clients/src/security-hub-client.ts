import type { CallOptions } from '@chatwire/core'
import { BaseGrpcClient } from './base-client.js'
import { TtlCache } from './channel-cache.js'
import { createGrpcError } from './error-codes.js'
import { SecurityHubServiceService } from './gen/chatwire/security/v1/security_service.js'
import type { GrpcClientOptions } from './options.js'
import { requireStrings } from './validate.js'

export interface SecurityHubClientOptions extends GrpcClientOptions {
  name?: string
  /** Time a ResolveChannel response is reused, in milliseconds. 0 turns the cache off. */
  resolveChannelCacheTtlMs?: number
  /** Channels kept in the cache; the oldest entry is dropped past this count. */
  resolveChannelCacheMaxEntries?: number
}

export interface ValidateTokenResult {
  valid: boolean
  tenantId: string
  subject: string
  scopes: string[]
  expiresAt?: Date
}

export interface ValidateApiKeyResult {
  valid: boolean
  tenantId: string
  subject: string
  scopes: string[]
}

export interface CheckPermissionInput {
  subject: string
  tenantId: string
  permission: string
  /** Resource the permission applies to; any resource of the tenant when unset. */
  resource?: string
}

export interface CheckPermissionResult {
  allowed: boolean
  reason: string
}

export interface ResolveChannelInput {
  /** Platform id, for example `whatsapp`. */
  platform: string
  /** The platform's id of the channel account, for example the WhatsApp phone number id. */
  channelAccountId: string
}

/** A channel's tenant and credentials. The object is frozen, because cache hits share it. */
export interface ResolvedChannel {
  tenantId: string
  channelAccountId: string
  platform: string
  /** Every secret that currently signs this channel's webhooks (more than one during a rotation). */
  webhookSecrets: string[]
  sendToken: string
  sendTokenExpiresAt?: Date
  settings?: Record<string, unknown>
}

/** Service name of the Security Hub in the proto contract and in health checks. */
export const SECURITY_HUB_SERVICE = 'chatwire.security.v1.SecurityHubService'

const SAFE = { safeToRepeat: true } as const

/**
 * Client of the Security Hub, which authenticates callers and stores tenants and channel
 * credentials. ResolveChannel responses are cached for `resolveChannelCacheTtlMs`.
 */
export class SecurityHubClient extends BaseGrpcClient {
  readonly #channels: TtlCache<ResolvedChannel>

  constructor(options: SecurityHubClientOptions) {
    super(options.name ?? 'security-hub', SECURITY_HUB_SERVICE, options)

    const ttlMs = options.resolveChannelCacheTtlMs ?? 30_000
    const maxEntries = options.resolveChannelCacheMaxEntries ?? 10_000
    if (!Number.isFinite(ttlMs) || ttlMs < 0 || !Number.isInteger(maxEntries) || maxEntries < 1) {
      throw createGrpcError(
        'CHATWIRE_ERR_GRPC_INVALID_OPTIONS',
        `Invalid ResolveChannel cache options: ttl ${ttlMs} ms, max entries ${maxEntries}.` +
          ' Use a TTL of 0 or more and at least 1 entry.',
        { details: { field: 'resolveChannelCacheTtlMs' } },
      )
    }
    this.#channels = new TtlCache(ttlMs, maxEntries)
  }

  /** Validates a bearer token. An unknown or expired token returns `valid: false`. */
  async validateToken(input: { token: string }, options: CallOptions = {}): Promise<ValidateTokenResult> {
    requireStrings('ValidateToken', input, ['token'])
    const response = await this.unary(
      SecurityHubServiceService.validateToken,
      { token: input.token },
      options,
      SAFE,
    )

    return {
      valid: response.valid,
      tenantId: response.tenantId,
      subject: response.subject,
      scopes: response.scopes,
      ...(response.expiresAt === undefined ? {} : { expiresAt: response.expiresAt }),
    }
  }

  /** Validates an API key. An unknown key returns `valid: false`. */
  async validateApiKey(input: { apiKey: string }, options: CallOptions = {}): Promise<ValidateApiKeyResult> {
    requireStrings('ValidateApiKey', input, ['apiKey'])
    const response = await this.unary(
      SecurityHubServiceService.validateApiKey,
      { apiKey: input.apiKey },
      options,
      SAFE,
    )

    return {
      valid: response.valid,
      tenantId: response.tenantId,
      subject: response.subject,
      scopes: response.scopes,
    }
  }

  async checkPermission(
    input: CheckPermissionInput,
    options: CallOptions = {},
  ): Promise<CheckPermissionResult> {
    requireStrings('CheckPermission', input, ['subject', 'tenantId', 'permission'])
    const response = await this.unary(
      SecurityHubServiceService.checkPermission,
      {
        subject: input.subject,
        tenantId: input.tenantId,
        permission: input.permission,
        resource: input.resource ?? '',
      },
      options,
      { safeToRepeat: true, tenantId: input.tenantId },
    )

    return { allowed: response.allowed, reason: response.reason }
  }

  /**
   * Resolves a channel account to its tenant and credentials. Throws CHATWIRE_ERR_GRPC_NOT_FOUND
   * when the Security Hub has no such channel. Responses are cached, so call
   * `invalidateChannel()` when a webhook fails verification with cached secrets. Concurrent
   * lookups of one channel share one call, whose deadline is that of the first caller.
   */
  async resolveChannel(input: ResolveChannelInput, options: CallOptions = {}): Promise<ResolvedChannel> {
    requireStrings('ResolveChannel', input, ['platform', 'channelAccountId'])
    const { signal, ...sharedOptions } = options
    if (signal?.aborted) {
      throw cancelledLookup(input)
    }

    // Concurrent lookups of one channel share a call, so one caller's signal must not cancel it
    // for the others: each caller stops waiting on its own signal while the call goes on.
    const shared = this.#channels.getOrLoad(channelKey(input), () => this.#fetchChannel(input, sharedOptions))
    if (signal === undefined) {
      return shared
    }
    return new Promise<ResolvedChannel>((resolve, reject) => {
      const onAbort = (): void => reject(cancelledLookup(input))
      signal.addEventListener('abort', onAbort, { once: true })
      shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  /** Drops the cached response for one channel, so the next resolveChannel() calls the Security Hub. */
  invalidateChannel(input: ResolveChannelInput): void {
    this.#channels.delete(channelKey(input))
  }

  async #fetchChannel(input: ResolveChannelInput, options: CallOptions): Promise<ResolvedChannel> {
    const response = await this.unary(
      SecurityHubServiceService.resolveChannel,
      { platform: input.platform, channelAccountId: input.channelAccountId },
      options,
      SAFE,
    )
    const credentials = response.credentials

    // Cache hits share this object, so freeze it against one caller changing it for the others.
    return Object.freeze({
      tenantId: response.tenantId,
      channelAccountId: response.channelAccountId,
      platform: response.platform,
      webhookSecrets: Object.freeze([...(credentials?.webhookSecrets ?? [])]) as string[],
      sendToken: credentials?.sendToken ?? '',
      ...(credentials?.sendTokenExpiresAt === undefined
        ? {}
        : { sendTokenExpiresAt: credentials.sendTokenExpiresAt }),
      ...(response.settings === undefined ? {} : { settings: response.settings }),
    })
  }
}

function cancelledLookup(input: ResolveChannelInput) {
  return createGrpcError(
    'CHATWIRE_ERR_GRPC_CANCELLED',
    `ResolveChannel of ${input.platform} channel ${input.channelAccountId} was cancelled by its AbortSignal.`,
    { details: { method: 'ResolveChannel', grpcStatus: 'CANCELLED' } },
  )
}

function channelKey(input: ResolveChannelInput): string {
  return `${input.platform}\u0000${input.channelAccountId}`
}
