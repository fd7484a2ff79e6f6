import type { Metadata, ServiceError } from '@grpc/grpc-js'
import { Server, ServerCredentials, status as Status } from '@grpc/grpc-js'
import { health, mcp } from '../../src/generated.js'

/** One scripted step: the server's behaviour for one ProcessMessage call. */
export interface Step {
  /** Fails the call with this status instead of responding. */
  code?: Status
  /** Waits this long before responding or failing, in milliseconds. */
  delayMs?: number
}

export interface ReceivedCall {
  at: number
  metadata: Metadata
  request: mcp.ProcessMessageRequest
}

const OK_RESPONSE: mcp.ProcessMessageResponse = {
  success: true,
  replyContent: 'ok',
  replyType: 'text',
  confidence: 1,
  updatedContext: {},
  changedKeys: [],
  nextExpectedInputs: [],
  suggestedActions: [],
  processingTimeMs: 0,
  model: 'scripted',
  provider: 'test',
  cost: 0,
  errorCode: '',
  errorMessage: '',
}

/**
 * A real grpc-js server for the MCP Engine whose ProcessMessage follows a script of steps
 * (fail with a status, respond late), then follows `fallback` once the script runs out.
 * It also serves grpc.health.v1 with a settable status, and can stop and start on one port.
 */
export class ScriptedServer {
  readonly calls: ReceivedCall[] = []
  script: Step[] = []
  fallback: Step = {}
  healthStatus: health.HealthCheckResponse_ServingStatus = health.HealthCheckResponse_ServingStatus.SERVING
  port = 0
  #server: Server | undefined
  readonly #credentials: ServerCredentials

  constructor(credentials: ServerCredentials = ServerCredentials.createInsecure()) {
    this.#credentials = credentials
  }

  get target(): string {
    return `127.0.0.1:${this.port}`
  }

  async start(port = this.port): Promise<this> {
    const server = new Server()
    server.addService(mcp.McpEngineServiceService, {
      processMessage: (call, callback) => {
        this.calls.push({ at: Date.now(), metadata: call.metadata, request: call.request })
        const step = this.script.shift() ?? this.fallback
        const answer = (): void => {
          if (step.code !== undefined) {
            callback({ code: step.code, details: `scripted ${Status[step.code]}` } as Partial<ServiceError>)
            return
          }
          callback(null, { ...OK_RESPONSE, replyContent: `reply to ${call.request.requestId}` })
        }
        if (step.delayMs === undefined) {
          answer()
        } else {
          setTimeout(answer, step.delayMs)
        }
      },
      updateConversationContext: (_call, callback) => {
        callback({ code: Status.UNIMPLEMENTED, details: 'not scripted' })
      },
      getConversationFlows: (_call, callback) => {
        callback({ code: Status.UNIMPLEMENTED, details: 'not scripted' })
      },
    } satisfies mcp.McpEngineServiceServer)
    server.addService(health.HealthService, {
      check: (call, callback) => {
        if (call.request.service !== 'chatwire.mcp.v1.McpEngineService' && call.request.service !== '') {
          callback({ code: Status.NOT_FOUND, details: 'unknown service' })
          return
        }
        callback(null, { status: this.healthStatus })
      },
      watch: (call) => {
        call.end()
      },
    } satisfies health.HealthServer)

    this.port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`127.0.0.1:${port}`, this.#credentials, (error, boundPort) => {
        if (error !== null) {
          reject(error)
          return
        }
        resolve(boundPort)
      })
    })
    this.#server = server
    return this
  }

  /** Stops at once, cancelling calls in flight, as a crashed server would. */
  stop(): void {
    this.#server?.forceShutdown()
    this.#server = undefined
  }
}

export function validInput(requestId = 'req-1') {
  return {
    tenantId: 'tenant-a',
    conversationId: 'conversation-1',
    messageId: 'message-1',
    userId: 'user-1',
    channel: 'whatsapp',
    content: 'hello',
    contentType: 'text',
    requestId,
  }
}

/** Creates a logger that keeps every entry, to assert on what the client logged. */
export function recordingLogger() {
  const entries: { level: string; object: Record<string, unknown>; message: string | undefined }[] = []
  const record =
    (level: string) =>
    (object: object, message?: string): void => {
      entries.push({ level, object: object as Record<string, unknown>, message })
    }
  return {
    entries,
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  }
}
