/**
 * The logging surface Chatwire uses, a subset of pino's API so a pino logger can be passed
 * as is. The merging object comes first and the message second.
 */
export interface Logger {
  trace(object: object, message?: string): void
  debug(object: object, message?: string): void
  info(object: object, message?: string): void
  warn(object: object, message?: string): void
  error(object: object, message?: string): void
  child(bindings: Record<string, unknown>): Logger
}

const noop = (): void => {}

/** A logger that drops everything, the default for libraries embedded without one. */
export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
}
