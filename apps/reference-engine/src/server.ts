import { health, mcp, security } from '@chatwire/grpc-clients/generated'
import { Server, ServerCredentials } from '@grpc/grpc-js'
import type { EngineData } from './data.js'
import { loadEngineData, parseEngineData } from './data.js'
import { createReferenceEngineError } from './error-codes.js'
import type { ServingStatusName } from './health-service.js'
import { HealthStatusRegistry } from './health-service.js'
import type { ReceivedMessage } from './mcp-service.js'
import { McpEngineState } from './mcp-service.js'
import { createSecurityHubHandlers } from './security-service.js'

export const MCP_ENGINE_SERVICE_NAME = 'chatwire.mcp.v1.McpEngineService'
export const SECURITY_HUB_SERVICE_NAME = 'chatwire.security.v1.SecurityHubService'

export interface EngineLogger {
  info(object: object, message?: string): void
  warn(object: object, message?: string): void
}

export interface ReferenceEngineTlsOptions {
  /** PEM server certificate chain. */
  cert: Buffer | string
  /** PEM private key of the server certificate. */
  key: Buffer | string
  /** PEM of the authority that signs client certificates; required with requireClientCert. */
  ca?: Buffer | string
  /** Rejects clients without a certificate signed by `ca` (mTLS). */
  requireClientCert?: boolean
}

export interface ReferenceEngineOptions {
  /** Interface to bind, `127.0.0.1` by default. */
  host?: string
  /** Port to bind, 50051 by default; 0 picks a free port. */
  port?: number
  /** Path of a YAML or JSON data file. */
  dataFile?: string
  /** Data given inline, used when no dataFile is set. */
  data?: unknown
  tls?: ReferenceEngineTlsOptions
  logger?: EngineLogger
}

export interface ReferenceEngine {
  readonly port: number
  /** The bound address as `host:port`. */
  readonly address: string
  /** The last 10,000 ProcessMessage requests in the order received, with their metadata. */
  readonly receivedMessages: readonly ReceivedMessage[]
  /** Returns how many times a request id was processed: 0 or 1, because repeats get the stored reply. */
  processedCount(requestId: string): number
  /** Sets the health status of one service, or of the whole server with `''`. */
  setServingStatus(serviceName: string, status: ServingStatusName): void
  /** Stops accepting calls, waits for calls in flight, and releases the port. */
  close(): Promise<void>
}

const EMPTY_DATA: EngineData = {
  tenants: [],
  channels: [],
  apiKeys: [],
  tokens: [],
  permissions: [],
  flows: [],
}

function toBuffer(value: Buffer | string): Buffer {
  return typeof value === 'string' ? Buffer.from(value) : value
}

function createCredentials(tls: ReferenceEngineTlsOptions | undefined): ServerCredentials {
  if (tls === undefined) {
    return ServerCredentials.createInsecure()
  }
  return ServerCredentials.createSsl(
    tls.ca === undefined ? null : toBuffer(tls.ca),
    [{ cert_chain: toBuffer(tls.cert), private_key: toBuffer(tls.key) }],
    tls.requireClientCert === true,
  )
}

function bind(server: Server, address: string, credentials: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (error, port) => {
      if (error !== null) {
        reject(
          createReferenceEngineError(
            'CHATWIRE_ERR_REFERENCE_ENGINE_BIND_FAILED',
            `Could not bind the reference engine to ${address}: ${error.message}. Pick a free port or use port 0.`,
            { cause: error, details: { address } },
          ),
        )
        return
      }
      resolve(port)
    })
  })
}

/**
 * Starts a gRPC server that implements the MCP Engine, the Security Hub and `grpc.health.v1`
 * over the given data. It is a development reference for tests and the sandbox, not a
 * conversation engine for production.
 */
export async function startReferenceEngine(options: ReferenceEngineOptions = {}): Promise<ReferenceEngine> {
  let data = EMPTY_DATA
  if (options.dataFile !== undefined) {
    data = await loadEngineData(options.dataFile)
  } else if (options.data !== undefined) {
    data = parseEngineData(options.data, 'inline data')
  }

  const host = options.host ?? '127.0.0.1'
  const engine = new McpEngineState(data)
  const healthStatus = new HealthStatusRegistry([MCP_ENGINE_SERVICE_NAME, SECURITY_HUB_SERVICE_NAME])

  const server = new Server()
  server.addService(mcp.McpEngineServiceService, engine.handlers)
  server.addService(security.SecurityHubServiceService, createSecurityHubHandlers(data))
  server.addService(health.HealthService, { check: healthStatus.check, watch: healthStatus.watch })

  const bindHost = host.includes(':') ? `[${host}]` : host
  const port = await bind(server, `${bindHost}:${options.port ?? 50051}`, createCredentials(options.tls))
  const address = `${bindHost}:${port}`
  options.logger?.info(
    { address, tls: options.tls !== undefined, tenants: data.tenants.length, channels: data.channels.length },
    'reference engine listening',
  )

  let closing: Promise<void> | undefined
  return {
    port,
    address,
    receivedMessages: engine.received,
    processedCount: (requestId) => engine.processedCount(requestId),
    setServingStatus: (serviceName, status) => healthStatus.set(serviceName, status),
    close() {
      closing ??= new Promise<void>((resolve) => {
        healthStatus.setAll('NOT_SERVING')
        healthStatus.endWatches()
        server.tryShutdown(() => {
          options.logger?.info({ address }, 'reference engine stopped')
          resolve()
        })
      })
      return closing
    },
  }
}
