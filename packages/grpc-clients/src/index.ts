export type { ConnectionListener, UnaryCallSettings, UnaryMethodDefinition } from './base-client.js'
export { BaseGrpcClient } from './base-client.js'
export type { ClientStatus, ConnectionManagerOptions, ConnectionStatus } from './connection-manager.js'
export { ConnectionManager } from './connection-manager.js'
export type { GrpcErrorCode } from './error-codes.js'
export { createGrpcError, grpcErrorCodes } from './error-codes.js'
export type { ClientLogger } from './logger.js'
export type {
  ConversationFlowInfo,
  ConversationFlowStatus,
  ProcessMessageInput,
  ProcessMessageResult,
  SuggestedAction,
  UpdateConversationContextInput,
  UpdateConversationContextResult,
} from './mcp-engine-client.js'
export { MCP_ENGINE_SERVICE, McpEngineClient } from './mcp-engine-client.js'
export { METADATA_KEYS } from './metadata.js'
export type {
  BreakerOptions,
  GrpcClientOptions,
  KeepaliveOptions,
  RetryOptions,
  TlsOptions,
} from './options.js'
export { DEFAULT_KEEPALIVE_TIME_MS, DEFAULT_KEEPALIVE_TIMEOUT_MS, DEFAULT_TIMEOUT_MS } from './options.js'
export type {
  CheckPermissionInput,
  CheckPermissionResult,
  ResolveChannelInput,
  ResolvedChannel,
  SecurityHubClientOptions,
  ValidateApiKeyResult,
  ValidateTokenResult,
} from './security-hub-client.js'
export { SECURITY_HUB_SERVICE, SecurityHubClient } from './security-hub-client.js'
export { isRetryableStatus, statusName } from './status.js'
export { PACKAGE_VERSION } from './version.js'
