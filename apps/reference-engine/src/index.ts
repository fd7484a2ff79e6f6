export type {
  ApiKeyRecord,
  ChannelRecord,
  EngineData,
  FlowRecord,
  PermissionRecord,
  TenantRecord,
  TokenRecord,
} from './data.js'
export { loadEngineData, parseEngineData } from './data.js'
export { referenceEngineErrorCodes } from './error-codes.js'
export type { ServingStatusName } from './health-service.js'
export type { ReceivedMessage } from './mcp-service.js'
export type { RuleReply } from './rules.js'
export { applyRules } from './rules.js'
export type {
  EngineLogger,
  ReferenceEngine,
  ReferenceEngineOptions,
  ReferenceEngineTlsOptions,
} from './server.js'
export { MCP_ENGINE_SERVICE_NAME, SECURITY_HUB_SERVICE_NAME, startReferenceEngine } from './server.js'
