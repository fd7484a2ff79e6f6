import type { SendOutcome } from '@chatwire/core'
import { asId, asNumber, asRecord, asString } from './parse/values.js'

/** The Graph API error envelope `{ error: { code, message, error_data: { details } } }`, as read. */
export interface GraphError {
  code: string
  message: string
  details?: string
  type?: string
  fbtraceId?: string
}

// The codes below are from Meta's Cloud API error-code reference
// (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).

/**
 * Throttling codes: 4 and 80007 (app and WABA call-rate limits), 130429 (throughput limit of the
 * business number) and 131056 (too many messages to the same user). Sending later succeeds.
 */
export const THROTTLING_CODES: ReadonlySet<string> = new Set(['4', '80007', '130429', '131056'])

/**
 * Transient server-side codes: 1 (unknown API error), 2 (service temporarily unavailable),
 * 131000 (something went wrong), 131016 (service unavailable), 131057 (account in maintenance
 * mode) and 133004 (server temporarily unavailable).
 */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  '1',
  '2',
  '131000',
  '131016',
  '131057',
  '133004',
])

/** Reads the Graph error envelope from a parsed response body, or returns undefined. */
export function readGraphError(body: unknown): GraphError | undefined {
  const error = asRecord(asRecord(body)?.error)
  const code = asId(error?.code)
  if (error === undefined || code === undefined) {
    return undefined
  }
  const result: GraphError = { code, message: asString(error.message) ?? 'no message given' }
  const details = asString(asRecord(error.error_data)?.details)
  if (details !== undefined) {
    result.details = details
  }
  const type = asString(error.type)
  if (type !== undefined) {
    result.type = type
  }
  const fbtraceId = asString(error.fbtrace_id)
  if (fbtraceId !== undefined) {
    result.fbtraceId = fbtraceId
  }
  return result
}

/**
 * Classifies a Graph API error by `error.code`, as Meta advises, not by HTTP status: the same
 * code comes with different statuses across API versions. Throttling and transient codes are
 * retryable (after `retryAfterMs` when the server sent Retry-After). Every other code,
 * including 190 (access token invalid or expired), 100 (invalid parameter), 131026
 * (undeliverable), 131047 (24-hour window closed) and 131051 (unsupported message type), is
 * permanent, unless the HTTP status is 5xx, which no permanent client error comes with.
 */
export function classifyGraphError(
  error: GraphError,
  httpStatus: number,
  retryAfterMs: number | undefined,
): SendOutcome {
  const message = `Graph API error ${error.code}: ${error.message}${error.details === undefined ? '' : ` (${error.details})`}`
  const retryable =
    THROTTLING_CODES.has(error.code) ||
    TRANSIENT_CODES.has(error.code) ||
    (httpStatus >= 500 && error.code !== '190')

  if (retryable) {
    return retryAfterMs === undefined
      ? { status: 'retryable', code: error.code, message, httpStatus }
      : { status: 'retryable', retryAfterMs, code: error.code, message, httpStatus }
  }
  return { status: 'permanent', code: error.code, message, httpStatus }
}

/**
 * Parses a Retry-After header, delay-seconds or an HTTP date (RFC 9110, section 10.2.3), into
 * milliseconds from `now`. Returns undefined when the header is absent or unreadable, and 0
 * for a date in the past.
 */
export function parseRetryAfter(header: string | undefined, now: number): number | undefined {
  if (header === undefined || header.trim() === '') {
    return undefined
  }
  const value = header.trim()
  if (/^\d+$/.test(value)) {
    return (asNumber(value) ?? 0) * 1000
  }
  const date = Date.parse(value)
  if (Number.isNaN(date)) {
    return undefined
  }
  return Math.max(0, date - now)
}
