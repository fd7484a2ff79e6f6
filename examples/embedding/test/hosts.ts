import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { NormalizedEvent, WebhookProcessor } from '@chatwire/core'
import {
  createExpressApp,
  createFastifyApp,
  createFetchHandler,
  createNodeHttpServer,
} from '../dist/index.js'

export interface RunningHost {
  url: string
  close(): Promise<void>
}

type OnEvents = (events: readonly NormalizedEvent[]) => Promise<void>

async function listen(server: Server): Promise<RunningHost> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/**
 * Serves a Fetch API handler from node:http for the test, the way Deno.serve or Bun.serve would
 * call it: one `Request` in, one `Response` out.
 */
function serveFetch(handler: (request: Request) => Promise<Response>): Server {
  return createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = []
    for await (const chunk of incoming) {
      chunks.push(chunk as Buffer)
    }
    const headers = new Headers()
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string') {
        headers.set(name, value)
      }
    }
    const body = chunks.length === 0 ? undefined : Buffer.concat(chunks)
    const response = await handler(
      new Request(`http://${incoming.headers.host}${incoming.url}`, {
        method: incoming.method,
        headers,
        body,
      }),
    )
    outgoing.writeHead(response.status, Object.fromEntries(response.headers))
    outgoing.end(Buffer.from(await response.arrayBuffer()))
  })
}

/** Starts each example host on 127.0.0.1 port 0. */
export const hosts: Record<
  string,
  (processor: WebhookProcessor, onEvents: OnEvents) => Promise<RunningHost>
> = {
  'node:http': (processor, onEvents) => listen(createNodeHttpServer(processor, onEvents)),
  express: async (processor, onEvents) => {
    const app = createExpressApp(processor, onEvents)
    return listen(createServer(app))
  },
  fastify: async (processor, onEvents) => {
    const app = await createFastifyApp(processor, onEvents)
    const url = await app.listen({ host: '127.0.0.1', port: 0 })
    return { url, close: () => app.close() }
  },
  fetch: (processor, onEvents) => listen(serveFetch(createFetchHandler(processor, onEvents))),
}
