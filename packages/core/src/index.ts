// End-user surface: what a host or an embedding application uses.
export { createFetchWebhookHandler, readFetchRequest, toFetchResponse } from './adapters/fetch.js'
export type { FetchWebhookHandlerOptions, ReadFetchRequestOptions } from './adapters/fetch.js'
export { createNodeWebhookHandler, readNodeRequest, writeNodeResponse } from './adapters/node.js'
export type { NodeWebhookHandlerOptions, ReadBodyOptions } from './adapters/node.js'
export { DEFAULT_MAX_BODY_BYTES, errorResponse, handleWebhook } from './handle-webhook.js'
export type { HandleWebhookOptions, WebhookResult, WebhookStage } from './handle-webhook.js'
export { PluginRegistry } from './plugin-registry.js'
export type { LoadedPlugin, PluginEntry, PluginProblem, PluginRegistryOptions } from './plugin-registry.js'
export { ChatwireError, createErrorFactory, errorCodesDocumentedIn } from './errors.js'
export type { ChatwireErrorOptions, ErrorCatalog, ErrorCatalogEntry } from './errors.js'
export { coreErrorCodes, createCoreError } from './error-codes.js'
export type { CoreErrorCode } from './error-codes.js'
export { CORE_API_VERSION } from './version.js'

// Event model.
export type * from './events.js'
export { EVENT_KINDS } from './events.js'
export { normalizedEventSchema } from './event-schema.js'
export { assertValidEvent, checkEvent } from './validate-event.js'
export type { EventValidationIssue } from './validate-event.js'

// Extender surface: what a plugin author uses.
export { definePlugin, describePluginProblems, secretPointers } from './plugin.js'
export type { ChatwirePlugin, JsonSchema, PluginContext, PluginInstance, PluginManifest } from './plugin.js'
export type { VerifyOptions, WebhookProcessor, WebhookResponse } from './webhook-processor.js'
export type {
  ChannelSender,
  OutboundContent,
  OutboundMessage,
  SendOptions,
  SendOutcome,
} from './channel-sender.js'
export type { RawWebhookRequest } from './raw-request.js'
export { bodyText, mediaTypeOf, normalizeHeaders, parseQuery } from './raw-request.js'
export { stableEventId, unixSecondsToIso } from './event-id.js'
export {
  assertHmacSignature,
  digestsEqual,
  hmacSha256,
  matchHmacSignature,
  stringsEqual,
} from './signature.js'
export type { DigestEncoding, HmacSignatureCheck } from './signature.js'
export { assertWithinReplayWindow, isWithinReplayWindow } from './replay-window.js'
export type { ReplayWindowOptions } from './replay-window.js'
export { ConfigSchemaCompiler, toConfigProblems } from './config-validation.js'
export type { ConfigProblem, ConfigProblemOptions } from './config-validation.js'
export { fixedClock, systemClock } from './clock.js'
export type { Clock } from './clock.js'
export { silentLogger } from './logger.js'
export type { Logger } from './logger.js'

// Contracts implemented by other packages.
export type * from './backends.js'
export type * from './grpc-client.js'
