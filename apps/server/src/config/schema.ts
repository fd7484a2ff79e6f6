import type { JsonSchema } from '@chatwire/core'

const grpcTarget = (defaults: { timeoutMs: number }) => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    target: { type: 'string', pattern: '^.+:[0-9]+$', default: '127.0.0.1:50051' },
    security: { enum: ['insecure', 'tls', 'mtls'], default: 'insecure' },
    tls: {
      type: 'object',
      additionalProperties: false,
      properties: {
        caFile: { type: 'string', minLength: 1 },
        certFile: { type: 'string', minLength: 1 },
        keyFile: { type: 'string', minLength: 1 },
        serverName: { type: 'string', minLength: 1 },
      },
    },
    timeoutMs: { type: 'integer', minimum: 1, default: defaults.timeoutMs },
    breaker: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        consecutiveFailures: { type: 'integer', minimum: 1, default: 5 },
        halfOpenAfterMs: { type: 'integer', minimum: 1, default: 5000 },
      },
    },
  },
})

/**
 * JSON Schema (draft-07) of the server config. Validation fills in every default, so a config
 * of `{}` describes a working sandbox on 127.0.0.1. Plugin configs are validated by their own
 * schemas when the plugin registry loads them.
 */
export const serverConfigSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', minLength: 1, default: '127.0.0.1' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
        bodyLimitBytes: { type: 'integer', minimum: 1, default: 4194304 },
        rateLimit: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            points: { type: 'integer', minimum: 1, default: 100 },
            durationSeconds: { type: 'integer', minimum: 1, default: 1 },
          },
        },
        shutdownTimeoutMs: { type: 'integer', minimum: 0, default: 10000 },
        trustProxy: { type: 'boolean', default: false },
      },
    },
    store: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        path: { type: 'string', minLength: 1, default: './.chatwire/chatwire.db' },
        synchronous: { enum: ['full', 'normal'], default: 'full' },
        backgroundCheckpoints: { type: 'boolean', default: true },
        dedupTtlHours: { type: 'number', minimum: 48, default: 48 },
      },
    },
    engine: { ...grpcTarget({ timeoutMs: 5000 }), default: { target: '127.0.0.1:50051' } },
    securityHub: {
      ...grpcTarget({ timeoutMs: 2000 }),
      properties: {
        ...grpcTarget({ timeoutMs: 2000 }).properties,
        resolveChannels: { type: 'boolean', default: true },
        cacheTtlMs: { type: 'integer', minimum: 0, default: 30000 },
      },
    },
    channels: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['platform', 'channelAccountId', 'tenantId'],
        properties: {
          platform: { type: 'string', minLength: 1 },
          channelAccountId: { type: 'string', minLength: 1 },
          tenantId: { type: 'string', minLength: 1 },
          webhookSecrets: { type: 'array', items: { type: 'string', minLength: 1, 'x-secret': true } },
          sendToken: { type: 'string', minLength: 1, 'x-secret': true },
        },
      },
    },
    plugins: {
      type: 'array',
      default: [],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['package'],
        properties: {
          package: { type: 'string', minLength: 1 },
          config: { type: 'object', default: {} },
          route: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
          bodyLimitBytes: { type: 'integer', minimum: 1 },
        },
      },
    },
    workers: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        concurrency: { type: 'integer', minimum: 1, maximum: 1024, default: 8 },
        pollIntervalMs: { type: 'integer', minimum: 1, default: 50 },
        leaseMs: { type: 'integer', minimum: 1000, default: 30000 },
        maxAttempts: { type: 'integer', minimum: 1, default: 8 },
        backoff: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            initialDelayMs: { type: 'integer', minimum: 0, default: 500 },
            maxDelayMs: { type: 'integer', minimum: 0, default: 60000 },
          },
        },
        sendTimeoutMs: { type: 'integer', minimum: 1, default: 10000 },
      },
    },
    logging: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        level: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
      },
    },
    admin: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
      },
    },
  },
}
