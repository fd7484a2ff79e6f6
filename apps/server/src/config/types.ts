import type { GrpcSecurity } from '@chatwire/core'

/** TLS files of a gRPC connection; paths are relative to the config file's folder. */
export interface GrpcTlsConfig {
  caFile?: string
  certFile?: string
  keyFile?: string
  serverName?: string
}

export interface GrpcTargetConfig {
  /** Server address as `host:port`. */
  target: string
  security: GrpcSecurity
  tls?: GrpcTlsConfig
  /** Deadline of one call, in milliseconds. */
  timeoutMs: number
  breaker: { consecutiveFailures: number; halfOpenAfterMs: number }
}

export interface SecurityHubConfig extends GrpcTargetConfig {
  /** Resolve webhook secrets, tenants and send tokens through ResolveChannel. */
  resolveChannels: boolean
  /** Time a ResolveChannel result is reused, in milliseconds. */
  cacheTtlMs: number
}

export interface StaticChannelConfig {
  platform: string
  channelAccountId: string
  tenantId: string
  /** Webhook secrets of this channel, newest first; the plugin's own secrets apply when absent. */
  webhookSecrets?: string[]
  /** Token for the platform's send API; the plugin's own token applies when absent. */
  sendToken?: string
}

export interface PluginConfigEntry {
  package: string
  config: Record<string, unknown>
  /** Route segment under `/webhooks/`; the plugin's own route when absent. */
  route?: string
  /** Body limit of this plugin's route, in bytes, up to `server.bodyLimitBytes`; that limit when absent. */
  bodyLimitBytes?: number
}

export interface ServerConfig {
  server: {
    host: string
    port: number
    bodyLimitBytes: number
    rateLimit: { points: number; durationSeconds: number }
    shutdownTimeoutMs: number
    /** Trust `X-Forwarded-For` from a reverse proxy when computing the client address. */
    trustProxy: boolean
  }
  store: {
    path: string
    synchronous: 'full' | 'normal'
    /** Checkpoints on a worker thread; the event loop then copies the write-ahead log only at its bound. */
    backgroundCheckpoints: boolean
    /** Time de-duplication keys are kept, in hours. */
    dedupTtlHours: number
  }
  engine: GrpcTargetConfig
  securityHub?: SecurityHubConfig
  channels: StaticChannelConfig[]
  plugins: PluginConfigEntry[]
  workers: {
    /** Run the inbound and outbound workers in this process; false for an intake-only process. */
    enabled: boolean
    concurrency: number
    pollIntervalMs: number
    leaseMs: number
    maxAttempts: number
    backoff: { initialDelayMs: number; maxDelayMs: number }
    /** Time limit of one platform send call, in milliseconds. */
    sendTimeoutMs: number
  }
  logging: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' }
  admin: { enabled: boolean }
}

/** A loaded config together with where it came from. */
export interface LoadedConfig {
  config: ServerConfig
  /** Absolute path of the config file, or undefined for a config given as an object. */
  file: string | undefined
  /** Folder that relative paths in the config are resolved against. */
  baseDir: string
}
