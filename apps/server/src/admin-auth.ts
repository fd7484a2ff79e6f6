import { ChatwireError } from '@chatwire/core'
import { createServerError } from './error-codes.js'

/** Security Hub calls that the admin API uses to authenticate requests. */
export interface ApiKeyAuthority {
  validateApiKey(input: { apiKey: string }): Promise<{ valid: boolean; tenantId: string; subject: string }>
  checkPermission(input: {
    subject: string
    tenantId: string
    permission: string
    resource?: string
  }): Promise<{ allowed: boolean; reason: string }>
}

export type AdminPermission = 'dlq:read' | 'dlq:replay' | 'plugins:read'

export interface AdminCaller {
  subject: string
  tenantId: string
}

/**
 * Checks an admin API key and one permission through the Security Hub. Throws 401 for a
 * missing or unknown key, 403 for a key without the permission, 503 when the hub is down.
 */
export async function authorizeAdmin(
  authority: ApiKeyAuthority,
  authorization: string | undefined,
  permission: AdminPermission,
): Promise<AdminCaller> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  if (match?.[1] === undefined) {
    throw createServerError(
      'CHATWIRE_ERR_SERVER_UNAUTHORIZED',
      'the admin API needs an "Authorization: Bearer <api key>" header',
    )
  }

  try {
    const key = await authority.validateApiKey({ apiKey: match[1] })
    if (!key.valid) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_UNAUTHORIZED',
        'the API key is not valid; check the key or issue a new one',
      )
    }
    const decision = await authority.checkPermission({
      subject: key.subject,
      tenantId: key.tenantId,
      permission,
    })
    if (!decision.allowed) {
      throw createServerError(
        'CHATWIRE_ERR_SERVER_FORBIDDEN',
        `the API key of ${key.subject} lacks the permission ${permission}; grant it in the Security Hub`,
        { details: { permission } },
      )
    }
    return { subject: key.subject, tenantId: key.tenantId }
  } catch (error) {
    if (error instanceof ChatwireError && error.code.startsWith('CHATWIRE_ERR_SERVER_')) {
      throw error
    }
    if (error instanceof ChatwireError && error.code === 'CHATWIRE_ERR_GRPC_UNAUTHENTICATED') {
      throw createServerError('CHATWIRE_ERR_SERVER_UNAUTHORIZED', 'the API key is not valid', {
        cause: error,
      })
    }
    throw createServerError(
      'CHATWIRE_ERR_SERVER_CREDENTIALS_UNAVAILABLE',
      'the Security Hub could not check the API key; retry when it is reachable',
      { cause: error },
    )
  }
}
