import { mcp } from '@chatwire/grpc-clients/generated'
import type { Metadata, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js'
import { status as Status } from '@grpc/grpc-js'
import type { EngineData } from './data.js'
import { applyRules } from './rules.js'

/** A ProcessMessage request as the engine received it, with the call metadata. */
export interface ReceivedMessage {
  readonly request: Readonly<mcp.ProcessMessageRequest>
  readonly metadata: Readonly<Record<string, string>>
}

const FLOW_STATUS: Record<string, mcp.FlowStatus> = {
  draft: mcp.FlowStatus.FLOW_STATUS_DRAFT,
  active: mcp.FlowStatus.FLOW_STATUS_ACTIVE,
  archived: mcp.FlowStatus.FLOW_STATUS_ARCHIVED,
}

/**
 * Maximum number of replies kept for idempotency, and of received messages kept for tests.
 * Beyond it the oldest entries are dropped.
 */
const MAX_REMEMBERED_REQUESTS = 10_000

type Context = Record<string, unknown>

/** State and handlers of the MCP Engine service. */
export class McpEngineState {
  readonly received: ReceivedMessage[] = []
  readonly #data: EngineData
  readonly #contexts = new Map<string, Context>()
  readonly #replies = new Map<string, mcp.ProcessMessageResponse>()

  constructor(data: EngineData) {
    this.#data = data
  }

  /**
   * Returns how many times a request id was processed: 1 once its reply exists, because repeats
   * of that id get the stored reply without being processed again. 0 for an unknown id.
   */
  processedCount(requestId: string): number {
    return this.#replies.has(requestId) ? 1 : 0
  }

  readonly handlers: mcp.McpEngineServiceServer = {
    processMessage: (call, callback) => this.#processMessage(call, callback),
    updateConversationContext: (call, callback) => {
      const request = call.request
      const missing = missingField(request, ['tenantId', 'conversationId'])
      if (missing !== undefined) {
        callback({ code: Status.INVALID_ARGUMENT, details: `${missing} is required` })
        return
      }
      if (!this.#hasTenant(request.tenantId, callback)) {
        return
      }

      const key = conversationKey(request.tenantId, request.conversationId)
      const before = this.#contexts.get(key) ?? {}
      const after: Context = { ...before, ...(request.context ?? {}) }
      for (const removed of request.removeKeys) {
        delete after[removed]
      }
      this.#contexts.set(key, after)
      callback(null, { context: after, changedKeys: changedKeys(before, after) })
    },
    getConversationFlows: (call, callback) => {
      const { tenantId } = call.request
      if (tenantId === '') {
        callback({ code: Status.INVALID_ARGUMENT, details: 'tenantId is required' })
        return
      }
      if (!this.#hasTenant(tenantId, callback)) {
        return
      }
      const flows = this.#data.flows
        .filter((flow) => flow.tenantId === tenantId)
        .map((flow) => ({
          flowId: flow.flowId,
          name: flow.name,
          description: flow.description ?? '',
          version: flow.version,
          status: FLOW_STATUS[flow.status] ?? mcp.FlowStatus.FLOW_STATUS_UNSPECIFIED,
        }))
      callback(null, { flows })
    },
  }

  #processMessage(
    call: ServerUnaryCall<mcp.ProcessMessageRequest, mcp.ProcessMessageResponse>,
    callback: sendUnaryData<mcp.ProcessMessageResponse>,
  ): void {
    const startedAt = performance.now()
    const request = call.request
    this.received.push(receivedMessage(request, call.metadata))
    if (this.received.length > MAX_REMEMBERED_REQUESTS) {
      this.received.shift()
    }

    const missing = missingField(request, [
      'tenantId',
      'conversationId',
      'messageId',
      'userId',
      'channel',
      'contentType',
      'requestId',
    ])
    if (missing !== undefined) {
      callback({ code: Status.INVALID_ARGUMENT, details: `${missing} is required` })
      return
    }
    if (!this.#hasTenant(request.tenantId, callback)) {
      return
    }

    const remembered = this.#replies.get(request.requestId)
    if (remembered !== undefined) {
      callback(null, remembered)
      return
    }

    const key = conversationKey(request.tenantId, request.conversationId)
    const before = this.#contexts.get(key) ?? {}
    const merged: Context = { ...before, ...(request.conversationContext ?? {}) }
    const reply = applyRules(request.content, merged)

    const after: Context = { ...merged, messageCount: Number(merged.messageCount ?? 0) + 1 }
    for (const [name, value] of Object.entries(reply.contextChanges)) {
      if (value === null) {
        delete after[name]
      } else {
        after[name] = value
      }
    }
    this.#contexts.set(key, after)

    const response: mcp.ProcessMessageResponse = {
      success: true,
      replyContent: reply.replyContent,
      replyType: 'text',
      confidence: reply.confidence,
      updatedContext: after,
      changedKeys: changedKeys(before, after),
      nextExpectedInputs: reply.nextExpectedInputs,
      suggestedActions: reply.suggestedActions,
      processingTimeMs: Math.round(performance.now() - startedAt),
      model: `keyword-rules/${reply.rule}`,
      provider: 'chatwire-reference-engine',
      cost: 0,
      errorCode: '',
      errorMessage: '',
    }

    if (this.#replies.size >= MAX_REMEMBERED_REQUESTS) {
      const oldest = this.#replies.keys().next()
      if (oldest.done !== true) {
        this.#replies.delete(oldest.value)
      }
    }
    this.#replies.set(request.requestId, response)
    callback(null, response)
  }

  #hasTenant(tenantId: string, callback: sendUnaryData<never>): boolean {
    if (this.#data.tenants.some((tenant) => tenant.id === tenantId)) {
      return true
    }
    callback({ code: Status.NOT_FOUND, details: `tenant ${tenantId} not found` })
    return false
  }
}

function conversationKey(tenantId: string, conversationId: string): string {
  return `${tenantId}\u0000${conversationId}`
}

function missingField<T extends object>(
  request: T,
  fields: readonly (keyof T & string)[],
): string | undefined {
  return fields.find((field) => request[field] === '')
}

/** Lists top-level keys whose values differ between two contexts, compared as JSON. */
function changedKeys(before: Context, after: Context): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).sort()
}

/** Keeps the metadata as received and converts it on first read, which is rare outside tests. */
function receivedMessage(request: mcp.ProcessMessageRequest, metadata: Metadata): ReceivedMessage {
  let record: Readonly<Record<string, string>> | undefined
  return Object.freeze({
    request,
    get metadata() {
      record ??= metadataToRecord(metadata)
      return record
    },
  })
}

function metadataToRecord(metadata: Metadata): Record<string, string> {
  const record: Record<string, string> = {}
  for (const [key, value] of Object.entries(metadata.getMap())) {
    record[key] = typeof value === 'string' ? value : value.toString('base64')
  }
  return Object.freeze(record)
}
