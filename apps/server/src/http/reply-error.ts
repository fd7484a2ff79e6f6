import { type ChatwireError, errorResponse, type WebhookResponse } from '@chatwire/core'
import type { FastifyReply } from 'fastify'

/** Writes a core WebhookResponse (status, headers, body) to a fastify reply. */
export function sendWebhookResponse(reply: FastifyReply, response: WebhookResponse): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body)
}

/** Sends the coded JSON error shape `{ error: { code, message } }` used by every route. */
export function sendError(
  reply: FastifyReply,
  error: ChatwireError,
  headers: Record<string, string> = {},
): FastifyReply {
  return sendWebhookResponse(reply, errorResponse(error, headers))
}
