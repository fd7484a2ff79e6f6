import { createHmac, timingSafeEqual } from 'node:crypto'
import { createCoreError } from './error-codes.js'

export type DigestEncoding = 'hex' | 'base64'

type Bytes = Uint8Array | string

/** Computes HMAC-SHA256 of `data` with `key`; strings are taken as UTF-8. */
export function hmacSha256(key: Bytes, data: Bytes | readonly Bytes[], encoding: DigestEncoding): string {
  return hmacSha256Bytes(key, data).toString(encoding)
}

function hmacSha256Bytes(key: Bytes, data: Bytes | readonly Bytes[]): Buffer {
  const hmac = createHmac('sha256', key)
  const chunks = Array.isArray(data) ? data : [data as Bytes]
  for (const chunk of chunks) {
    hmac.update(chunk)
  }
  return hmac.digest()
}

const HEX = /^[0-9a-fA-F]*$/
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function decodeDigest(value: string, encoding: DigestEncoding): Buffer | undefined {
  if (encoding === 'hex') {
    return value.length % 2 === 0 && HEX.test(value) ? Buffer.from(value, 'hex') : undefined
  }
  return value.length % 4 === 0 && BASE64.test(value) ? Buffer.from(value, 'base64') : undefined
}

/**
 * Compares two digests in constant time. Returns false, and never throws, when either side
 * is not well-formed in `encoding` or when the lengths differ. A shorter signature, even a
 * prefix of the right one, is a mismatch.
 */
export function digestsEqual(expected: string, received: unknown, encoding: DigestEncoding): boolean {
  if (typeof received !== 'string' || received.length === 0) {
    return false
  }
  const expectedBytes = decodeDigest(expected, encoding)
  const receivedBytes = decodeDigest(received, encoding)
  if (expectedBytes === undefined || receivedBytes === undefined) {
    return false
  }
  if (expectedBytes.length !== receivedBytes.length || expectedBytes.length === 0) {
    return false
  }
  return timingSafeEqual(expectedBytes, receivedBytes)
}

/** Compares two strings, such as verify tokens, in constant time; false on any length mismatch. */
export function stringsEqual(expected: string, received: unknown): boolean {
  if (typeof received !== 'string') {
    return false
  }
  const expectedBytes = Buffer.from(expected, 'utf8')
  const receivedBytes = Buffer.from(received, 'utf8')
  if (expectedBytes.length !== receivedBytes.length) {
    return false
  }
  return timingSafeEqual(expectedBytes, receivedBytes)
}

export interface HmacSignatureCheck {
  /** Active secrets, newest first; several are accepted while a secret is rotated. */
  secrets: readonly Bytes[]
  /** The bytes the platform signed: the raw body, or a base string built from it. */
  signedBytes: Bytes | readonly Bytes[]
  /** The digest the request carries, without any scheme prefix such as `sha256=`. */
  signature: string | undefined
  encoding: DigestEncoding
}

/**
 * Returns the index of the secret whose HMAC-SHA256 matches, or -1. Every secret is tried
 * even after a match, so the time taken does not reveal which one matched.
 */
export function matchHmacSignature(check: HmacSignatureCheck): number {
  let matched = -1
  // A malformed signature matches no secret. Rejecting it before hashing reveals nothing about
  // the secrets, and decoding it once serves every secret.
  const received = check.signature === undefined ? undefined : decodeDigest(check.signature, check.encoding)
  if (received === undefined || received.length === 0) {
    return matched
  }
  check.secrets.forEach((secret, index) => {
    const expected = hmacSha256Bytes(secret, check.signedBytes)
    if (expected.length === received.length && timingSafeEqual(expected, received) && matched === -1) {
      matched = index
    }
  })
  return matched
}

/**
 * Throws the coded rejection for a failed HMAC check: `CHATWIRE_ERR_SECRET_NOT_CONFIGURED`
 * with no secret, `CHATWIRE_ERR_SIGNATURE_MISSING` with no signature, and
 * `CHATWIRE_ERR_SIGNATURE_INVALID` when none of the secrets matches.
 */
export function assertHmacSignature(check: HmacSignatureCheck & { header: string }): void {
  if (check.secrets.length === 0) {
    throw createCoreError(
      'CHATWIRE_ERR_SECRET_NOT_CONFIGURED',
      `no signing secret is configured to verify ${check.header}; add one to the plugin config or the Security Hub`,
    )
  }
  if (check.signature === undefined || check.signature === '') {
    throw createCoreError(
      'CHATWIRE_ERR_SIGNATURE_MISSING',
      `the ${check.header} header is missing or empty`,
      {
        details: { header: check.header },
      },
    )
  }
  if (matchHmacSignature(check) === -1) {
    throw createCoreError(
      'CHATWIRE_ERR_SIGNATURE_INVALID',
      `the ${check.header} header does not match the body signed with any configured secret`,
      { details: { header: check.header } },
    )
  }
}
