import type { CallOptions } from '@chatwire/core'
import { Metadata } from '@grpc/grpc-js'

/** Metadata keys sent with every call. */
export const METADATA_KEYS = {
  client: 'x-chatwire-client',
  requestId: 'x-request-id',
  tenantId: 'x-tenant-id',
  traceparent: 'traceparent',
} as const

/** Builds the metadata of one call: client name and version, request id, tenant id and trace context. */
export function createCallMetadata(clientHeader: string, options: CallOptions): Metadata {
  const metadata = new Metadata()
  metadata.set(METADATA_KEYS.client, clientHeader)

  if (options.requestId !== undefined && options.requestId !== '') {
    metadata.set(METADATA_KEYS.requestId, options.requestId)
  }
  if (options.tenantId !== undefined && options.tenantId !== '') {
    metadata.set(METADATA_KEYS.tenantId, options.tenantId)
  }
  if (options.traceparent !== undefined && options.traceparent !== '') {
    metadata.set(METADATA_KEYS.traceparent, options.traceparent)
  }

  return metadata
}
