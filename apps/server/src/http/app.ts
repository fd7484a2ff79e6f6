import { ChatwireError, createCoreError, type Logger } from '@chatwire/core'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import { createServerError } from '../error-codes.js'
import type { ServerMetrics } from '../metrics.js'
import { keepRawBodies } from './raw-body.js'
import { sendError } from './reply-error.js'

export interface CreateHttpAppOptions {
  logger: Logger
  metrics: ServerMetrics
  /** Largest body fastify reads before any route's own limit, in bytes. */
  bodyLimitBytes: number
  trustProxy: boolean
}

/** Maps an error fastify raised while reading the request to a coded Chatwire error. */
function toChatwireError(error: Error & { code?: string; statusCode?: number }): ChatwireError {
  if (error instanceof ChatwireError) {
    return error
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return createCoreError('CHATWIRE_ERR_BODY_TOO_LARGE', `${error.message}; send a smaller body`, {
        cause: error,
      })
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return createCoreError('CHATWIRE_ERR_BODY_READ_FAILED', error.message, { cause: error })
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return createServerError('CHATWIRE_ERR_SERVER_BAD_REQUEST', error.message, { cause: error })
  }
  return createServerError(
    'CHATWIRE_ERR_SERVER_INTERNAL',
    'the server failed to handle the request; see its log',
    {
      cause: error,
    },
  )
}

/**
 * Creates the fastify instance with raw-body parsing, coded JSON errors for every failure
 * (including unknown routes) and no per-request log lines: the pipeline logs what matters.
 */
export function createHttpApp(options: CreateHttpAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // fastify would build a child logger for every request only to bind its id. Few requests
    // log anything, so the handlers that do log add `reqId` themselves.
    childLoggerFactory: (logger) => logger,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    return503OnClosing: true,
  })
  keepRawBodies(app)

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    const coded = toChatwireError(error)
    const status = coded.statusCode ?? 500
    if (status >= 500) {
      request.log.error({ err: error, reqId: request.id, url: request.url.split('?', 1)[0] }, 'request failed')
    } else {
      request.log.info(
        { code: coded.code, reqId: request.id, url: request.url.split('?', 1)[0] },
        'request rejected',
      )
    }
    const params = request.params as { plugin?: string } | undefined
    if (request.url.startsWith('/webhooks/') && params?.plugin !== undefined) {
      options.metrics.webhookRejected(params.plugin, coded.code)
    }
    return sendError(reply, coded)
  })

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      createServerError(
        'CHATWIRE_ERR_SERVER_ROUTE_NOT_FOUND',
        `no route serves ${request.method} ${request.url.split('?', 1)[0]}; webhooks go to /webhooks/<plugin route>`,
      ),
    ),
  )

  return app
}
