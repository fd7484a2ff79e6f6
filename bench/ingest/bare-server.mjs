// The baseline of the ingest benchmark: a node:http server that only reads the body, checks its
// X-Hub-Signature-256 HMAC in constant time and responds with 200. It stores nothing.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'

const secret = process.argv[2] ?? 'sandbox-app-secret'

const server = createServer((request, response) => {
  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    const body = Buffer.concat(chunks)
    const header = String(request.headers['x-hub-signature-256'] ?? '')
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`)
    const received = Buffer.from(header)
    const valid = received.length === expected.length && timingSafeEqual(received, expected)
    response.writeHead(valid ? 200 : 401, { 'content-length': '0' })
    response.end()
  })
})

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
