import { assertHmacSignature, createCoreError, type RawWebhookRequest } from '@chatwire/core'
import { createWhatsAppError } from './error-codes.js'

export const SIGNATURE_HEADER = 'x-hub-signature-256'
const LEGACY_SIGNATURE_HEADER = 'x-hub-signature'
const SIGNATURE_VALUE = /^sha256=([0-9a-fA-F]{64})$/

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the raw body bytes keyed with
 * the Meta app secret, against each secret in turn. The body is hashed exactly as received:
 * Meta escapes non-ASCII characters as `\uXXXX` and `/` as `\/`, so re-serialized JSON hashes
 * differently. A missing or malformed header, or no secret at all, is a rejection. The legacy
 * SHA-1 `X-Hub-Signature` header alone is not accepted.
 */
export function verifySignature(request: RawWebhookRequest, secrets: readonly string[]): void {
  const usable = secrets.filter((secret) => secret !== '')
  if (usable.length === 0) {
    throw createCoreError(
      'CHATWIRE_ERR_SECRET_NOT_CONFIGURED',
      'no Meta app secret is configured to verify X-Hub-Signature-256; set appSecrets in the WhatsApp plugin config or store the secret for this channel in the Security Hub',
    )
  }

  const header = request.headers[SIGNATURE_HEADER]
  if (header === undefined || header.trim() === '') {
    const legacyOnly = request.headers[LEGACY_SIGNATURE_HEADER] !== undefined
    throw createCoreError(
      'CHATWIRE_ERR_SIGNATURE_MISSING',
      legacyOnly
        ? 'the X-Hub-Signature-256 header is missing; the legacy SHA-1 X-Hub-Signature header is not accepted'
        : 'the X-Hub-Signature-256 header is missing; Meta signs every webhook with it',
      { details: { header: SIGNATURE_HEADER, legacyHeaderPresent: legacyOnly } },
    )
  }

  const match = SIGNATURE_VALUE.exec(header.trim())
  if (match?.[1] === undefined) {
    throw createWhatsAppError(
      'CHATWIRE_ERR_WHATSAPP_SIGNATURE_MALFORMED',
      'the X-Hub-Signature-256 header is malformed: expected "sha256=" followed by 64 hexadecimal digits',
      { details: { header: SIGNATURE_HEADER } },
    )
  }

  assertHmacSignature({
    secrets: usable,
    signedBytes: request.body,
    signature: match[1].toLowerCase(),
    encoding: 'hex',
    header: 'X-Hub-Signature-256',
  })
}
