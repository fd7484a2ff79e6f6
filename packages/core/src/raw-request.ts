/**
 * An inbound webhook request exactly as it reached the host. Signatures are always
 * computed over `body`, the bytes as received, never over re-serialized JSON.
 */
export interface RawWebhookRequest {
  method: string
  /** Path without the query string. */
  path: string
  /** Header names are lower-cased; repeated headers are joined with `, `. */
  headers: Readonly<Record<string, string>>
  /** Query parameters; a repeated parameter keeps its first value. */
  query: Readonly<Record<string, string>>
  body: Uint8Array
  /** Unix milliseconds when the host received the request. */
  receivedAt: number
  remoteAddress?: string
}

/** Returns a header map with lower-cased names, joining repeated values as HTTP allows. */
export function normalizeHeaders(
  headers: Iterable<[string, string | readonly string[] | undefined]>,
): Record<string, string> {
  // No prototype, because names such as `constructor` or `__proto__` come from the client.
  const result: Record<string, string> = Object.create(null)

  for (const [name, value] of headers) {
    if (value === undefined) {
      continue
    }
    const key = name.toLowerCase()
    const joined = typeof value === 'string' ? value : value.join(', ')
    result[key] = Object.hasOwn(result, key) ? `${result[key]}, ${joined}` : joined
  }

  return result
}

/** Parses a query string (with or without the leading `?`), keeping the first value of each name. */
export function parseQuery(search: string): Record<string, string> {
  // No prototype, because names such as `constructor` or `__proto__` come from the client.
  const result: Record<string, string> = Object.create(null)

  for (const [name, value] of new URLSearchParams(search)) {
    if (!Object.hasOwn(result, name)) {
      result[name] = value
    }
  }

  return result
}

/** Returns the media type of a Content-Type header, lower-cased and without parameters. */
export function mediaTypeOf(request: Pick<RawWebhookRequest, 'headers'>): string | undefined {
  const header = request.headers['content-type']
  if (header === undefined) {
    return undefined
  }
  const mediaType = header.split(';', 1)[0]?.trim().toLowerCase()
  return mediaType === '' ? undefined : mediaType
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Decodes the body as UTF-8, or returns undefined when the bytes are not valid UTF-8. */
export function bodyText(request: Pick<RawWebhookRequest, 'body'>): string | undefined {
  try {
    return utf8.decode(request.body)
  } catch {
    return undefined
  }
}
