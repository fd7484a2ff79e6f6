import { createHmac } from 'node:crypto'

type Bytes = Uint8Array | string

function hmac(key: Bytes, parts: readonly Bytes[], encoding: 'hex' | 'base64'): string {
  const mac = createHmac('sha256', key)
  for (const part of parts) {
    mac.update(part)
  }
  return mac.digest(encoding)
}

/**
 * Signs a body the way Meta signs WhatsApp, Messenger and Instagram webhooks: lower-case hex
 * HMAC-SHA256 of the raw body keyed with the app secret, sent as `X-Hub-Signature-256: sha256=<hex>`.
 */
export function signMetaSha256(body: Bytes, appSecret: string): Record<string, string> {
  return { 'x-hub-signature-256': `sha256=${hmac(appSecret, [body], 'hex')}` }
}

export interface SlackSignOptions {
  /** Unix seconds put in `X-Slack-Request-Timestamp`; defaults to now. */
  timestamp?: number
}

/**
 * Signs a body the way Slack signs Events API, interactivity and slash-command requests:
 * hex HMAC-SHA256 of the base string `v0:<timestamp>:<raw body>` keyed with the signing
 * secret's UTF-8 bytes, sent as `X-Slack-Signature: v0=<hex>` with `X-Slack-Request-Timestamp`.
 */
export function signSlackV0(
  body: Bytes,
  signingSecret: string,
  options: SlackSignOptions = {},
): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
  const digest = hmac(signingSecret, [`v0:${timestamp}:`, body], 'hex')
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': timestamp }
}

export interface Base64HmacSignOptions {
  /** Header that carries the signature; defaults to `authorization`. */
  header?: string
  /** Text before the digest, such as `HMAC ` (Teams outgoing webhooks) or `sha256=`. Defaults to none. */
  prefix?: string
  /**
   * Encoding of the secret string as key bytes. `base64` decodes it first, because Teams outgoing
   * webhooks hand out a base64 security token. `utf8` uses its characters. Defaults to `utf8`.
   */
  keyEncoding?: 'base64' | 'utf8'
}

/** Signs a body with a standard-base64 HMAC-SHA256 of the raw bytes, as Teams outgoing webhooks and Shopify do. */
export function signBase64Hmac(
  body: Bytes,
  secret: string,
  options: Base64HmacSignOptions = {},
): Record<string, string> {
  const key = options.keyEncoding === 'base64' ? Buffer.from(secret, 'base64') : secret
  const header = (options.header ?? 'authorization').toLowerCase()
  return { [header]: `${options.prefix ?? ''}${hmac(key, [body], 'base64')}` }
}
