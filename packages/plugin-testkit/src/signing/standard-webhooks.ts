import { createHmac, randomBytes, randomUUID } from 'node:crypto'

const SECRET_PREFIX = 'whsec_'

export interface StandardWebhooksSignOptions {
  /** Value of `webhook-id`, the de-duplication key; defaults to a random `msg_` id. */
  id?: string
  /** Unix seconds put in `webhook-timestamp`; defaults to now. */
  timestamp?: number
}

/** Returns the HMAC key of a Standard Webhooks secret: the base64-decoded part after `whsec_`. */
export function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret
  return Buffer.from(encoded, 'base64')
}

/** Creates a random Standard Webhooks secret, `whsec_` followed by 24 base64-encoded random bytes. */
export function createStandardWebhooksSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`
}

/**
 * Signs a body per the Standard Webhooks specification: `webhook-signature` is `v1,` and the
 * base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`, keyed with the decoded `whsec_` secret.
 */
export function signStandardWebhook(
  body: Uint8Array | string,
  secret: string,
  options: StandardWebhooksSignOptions = {},
): Record<string, string> {
  const id = options.id ?? `msg_${randomUUID().replaceAll('-', '')}`
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
  const digest = createHmac('sha256', standardWebhooksKey(secret))
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest('base64')
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${digest}` }
}
