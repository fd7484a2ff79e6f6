import type { ChannelCredentials, ChannelOptions } from '@grpc/grpc-js'
import { credentials } from '@grpc/grpc-js'
import type { ResolvedClientOptions } from './options.js'

function toBuffer(pem: Buffer | string | undefined): Buffer | null {
  if (pem === undefined) {
    return null
  }
  return typeof pem === 'string' ? Buffer.from(pem) : pem
}

/** Builds the channel credentials for the security mode the options name. */
export function createChannelCredentials(options: ResolvedClientOptions): ChannelCredentials {
  switch (options.security) {
    case 'insecure':
      return credentials.createInsecure()
    case 'tls':
      return credentials.createSsl(toBuffer(options.tls.ca))
    case 'mtls':
      return credentials.createSsl(
        toBuffer(options.tls.ca),
        toBuffer(options.tls.key),
        toBuffer(options.tls.cert),
      )
  }
}

/** Builds grpc-js channel options: keepalive, user agent, reconnect backoff and TLS name override. */
export function createChannelOptions(options: ResolvedClientOptions): ChannelOptions {
  const channelOptions: ChannelOptions = {
    'grpc.keepalive_time_ms': options.keepalive.timeMs,
    'grpc.keepalive_timeout_ms': options.keepalive.timeoutMs,
    // Pings without calls in flight are rejected by default gRPC servers.
    'grpc.keepalive_permit_without_calls': 0,
    'grpc.primary_user_agent': `${options.clientName}/${options.clientVersion}`,
    'grpc.initial_reconnect_backoff_ms': 500,
    'grpc.max_reconnect_backoff_ms': 10_000,
  }

  if (options.security !== 'insecure' && options.tls.serverName !== undefined) {
    channelOptions['grpc.ssl_target_name_override'] = options.tls.serverName
    channelOptions['grpc.default_authority'] = options.tls.serverName
  }

  return { ...channelOptions, ...options.channelOptions }
}
