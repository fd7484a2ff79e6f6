import type { CallOptions } from '@chatwire/core'
import { BaseGrpcClient } from './base-client.js'
import type { SuggestedAction } from './gen/chatwire/common/v1/common.js'
import { FlowStatus, McpEngineServiceService } from './gen/chatwire/mcp/v1/mcp_service.js'
import type { GrpcClientOptions } from './options.js'
import { optionalObject, requireStrings } from './validate.js'

export type { SuggestedAction }

export interface ProcessMessageInput {
  tenantId: string
  conversationId: string
  messageId: string
  userId: string
  /** Platform id, for example `whatsapp`. */
  channel: string
  content: string
  /** Kind of content, for example `text`, `image` or `interactive`. */
  contentType: string
  conversationContext?: Record<string, unknown>
  userProfile?: Record<string, unknown>
  sessionContext?: Record<string, unknown>
  processingHints?: Record<string, string>
  flowId?: string
  /** Time the user sent the message. */
  timestamp?: Date
  /** Idempotency key: the engine returns the same reply for the same request id. */
  requestId: string
}

export interface ProcessMessageResult {
  success: boolean
  replyContent: string
  replyType: string
  confidence: number
  updatedContext: Record<string, unknown>
  changedKeys: string[]
  nextExpectedInputs: string[]
  suggestedActions: SuggestedAction[]
  processingTimeMs: number
  model: string
  provider: string
  /** Estimated cost in US dollars. */
  cost: number
  errorCode: string
  errorMessage: string
}

export interface UpdateConversationContextInput {
  tenantId: string
  conversationId: string
  /** Top-level keys to set. */
  context?: Record<string, unknown>
  /** Top-level keys to delete. */
  removeKeys?: string[]
  requestId?: string
}

export interface UpdateConversationContextResult {
  context: Record<string, unknown>
  changedKeys: string[]
}

export type ConversationFlowStatus = 'unspecified' | 'draft' | 'active' | 'archived'

export interface ConversationFlowInfo {
  flowId: string
  name: string
  description: string
  version: string
  status: ConversationFlowStatus
}

const FLOW_STATUS: Record<number, ConversationFlowStatus> = {
  [FlowStatus.FLOW_STATUS_DRAFT]: 'draft',
  [FlowStatus.FLOW_STATUS_ACTIVE]: 'active',
  [FlowStatus.FLOW_STATUS_ARCHIVED]: 'archived',
}

/** Fields of ProcessMessageInput that must be non-empty strings, checked on every call. */
const PROCESS_MESSAGE_REQUIRED = [
  'tenantId',
  'conversationId',
  'messageId',
  'userId',
  'channel',
  'contentType',
  'requestId',
] as const satisfies readonly (keyof ProcessMessageInput)[]

/** Service name of the MCP Engine in the proto contract and in health checks. */
export const MCP_ENGINE_SERVICE = 'chatwire.mcp.v1.McpEngineService'

/** Client of the MCP Engine, the conversation engine that turns inbound messages into replies. */
export class McpEngineClient extends BaseGrpcClient {
  constructor(options: GrpcClientOptions & { name?: string }) {
    super(options.name ?? 'mcp-engine', MCP_ENGINE_SERVICE, options)
  }

  /**
   * Sends one inbound message to the engine. The call is retried on transient failures, and on
   * DEADLINE_EXCEEDED too, because the engine de-duplicates by `requestId`.
   */
  async processMessage(input: ProcessMessageInput, options: CallOptions = {}): Promise<ProcessMessageResult> {
    requireStrings('ProcessMessage', input, PROCESS_MESSAGE_REQUIRED)
    if (typeof input.content !== 'string') {
      requireStrings('ProcessMessage', input, ['content'])
    }
    optionalObject('ProcessMessage', 'conversationContext', input.conversationContext)
    optionalObject('ProcessMessage', 'userProfile', input.userProfile)
    optionalObject('ProcessMessage', 'sessionContext', input.sessionContext)
    optionalObject('ProcessMessage', 'processingHints', input.processingHints)

    const response = await this.unary(
      McpEngineServiceService.processMessage,
      {
        tenantId: input.tenantId,
        conversationId: input.conversationId,
        messageId: input.messageId,
        userId: input.userId,
        channel: input.channel,
        content: input.content,
        contentType: input.contentType,
        conversationContext: input.conversationContext,
        userProfile: input.userProfile,
        sessionContext: input.sessionContext,
        processingHints: input.processingHints ?? {},
        flowId: input.flowId,
        timestamp: input.timestamp,
        requestId: input.requestId,
      },
      options,
      { safeToRepeat: true, requestId: input.requestId, tenantId: input.tenantId },
    )

    return {
      success: response.success,
      replyContent: response.replyContent,
      replyType: response.replyType,
      confidence: response.confidence,
      updatedContext: response.updatedContext ?? {},
      changedKeys: response.changedKeys,
      nextExpectedInputs: response.nextExpectedInputs,
      suggestedActions: response.suggestedActions,
      processingTimeMs: response.processingTimeMs,
      model: response.model,
      provider: response.provider,
      cost: response.cost,
      errorCode: response.errorCode,
      errorMessage: response.errorMessage,
    }
  }

  /** Sets and removes top-level keys of a conversation's stored context. Safe to repeat. */
  async updateConversationContext(
    input: UpdateConversationContextInput,
    options: CallOptions = {},
  ): Promise<UpdateConversationContextResult> {
    requireStrings('UpdateConversationContext', input, ['tenantId', 'conversationId'])
    optionalObject('UpdateConversationContext', 'context', input.context)

    const response = await this.unary(
      McpEngineServiceService.updateConversationContext,
      {
        tenantId: input.tenantId,
        conversationId: input.conversationId,
        context: input.context,
        removeKeys: input.removeKeys ?? [],
        requestId: input.requestId ?? '',
      },
      options,
      { safeToRepeat: true, requestId: input.requestId, tenantId: input.tenantId },
    )

    return { context: response.context ?? {}, changedKeys: response.changedKeys }
  }

  /** Lists the conversation flows of a tenant. */
  async getConversationFlows(
    input: { tenantId: string },
    options: CallOptions = {},
  ): Promise<{ flows: ConversationFlowInfo[] }> {
    requireStrings('GetConversationFlows', input, ['tenantId'])

    const response = await this.unary(
      McpEngineServiceService.getConversationFlows,
      { tenantId: input.tenantId },
      options,
      { safeToRepeat: true, tenantId: input.tenantId },
    )

    return {
      flows: response.flows.map((flow) => ({
        flowId: flow.flowId,
        name: flow.name,
        description: flow.description,
        version: flow.version,
        status: FLOW_STATUS[flow.status] ?? 'unspecified',
      })),
    }
  }
}
