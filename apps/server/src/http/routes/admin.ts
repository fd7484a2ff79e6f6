import { ChatwireError, type DurableQueue, type PluginRegistry } from '@chatwire/core'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type AdminPermission, type ApiKeyAuthority, authorizeAdmin } from '../../admin-auth.js'
import { createServerError } from '../../error-codes.js'
import { describePlugins } from '../../plugin-listing.js'
import type { RouteRateLimiter } from '../rate-limit.js'
import { rawBodyOf } from '../raw-body.js'
import { sendError } from '../reply-error.js'

export interface AdminRouteOptions {
  /** Unset when no Security Hub is configured, so every admin route returns 404. */
  authority: ApiKeyAuthority | undefined
  queue: DurableQueue
  plugins: Pick<PluginRegistry, 'list'>
  rateLimiter: RouteRateLimiter
}

const ADMIN_BODY_LIMIT_BYTES = 64 * 1024

function parseJsonBody(body: unknown): Record<string, unknown> {
  const bytes = rawBodyOf(body)
  if (bytes.byteLength === 0) {
    return {}
  }
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'))
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>
    }
  } catch {
    // Reported below with the same message as a non-object body.
  }
  throw createServerError('CHATWIRE_ERR_SERVER_BAD_REQUEST', 'the request body must be a JSON object')
}

/**
 * Registers the admin API under `/admin`: dead-letter list and replay, plugin status. Every route
 * checks the caller's API key and permission through the Security Hub.
 */
export function registerAdminRoutes(app: FastifyInstance, options: AdminRouteOptions): void {
  const { authority, queue, plugins, rateLimiter } = options

  const guard = async (request: FastifyRequest, reply: FastifyReply, permission: AdminPermission) => {
    if (authority === undefined) {
      sendError(
        reply,
        createServerError(
          'CHATWIRE_ERR_SERVER_ADMIN_DISABLED',
          'the admin API needs "securityHub" in the config',
        ),
      )
      return false
    }
    const verdict = await rateLimiter.check('admin', request.ip)
    if (!verdict.allowed) {
      sendError(
        reply,
        createServerError(
          'CHATWIRE_ERR_SERVER_RATE_LIMITED',
          `too many admin requests; retry after ${verdict.retryAfterSeconds} s`,
        ),
        { 'retry-after': String(verdict.retryAfterSeconds) },
      )
      return false
    }
    try {
      await authorizeAdmin(authority, request.headers.authorization, permission)
      return true
    } catch (error) {
      const coded = ChatwireError.from(error, 'CHATWIRE_ERR_SERVER_INTERNAL', 500)
      const level = (coded.statusCode ?? 500) >= 500 ? 'error' : 'info'
      request.log[level]({ err: coded, reqId: request.id, permission, ip: request.ip }, 'admin request rejected')
      sendError(reply, coded)
      return false
    }
  }

  app.get<{ Querystring: { queue?: string; limit?: string } }>(
    '/admin/dead-letters',
    async (request, reply) => {
      if (!(await guard(request, reply, 'dlq:read'))) {
        return reply
      }
      const limit = request.query.limit === undefined ? 100 : Number(request.query.limit)
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
        return sendError(
          reply,
          createServerError('CHATWIRE_ERR_SERVER_BAD_REQUEST', 'limit must be an integer from 1 to 1000'),
        )
      }
      const deadLetters = await queue.listDeadLetters({ queue: request.query.queue, limit })
      return reply.send({ deadLetters })
    },
  )

  app.post('/admin/dead-letters/replay', { bodyLimit: ADMIN_BODY_LIMIT_BYTES }, async (request, reply) => {
    if (!(await guard(request, reply, 'dlq:replay'))) {
      return reply
    }
    const body = parseJsonBody(request.body)
    const queueName = typeof body.queue === 'string' ? body.queue : undefined
    let ids: string[] | 'all'
    if (body.all === true) {
      ids = 'all'
    } else if (
      Array.isArray(body.ids) &&
      body.ids.length > 0 &&
      body.ids.every((id) => typeof id === 'string')
    ) {
      ids = body.ids as string[]
    } else {
      return sendError(
        reply,
        createServerError(
          'CHATWIRE_ERR_SERVER_BAD_REQUEST',
          'send {"ids": ["<dead letter id>", ...]} or {"all": true}',
        ),
      )
    }
    const replayed = await queue.replay(ids, { queue: queueName })
    return reply.send({ replayed })
  })

  app.get('/admin/plugins', async (request, reply) => {
    if (!(await guard(request, reply, 'plugins:read'))) {
      return reply
    }
    return reply.send({ plugins: describePlugins(plugins.list()) })
  })
}
