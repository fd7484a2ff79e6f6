import { createHash } from 'node:crypto'

/**
 * Derives a stable event id from the platform's own ids, so a redelivered webhook maps to
 * the same id and de-duplication works. The parts are hashed because platform ids can be
 * long and contain any character; the platform and kind stay readable in front.
 */
export function stableEventId(platform: string, kind: string, ...parts: readonly string[]): string {
  if (parts.length === 0) {
    throw new TypeError('stableEventId needs at least one platform id to derive from')
  }
  const digest = createHash('sha256')
    .update(JSON.stringify([platform, kind, ...parts]))
    .digest('hex')
  return `${platform}:${kind}:${digest.slice(0, 40)}`
}

/** Converts Unix seconds (number or numeric string, as Meta sends) to an ISO 8601 UTC string. */
export function unixSecondsToIso(seconds: string | number): string | undefined {
  const value = typeof seconds === 'string' ? Number(seconds) : seconds
  if (typeof seconds === 'string' && !/^\d+(\.\d+)?$/.test(seconds.trim())) {
    return undefined
  }
  if (!Number.isFinite(value)) {
    return undefined
  }
  return new Date(value * 1000).toISOString()
}
