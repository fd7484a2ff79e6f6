import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the fake API received, kept in arrival order. */
export interface RecordedRequest {
  method: string
  /** Path without the query string. */
  path: string
  query: Record<string, string>
  /** Lower-cased header names. */
  headers: Record<string, string>
  body: Buffer
  /** The body decoded as UTF-8. */
  text: string
  /** Whether a scripted route matched; unmatched requests get a 404. */
  matched: boolean
}

/** The fake API's behaviour for one request. */
export type ScriptedReply =
  | {
      kind: 'respond'
      status: number
      headers?: Record<string, string>
      /** A string is sent as is; anything else is sent as JSON. */
      body?: unknown
      /** Waits this long before responding, in milliseconds. */
      delayMs?: number
    }
  | { kind: 'drop' }

type RespondReply = Extract<ScriptedReply, { kind: 'respond' }>

/** Builders of typical platform replies. */
export const reply = {
  json(status: number, body: unknown, headers: Record<string, string> = {}): RespondReply {
    return { kind: 'respond', status, body, headers }
  },
  ok(body: unknown = {}): ScriptedReply {
    return { kind: 'respond', status: 200, body }
  },
  clientError(status = 400, body: unknown = { error: { message: 'bad request' } }): ScriptedReply {
    return { kind: 'respond', status, body }
  },
  /** A 429 carrying `Retry-After` in seconds, unless `retryAfterSeconds` is undefined. */
  rateLimited(
    retryAfterSeconds: number | undefined,
    body: unknown = { error: { message: 'rate limited' } },
  ): ScriptedReply {
    const headers: Record<string, string> =
      retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }
    return { kind: 'respond', status: 429, body, headers }
  },
  serverError(status = 503, body: unknown = { error: { message: 'unavailable' } }): ScriptedReply {
    return { kind: 'respond', status, body }
  },
  /** Closes the connection without a response, as a crashed upstream or a dead proxy does. */
  drop(): ScriptedReply {
    return { kind: 'drop' }
  },
}

type PathMatcher = string | RegExp

/** The replies scripted for one method and path. */
export class ScriptedRoute {
  readonly #once: ScriptedReply[] = []
  #standing: ScriptedReply | undefined

  constructor(
    readonly method: string,
    readonly path: PathMatcher,
  ) {}

  /** Responds to every request with `scripted` once the one-off replies are used up. */
  reply(scripted: ScriptedReply): this {
    this.#standing = scripted
    return this
  }

  /** Queues a reply for the next request only; queued replies are used in order. */
  replyOnce(scripted: ScriptedReply): this {
    this.#once.push(scripted)
    return this
  }

  matches(method: string, path: string): boolean {
    if (method !== this.method) {
      return false
    }
    return typeof this.path === 'string' ? this.path === path : this.path.test(path)
  }

  /** Returns the next reply, or undefined when nothing is scripted. */
  next(): ScriptedReply | undefined {
    return this.#once.shift() ?? this.#standing
  }
}

export interface FakePlatformApi {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string
  /** Requests received so far, oldest first. */
  readonly requests: readonly RecordedRequest[]
  /** Scripts the replies to `method` requests on `path` (exact pathname, or a RegExp over it). */
  on(method: string, path: PathMatcher): ScriptedRoute
  /** Forgets every route and recorded request. */
  reset(): void
  close(): Promise<void>
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

function send(response: ServerResponse, scripted: RespondReply): void {
  const isText = typeof scripted.body === 'string'
  let payload = ''
  if (isText) {
    payload = String(scripted.body)
  } else if (scripted.body !== undefined) {
    payload = JSON.stringify(scripted.body)
  }
  const headers: Record<string, string> = {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...scripted.headers,
  }
  response.writeHead(scripted.status, headers)
  response.end(payload)
}

/**
 * Starts a local stand-in for a platform's send API on 127.0.0.1: it records every request and
 * responds with the replies scripted per route (successes, 4xx, 429 with Retry-After, 5xx or a
 * dropped connection). Requests that match no route get a 404 so a wrong URL shows in the test.
 */
export async function startFakePlatformApi(): Promise<FakePlatformApi> {
  const routes: ScriptedRoute[] = []
  const requests: RecordedRequest[] = []
  const timers = new Set<NodeJS.Timeout>()

  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request)
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const method = (request.method ?? 'GET').toUpperCase()
    const route = routes.find((candidate) => candidate.matches(method, url.pathname))
    const scripted = route?.next()

    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value
      }
    }
    requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      text: body.toString('utf8'),
      matched: scripted !== undefined,
    })

    if (scripted === undefined) {
      const error = `the fake platform API has no reply scripted for ${method} ${url.pathname}`
      send(response, reply.json(404, { error }))
      return
    }
    if (scripted.kind === 'drop') {
      request.socket.destroy()
      return
    }
    if (scripted.delayMs !== undefined && scripted.delayMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer)
        if (!response.destroyed) {
          send(response, scripted)
        }
      }, scripted.delayMs)
      timers.add(timer)
      return
    }
    send(response, scripted)
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, path) {
      const route = new ScriptedRoute(method.toUpperCase(), path)
      // The newest script for a path wins, so a test can override a default route.
      routes.unshift(route)
      return route
    },
    reset() {
      routes.length = 0
      requests.length = 0
    },
    close() {
      for (const timer of timers) {
        clearTimeout(timer)
      }
      timers.clear()
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      })
    },
  }
}
