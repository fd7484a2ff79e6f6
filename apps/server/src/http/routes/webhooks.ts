import {
  type LoadedPlugin,
  normalizeHeaders,
  type PluginRegistry,
  parseQuery,
  type RawWebhookRequest,
} from '@chatwire/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { createServerError } from '../../error-codes.js'
import type { Intake } from '../../intake.js'
import type { ServerMetrics } from '../../metrics.js'
import type { RouteRateLimiter } from '../rate-limit.js'
import { rawBodyOf } from '../raw-body.js'
import { sendError, sendWebhookResponse } from '../reply-error.js'

export interface WebhookRouteOptions {
  plugins: Pick<PluginRegistry, 'byRoute'>
  intake: Intake
  rateLimiter: RouteRateLimiter
  metrics: ServerMetrics
  /** Largest body any webhook route accepts, in bytes; fastify stops reading past it. */
  bodyLimitBytes: number
  /** Body limit of one plugin's route, in bytes, at most `bodyLimitBytes`. */
  bodyLimitFor: (plugin: LoadedPlugin) => number
}

/** Builds the framework-independent request the plugins verify and parse. */
export function toRawRequest(request: FastifyRequest, receivedAt: number): RawWebhookRequest {
  const queryStart = request.url.indexOf('?')
  return {
    method: request.method,
    path: queryStart === -1 ? request.url : request.url.slice(0, queryStart),
    headers: normalizeHeaders(Object.entries(request.raw.headers)),
    query: queryStart === -1 ? {} : parseQuery(request.url.slice(queryStart + 1)),
    body: rawBodyOf(request.body),
    receivedAt,
    remoteAddress: request.ip,
  }
}

/**
 * `/webhooks/:plugin` for every method: the body limit applies while the bytes are read, then
 * the rate limit, then core's pipeline (handshake, verify, parse, store, acknowledge). Methods
 * other than GET and POST reach the pipeline too, which responds with 405 and `Allow`.
 */
export function registerWebhookRoutes(app: FastifyInstance, options: WebhookRouteOptions): void {
  const { plugins, intake, rateLimiter, metrics, bodyLimitBytes, bodyLimitFor } = options

  app.route<{ Params: { plugin: string } }>({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/webhooks/:plugin',
    bodyLimit: bodyLimitBytes,
    handler: async (request, reply) => {
      const receivedAt = Date.now()
      const route = request.params.plugin
      const plugin = plugins.byRoute(route)
      if (plugin === undefined) {
        metrics.webhookRejected('unknown', 'CHATWIRE_ERR_SERVER_ROUTE_NOT_FOUND')
        return sendError(
          reply,
          createServerError(
            'CHATWIRE_ERR_SERVER_ROUTE_NOT_FOUND',
            `no plugin serves /webhooks/${route}; check the plugin's route with "chatwire plugins"`,
          ),
        )
      }

      const verdict = await rateLimiter.check(`webhooks/${route}`, request.ip)
      if (!verdict.allowed) {
        metrics.webhookRejected(route, 'CHATWIRE_ERR_SERVER_RATE_LIMITED')
        return sendError(
          reply,
          createServerError(
            'CHATWIRE_ERR_SERVER_RATE_LIMITED',
            `too many requests from ${request.ip} to /webhooks/${route}; retry after ${verdict.retryAfterSeconds} s`,
          ),
          { 'retry-after': String(verdict.retryAfterSeconds) },
        )
      }

      const result = await intake.handle(plugin, toRawRequest(request, receivedAt), bodyLimitFor(plugin))
      return sendWebhookResponse(reply, result.response)
    },
  })
}
