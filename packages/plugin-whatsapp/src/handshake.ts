import {
  createCoreError,
  errorResponse,
  stringsEqual,
  type RawWebhookRequest,
  type WebhookResponse,
} from '@chatwire/core'

/**
 * Responds to Meta's endpoint verification GET: `hub.mode=subscribe` with the configured verify
 * token gets the bare `hub.challenge` back as plain text, and every other GET or HEAD gets 403.
 * Returns undefined for other methods, because a POST is an event notification.
 */
export function answerHandshake(
  request: RawWebhookRequest,
  verifyToken: string,
): WebhookResponse | undefined {
  const method = request.method.toUpperCase()
  if (method !== 'GET' && method !== 'HEAD') {
    return undefined
  }

  const mode = request.query['hub.mode']
  const token = request.query['hub.verify_token']
  const challenge = request.query['hub.challenge']

  // The token is compared first and in constant time, so the response time does not depend on
  // how much of a guessed token matches.
  const tokenMatches = verifyToken !== '' && stringsEqual(verifyToken, token)
  if (!tokenMatches || mode !== 'subscribe' || challenge === undefined || challenge === '') {
    const error = createCoreError(
      'CHATWIRE_ERR_HANDSHAKE_REJECTED',
      'the WhatsApp verification request was rejected: it needs hub.mode=subscribe, a hub.challenge and the hub.verify_token configured as verifyToken',
    )
    return errorResponse(error)
  }

  return {
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: challenge,
  }
}
