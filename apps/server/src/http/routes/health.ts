import type { FastifyInstance } from 'fastify'
import type { ServerMetrics } from '../../metrics.js'

/** Readiness of one dependency. */
export interface ReadinessCheck {
  name: string
  ready: boolean
  detail?: unknown
}

export interface HealthRouteOptions {
  metrics: ServerMetrics
  /** Runs every readiness check: store writable, gRPC clients healthy, not shutting down. */
  readiness: () => Promise<ReadinessCheck[]>
}

/** Registers `GET /healthz` (process alive), `GET /readyz` (dependencies usable) and `GET /metrics`. */
export function registerHealthRoutes(app: FastifyInstance, options: HealthRouteOptions): void {
  app.get('/healthz', async (_request, reply) => reply.code(200).send({ status: 'ok' }))

  app.get('/readyz', async (_request, reply) => {
    const checks = await options.readiness()
    const ready = checks.every((check) => check.ready)
    if (ready) {
      return reply.code(200).send({ status: 'ready', checks })
    }
    const failing = checks.filter((check) => !check.ready).map((check) => check.name)
    return reply.code(503).send({
      status: 'not ready',
      checks,
      error: { code: 'CHATWIRE_ERR_SERVER_NOT_READY', message: `not ready: ${failing.join(', ')}` },
    })
  })

  app.get('/metrics', async (_request, reply) =>
    reply
      .code(200)
      .header('content-type', options.metrics.contentType)
      .send(await options.metrics.render()),
  )
}
