import type { CallOptions } from '@chatwire/core'
import { Metadata } from '@grpc/grpc-js'

/** Metadata keys sent with every call. */
export const METADATA_KEYS = {
  client: 'x-chatwire-client',
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
 * Builds the metadata that every call of one client shares, which is the client name and version.
 * grpc-js throws a plain Error when the header has characters outside printable ASCII.
 */
export function createClientMetadata(clientHeader: string): Metadata {
  const metadata = new Metadata()
  metadata.set(METADATA_KEYS.client, clientHeader)
  return metadata
}

/**
 * Builds the metadata of one call: a copy of the client's metadata plus the request id, tenant id
 * and trace context. A value in `options` takes precedence over the one in
 * `defaults`, and empty strings are not sent.
 */
export function createCallMetadata(
  clientMetadata: Metadata,
  options: CallOptions,
  defaults: MetadataDefaults,
): Metadata {
  const metadata = clientMetadata.clone()

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
