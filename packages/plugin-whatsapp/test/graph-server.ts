import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CapturedRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: unknown
}

export type GraphHandler = (request: CapturedRequest, response: ServerResponse) => void

/**
 * A local HTTP server on 127.0.0.1 that responds like the Graph API. Each test sets `handler`;
 * every request is recorded in `requests`.
 */
export class GraphServer {
  readonly requests: CapturedRequest[] = []
  handler: GraphHandler = (_request, response) => GraphServer.json(response, 500, {})
  #server: Server | undefined
  origin = ''

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        const captured: CapturedRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: text === '' ? undefined : JSON.parse(text),
        }
        this.requests.push(captured)
        this.handler(captured, res)
      })
    })
    this.#server.listen(0, '127.0.0.1')
    await once(this.#server, 'listening')
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`
  }

  reset(): void {
    this.requests.length = 0
  }

  async stop(): Promise<void> {
    if (this.#server === undefined) {
      return
    }
    this.#server.closeAllConnections()
    this.#server.close()
    await once(this.#server, 'close')
  }

  static json(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    response.writeHead(status, { 'content-type': 'application/json', ...headers })
    response.end(JSON.stringify(body))
  }

  static graphError(code: number, message: string, details?: string) {
    return {
      error: {
        message,
        type: 'OAuthException',
        code,
        error_data: details === undefined ? undefined : { messaging_product: 'whatsapp', details },
        fbtrace_id: 'trace-test-1',
      },
    }
  }
}
