import { McpEngineClient, SecurityHubClient } from '@chatwire/grpc-clients'
import { health } from '@chatwire/grpc-clients/generated'
import { credentials } from '@grpc/grpc-js'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
// The certificate helper lives with the client tests; it generates a throwaway CA with node-forge.
import type { TestCertificates } from '../../../packages/grpc-clients/test/helpers/certificates.js'
import { generateTestCertificates } from '../../../packages/grpc-clients/test/helpers/certificates.js'
import type { ReferenceEngine } from '../src/index.js'
import { MCP_ENGINE_SERVICE_NAME, startReferenceEngine } from '../src/index.js'

const { HealthCheckResponse_ServingStatus: ServingStatus } = health

let certificates: TestCertificates
let engine: ReferenceEngine | undefined
const cleanups: (() => unknown)[] = []

beforeAll(() => {
  certificates = generateTestCertificates()
})

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) {
    await cleanup()
  }
  await engine?.close()
  engine = undefined
})

describe('reference engine over mTLS', () => {
  it('should serve a client with a certificate and reject one without', async () => {
    engine = await startReferenceEngine({
      port: 0,
      data: {
        tenants: [{ id: 'demo' }],
        apiKeys: [{ key: 'k', tenantId: 'demo', subject: 's', scopes: [] }],
      },
      tls: {
        cert: certificates.serverCert,
        key: certificates.serverKey,
        ca: certificates.ca,
        requireClientCert: true,
      },
    })
    const target = `localhost:${engine.port}`
    const withCertificate = new SecurityHubClient({
      target,
      security: 'mtls',
      tls: { ca: certificates.ca, cert: certificates.clientCert, key: certificates.clientKey },
    })
    const withoutCertificate = new SecurityHubClient({
      target,
      security: 'tls',
      retry: { maxAttempts: 1 },
      tls: { ca: certificates.ca },
    })
    cleanups.push(
      () => withCertificate.close(),
      () => withoutCertificate.close(),
    )

    await expect(withCertificate.validateApiKey({ apiKey: 'k' })).resolves.toMatchObject({ valid: true })
    await expect(
      withoutCertificate.validateApiKey({ apiKey: 'k' }, { timeoutMs: 2_000 }),
    ).rejects.toMatchObject({
      code: 'CHATWIRE_ERR_GRPC_UNAVAILABLE',
    })
  })
})

describe('reference engine health Watch', () => {
  it('should stream each status change', async () => {
    engine = await startReferenceEngine({ port: 0 })
    const client = new health.HealthClient(engine.address, credentials.createInsecure())
    cleanups.push(() => client.close())

    const statuses: number[] = []
    const stream = client.watch({ service: MCP_ENGINE_SERVICE_NAME })
    stream.on('error', () => {})
    const received = (count: number) =>
      new Promise<void>((resolve) => {
        const onData = (response: health.HealthCheckResponse): void => {
          statuses.push(response.status)
          if (statuses.length === count) {
            stream.off('data', onData)
            resolve()
          }
        }
        stream.on('data', onData)
      })

    await received(1)
    const next = received(2)
    engine.setServingStatus(MCP_ENGINE_SERVICE_NAME, 'NOT_SERVING')
    await next
    stream.cancel()

    expect(statuses).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING])
  })

  it('should stop serving every service on close', async () => {
    engine = await startReferenceEngine({ port: 0 })
    const client = new McpEngineClient({
      target: engine.address,
      security: 'insecure',
      defaultTimeoutMs: 1_000,
    })
    cleanups.push(() => client.close())
    await expect(client.healthCheck()).resolves.toMatchObject({ serving: true })

    await engine.close()
    engine = undefined

    await expect(client.healthCheck()).resolves.toMatchObject({ serving: false, status: 'UNREACHABLE' })
  })
})
