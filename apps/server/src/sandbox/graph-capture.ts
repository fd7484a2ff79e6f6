import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One message the capture server received, as the Graph API would have. */
export interface CapturedMessage {
  /** The phone number id from the URL path. */
  phoneNumberId: string
  apiVersion: string
  authorization: string | undefined
  body: Record<string, unknown>
  /** The wamid the capture server returned; undefined when it returned a scripted failure. */
  messageId: string | undefined
  receivedAt: number
}

/** A scripted response: status, extra headers and a JSON body. */
export interface CaptureAnswer {
  status: number
  headers?: Record<string, string>
  body: unknown
}

export interface GraphCaptureOptions {
  host?: string
  /** Port to listen on; 0 picks a free one. */
  port?: number
  /** Called for every message after the response was sent. */
  onMessage?: (message: CapturedMessage) => void
  /**
   * Chooses the response to a request. When it is unset or returns undefined, the server
   * responds like Graph on success.
   */
  respond?: (message: Omit<CapturedMessage, 'messageId'>) => CaptureAnswer | undefined
}

export interface GraphCapture {
  readonly url: string
  readonly port: number
  readonly messages: readonly CapturedMessage[]
  close(): Promise<void>
}

const MESSAGES_PATH = /^\/([^/]+)\/([^/]+)\/messages$/

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function answer(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers })
  response.end(JSON.stringify(body))
}

/**
 * Starts a local HTTP server that replaces the WhatsApp Cloud API's send endpoint
 * (`POST /{version}/{phone-number-id}/messages`) for the sandbox and the tests. It responds like
 * Graph, with a `wamid.` id, unless `respond` scripts another response. It never forwards anything.
 */
export async function startGraphCapture(options: GraphCaptureOptions = {}): Promise<GraphCapture> {
  const messages: CapturedMessage[] = []

  const server: Server = createServer((request, response) => {
    void (async () => {
      const match = MESSAGES_PATH.exec(request.url?.split('?', 1)[0] ?? '')
      if (request.method !== 'POST' || match === null) {
        answer(response, 404, { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } })
        return
      }
      const text = await readBody(request)
      let body: Record<string, unknown>
      try {
        body = JSON.parse(text) as Record<string, unknown>
      } catch {
        answer(response, 400, { error: { message: 'Invalid JSON', type: 'OAuthException', code: 100 } })
        return
      }
      const received = {
        apiVersion: match[1] ?? '',
        phoneNumberId: decodeURIComponent(match[2] ?? ''),
        authorization: request.headers.authorization,
        body,
        receivedAt: Date.now(),
      }
      const scripted = options.respond?.(received)
      if (scripted !== undefined) {
        messages.push({ ...received, messageId: undefined })
        answer(response, scripted.status, scripted.body, scripted.headers)
        return
      }
      const messageId = `wamid.capture${randomBytes(10).toString('hex')}`
      const captured = { ...received, messageId }
      messages.push(captured)
      answer(response, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: String(body.to ?? ''), wa_id: String(body.to ?? '') }],
        messages: [{ id: messageId }],
      })
      options.onMessage?.(captured)
    })().catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : undefined)
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const host = options.host ?? '127.0.0.1'

  return {
    url: `http://${host}:${port}`,
    port,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
