import { ServerCredentials } from '@grpc/grpc-js'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { McpEngineClient } from '../src/index.js'
import type { TestCertificates } from './helpers/certificates.js'
import { generateTestCertificates } from './helpers/certificates.js'
import { ScriptedServer, validInput } from './helpers/scripted-server.js'

let certificates: TestCertificates
let server: ScriptedServer
let client: McpEngineClient | undefined

beforeAll(() => {
  certificates = generateTestCertificates()
})

afterEach(async () => {
  await client?.close()
  client = undefined
  server?.stop()
})

function serverCredentials(requireClientCert: boolean): ServerCredentials {
  return ServerCredentials.createSsl(
    Buffer.from(certificates.ca),
    [{ cert_chain: Buffer.from(certificates.serverCert), private_key: Buffer.from(certificates.serverKey) }],
    requireClientCert,
  )
}

describe('McpEngineClient over TLS', () => {
  it('should call a TLS server that presents a certificate from the given CA', async () => {
    server = await new ScriptedServer(serverCredentials(false)).start()
    client = new McpEngineClient({
      target: `localhost:${server.port}`,
      security: 'tls',
      tls: { ca: certificates.ca },
    })

    await expect(client.processMessage(validInput('req-tls'))).resolves.toMatchObject({
      replyContent: 'reply to req-tls',
    })
    expect(client.connectionInfo().security).toBe('tls')
  })

  it('should check the certificate against serverName', async () => {
    server = await new ScriptedServer(serverCredentials(false)).start()
    client = new McpEngineClient({
      target: server.target,
      security: 'tls',
      tls: { ca: certificates.ca, serverName: 'localhost' },
    })

    await expect(client.processMessage(validInput())).resolves.toMatchObject({ success: true })
  })

  it('should reject a server certificate from an unknown CA', async () => {
    server = await new ScriptedServer(serverCredentials(false)).start()
    client = new McpEngineClient({
      target: `localhost:${server.port}`,
      security: 'tls',
      retry: { maxAttempts: 1 },
      tls: { ca: generateTestCertificates().ca },
    })

    await expect(client.processMessage(validInput())).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_UNAVAILABLE',
    })
    expect(server.calls).toHaveLength(0)
  })

  it('should fail an insecure client against a TLS server', async () => {
    server = await new ScriptedServer(serverCredentials(false)).start()
    client = new McpEngineClient({ target: server.target, security: 'insecure', retry: { maxAttempts: 1 } })

    await expect(client.processMessage(validInput(), { timeoutMs: 2_000 })).rejects.toMatchObject({
      code: expect.stringMatching(/^CHATWIRE_ERR_GRPC_(UNAVAILABLE|DEADLINE_EXCEEDED)$/),
    })
    expect(server.calls).toHaveLength(0)
  })
})

describe('McpEngineClient over mTLS', () => {
  it('should call a server that requires a client certificate', async () => {
    server = await new ScriptedServer(serverCredentials(true)).start()
    client = new McpEngineClient({
      target: `localhost:${server.port}`,
      security: 'mtls',
      tls: { ca: certificates.ca, cert: certificates.clientCert, key: certificates.clientKey },
    })

    await expect(client.processMessage(validInput('req-mtls'))).resolves.toMatchObject({
      replyContent: 'reply to req-mtls',
    })
  })

  it('should be rejected without a client certificate', async () => {
    server = await new ScriptedServer(serverCredentials(true)).start()
    client = new McpEngineClient({
      target: `localhost:${server.port}`,
      security: 'tls',
      retry: { maxAttempts: 1 },
      tls: { ca: certificates.ca },
    })

    await expect(client.processMessage(validInput(), { timeoutMs: 2_000 })).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_UNAVAILABLE',
    })
    expect(server.calls).toHaveLength(0)
  })
})
