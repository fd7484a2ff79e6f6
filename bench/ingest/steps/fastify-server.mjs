// The intermediate servers of the ingest bench's `--steps` option. Each adds one part of the
// Chatwire intake to the one before, so the runs show what each part costs:
// - fastify: fastify with a raw-body parser, checking the HMAC as the bare server does.
// - plugin: fastify, then the WhatsApp plugin's verify and parse.
// - store: the same, then the events enqueued in the SQLite store before the 200.
// None of them has the server's rate limit, metrics, event bus or logging.
// Usage: node bench/ingest/steps/fastify-server.mjs STEP SECRET STORE_PATH SYNCHRONOUS CHECKPOINTS
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inboundGroupKey } from '../../../apps/server/dist/intake.js'
import { WhatsAppWebhookProcessor } from '../../../packages/plugin-whatsapp/dist/index.js'
import { openSqliteStore } from '../../../packages/store-sqlite/dist/index.js'

const [step, secret, storePath, synchronous, checkpoints] = process.argv.slice(2)
if (!['fastify', 'plugin', 'store'].includes(step) || secret === undefined) {
  process.stderr.write('usage: fastify-server.mjs fastify|plugin|store SECRET STORE_PATH full|normal background|inline\n')
  process.exit(2)
}

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const Fastify = createRequire(join(root, 'apps/server/package.json'))('fastify')
const processor = new WhatsAppWebhookProcessor({ appSecrets: [secret], verifyToken: 'bench' })
// The same store options as the server's, so this step costs what the server's store costs.
const backgroundCheckpoints = checkpoints === 'background'
const store =
  step === 'store' ? openSqliteStore({ path: storePath, synchronous, backgroundCheckpoints }) : undefined

function hmacMatches(body, header) {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`)
  const received = Buffer.from(String(header ?? ''))
  return received.length === expected.length && timingSafeEqual(received, expected)
}

const app = Fastify()
app.removeAllContentTypeParsers()
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))

app.post('/webhooks/:plugin', async (request, reply) => {
  if (step === 'fastify') {
    return reply.code(hmacMatches(request.body, request.headers['x-hub-signature-256']) ? 200 : 401).send()
  }

  const raw = {
    method: request.method,
    path: request.url,
    headers: request.headers,
    query: {},
    body: request.body,
    receivedAt: Date.now(),
    remoteAddress: request.ip,
  }
  try {
    processor.verify(raw)
  } catch {
    return reply.code(401).send()
  }
  const events = processor.parse(raw)

  if (store !== undefined) {
    await store.queue.enqueue(
      'inbound',
      events.map((event) => ({ payload: event, dedupKey: event.id, groupKey: inboundGroupKey(event) })),
    )
  }
  return reply.code(200).send()
})

await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`listening ${app.server.address().port}\n`)
process.on('SIGTERM', async () => {
  await app.close()
  await store?.close()
  process.exit(0)
})
