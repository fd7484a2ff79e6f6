import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino'

/**
 * Paths pino replaces with `[redacted]`. Webhook signatures and bearer tokens travel in headers,
 * and secrets can reach a log line through a config object or an error's details.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-slack-signature"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-hub-signature-256"]',
  'headers["x-hub-signature"]',
  'headers["x-slack-signature"]',
  'authorization',
  'apiKey',
  'accessToken',
  'sendToken',
  'token',
  'secret',
  'secrets',
  'webhookSecrets',
  'appSecrets',
  'verifyToken',
  '*.apiKey',
  '*.accessToken',
  '*.sendToken',
  '*.token',
  '*.secret',
  '*.secrets',
  '*.webhookSecrets',
  '*.appSecrets',
  '*.verifyToken',
]

export interface CreateLoggerOptions {
  level?: string
  /** Destination of log lines. Standard output when unset. */
  destination?: DestinationStream
}

/** Creates the server's root pino logger with redaction; components take child loggers from it. */
export function createLogger(options: CreateLoggerOptions = {}): PinoLogger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'chatwire' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    options.destination,
  )
}
