import type { security } from '@chatwire/grpc-clients/generated'
import { status as Status } from '@grpc/grpc-js'
import type { EngineData } from './data.js'

/** Handlers of the Security Hub service over the data file's tenants, channels, keys and permissions. */
export function createSecurityHubHandlers(data: EngineData): security.SecurityHubServiceServer {
  return {
    validateToken: (call, callback) => {
      const record = data.tokens.find((token) => token.token === call.request.token)
      const expiresAt = record?.expiresAt === undefined ? undefined : new Date(record.expiresAt)
      if (record === undefined || (expiresAt !== undefined && expiresAt.getTime() <= Date.now())) {
        callback(null, { valid: false, tenantId: '', subject: '', scopes: [], expiresAt: undefined })
        return
      }
      callback(null, {
        valid: true,
        tenantId: record.tenantId,
        subject: record.subject,
        scopes: record.scopes,
        expiresAt,
      })
    },

    validateApiKey: (call, callback) => {
      const record = data.apiKeys.find((apiKey) => apiKey.key === call.request.apiKey)
      if (record === undefined) {
        callback(null, { valid: false, tenantId: '', subject: '', scopes: [] })
        return
      }
      callback(null, {
        valid: true,
        tenantId: record.tenantId,
        subject: record.subject,
        scopes: record.scopes,
      })
    },

    checkPermission: (call, callback) => {
      const { subject, tenantId, permission, resource } = call.request
      if (subject === '' || tenantId === '' || permission === '') {
        callback({ code: Status.INVALID_ARGUMENT, details: 'subject, tenantId and permission are required' })
        return
      }

      const grants = data.permissions.filter(
        (grant) => grant.subject === subject && grant.tenantId === tenantId,
      )
      const allowed = grants.some(
        (grant) =>
          (grant.permissions.includes(permission) || grant.permissions.includes('*')) &&
          (grant.resources === undefined ||
            resource === '' ||
            grant.resources.includes(resource) ||
            grant.resources.includes('*')),
      )
      const reason = allowed ? '' : `${subject} does not have ${permission} in tenant ${tenantId}`
      callback(null, { allowed, reason })
    },

    resolveChannel: (call, callback) => {
      const { platform, channelAccountId } = call.request
      if (platform === '' || channelAccountId === '') {
        callback({ code: Status.INVALID_ARGUMENT, details: 'platform and channelAccountId are required' })
        return
      }

      const channel = data.channels.find(
        (candidate) => candidate.platform === platform && candidate.channelAccountId === channelAccountId,
      )
      if (channel === undefined) {
        callback({ code: Status.NOT_FOUND, details: `no ${platform} channel ${channelAccountId}` })
        return
      }
      callback(null, {
        tenantId: channel.tenantId,
        channelAccountId: channel.channelAccountId,
        platform: channel.platform,
        credentials: {
          webhookSecrets: channel.webhookSecrets,
          sendToken: channel.sendToken,
          sendTokenExpiresAt:
            channel.sendTokenExpiresAt === undefined ? undefined : new Date(channel.sendTokenExpiresAt),
        },
        settings: channel.settings,
      })
    },
  }
}
