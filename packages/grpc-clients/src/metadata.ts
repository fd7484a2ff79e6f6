import type { CallOptions } from '@chatwire/core'
import { Metadata } from '@grpc/grpc-js'

/**
 * Metadata keys sent with calls. The client's name and version travel in the `user-agent`
 * header instead (the channel's `grpc.primary_user_agent`), which grpc-js sends on every call at
 * no extra cost. A separate entry repeating them measurably slowed each call on both sides.
 */
export const METADATA_KEYS = {
  requestId: 'x-request-id',
  tenantId: 'x-tenant-id',
  traceparent: 'traceparent',
} as const

/** Request id and tenant id that a call sends when its CallOptions give none. */
export interface MetadataDefaults {
  readonly requestId?: string | undefined
  readonly tenantId?: string | undefined
}

/**
 * Checks that the client's `name/version` is legal as a header value, so a bad option fails in the
 * constructor rather than on every call. grpc-js throws a plain Error for characters outside
 * printable ASCII.
 */
export function assertLegalClientHeader(clientHeader: string): void {
  new Metadata().set('user-agent-check', clientHeader)
}

/**
 * Builds the metadata of one call: the request id, tenant id and trace context. A value in
 * `options` takes precedence over the one in `defaults`, and empty strings are not sent.
 */
export function createCallMetadata(options: CallOptions, defaults: MetadataDefaults): Metadata {
  const metadata = new Metadata()

  const requestId = options.requestId ?? defaults.requestId
  if (requestId !== undefined && requestId !== '') {
    metadata.set(METADATA_KEYS.requestId, requestId)
  }
  const tenantId = options.tenantId ?? defaults.tenantId
  if (tenantId !== undefined && tenantId !== '') {
    metadata.set(METADATA_KEYS.tenantId, tenantId)
  }
  if (options.traceparent !== undefined && options.traceparent !== '') {
    metadata.set(METADATA_KEYS.traceparent, options.traceparent)
  }

  return metadata
}
