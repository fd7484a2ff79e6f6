const BRAND = Symbol.for('chatwire.error')

export interface ChatwireErrorOptions {
  cause?: unknown
  /** HTTP status of the response when this error ends a webhook request. */
  statusCode?: number
  /** Machine-readable facts about the failure, safe to log (never secrets). */
  details?: Readonly<Record<string, unknown>>
}

/**
 * Base class of every error Chatwire raises. Match on `code`, which is stable across
 * releases: plugins are versioned separately, so two copies of this class can be loaded,
 * and `instanceof` only works across copies because of the brand checked below.
 */
export class ChatwireError extends Error {
  readonly code: string
  readonly statusCode: number | undefined
  readonly details: Readonly<Record<string, unknown>> | undefined
  declare readonly [BRAND]: true

  constructor(code: string, message: string, options: ChatwireErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ChatwireError'
    this.code = code
    this.statusCode = options.statusCode
    this.details = options.details
    Object.defineProperty(this, BRAND, { value: true })
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check, so `instanceof SubClass` stays exact.
    if (this !== ChatwireError) {
      return Function.prototype[Symbol.hasInstance].call(this, value)
    }
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }

  /**
   * Returns `reason` unchanged when it is already a ChatwireError, and otherwise wraps it
   * with `code`, keeping the original as `cause`.
   */
  static from(reason: unknown, code = 'CHATWIRE_ERR_INTERNAL', statusCode?: number): ChatwireError {
    if (reason instanceof ChatwireError) {
      return reason
    }
    const message = reason instanceof Error ? reason.message : String(reason)
    return new ChatwireError(code, message, { cause: reason, statusCode })
  }

  /** Returns a plain object for logs and JSON error bodies. */
  toJSON(): { code: string; message: string; details?: Readonly<Record<string, unknown>> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** An entry of a package's error registry: the HTTP status, when the error can reach a response. */
export interface ErrorCatalogEntry {
  readonly statusCode?: number
}

export type ErrorCatalog = Readonly<Record<string, ErrorCatalogEntry>>

/**
 * Builds a factory that creates errors from one package's registry, so every code
 * raised is listed in that registry and therefore in docs/errors.md.
 */
export function createErrorFactory<Catalog extends ErrorCatalog>(catalog: Catalog) {
  return function createError(
    code: keyof Catalog & string,
    message: string,
    options: Omit<ChatwireErrorOptions, 'statusCode'> = {},
  ): ChatwireError {
    return new ChatwireError(code, message, { ...options, statusCode: catalog[code]?.statusCode })
  }
}

/**
 * Lists the error codes that a section of docs/errors.md documents. A section starts at a
 * `## <title>` heading and a code is any `CHATWIRE_ERR_*` name in backticks at the start of a
 * table row.
 * @internal used by each package's drift test
 */
export function errorCodesDocumentedIn(markdown: string, sectionTitle: string): Set<string> {
  const codes = new Set<string>()
  let inSection = false

  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) {
      inSection = line.slice(3).trim() === sectionTitle
      continue
    }
    const match = /^\|\s*`(CHATWIRE_ERR_[A-Z0-9_]+)`/.exec(line)
    if (inSection && match?.[1] !== undefined) {
      codes.add(match[1])
    }
  }

  return codes
}
