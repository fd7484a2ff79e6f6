/** The logging surface the clients use: pino-compatible, merging object first, message second. */
export interface ClientLogger {
  debug(object: object, message?: string): void
  info(object: object, message?: string): void
  warn(object: object, message?: string): void
  error(object: object, message?: string): void
  child?(bindings: Record<string, unknown>): ClientLogger
}

const noop = (): void => {}

export const silentLogger: ClientLogger = { debug: noop, info: noop, warn: noop, error: noop }

export function childLogger(logger: ClientLogger, bindings: Record<string, unknown>): ClientLogger {
  return typeof logger.child === 'function' ? logger.child(bindings) : logger
}
