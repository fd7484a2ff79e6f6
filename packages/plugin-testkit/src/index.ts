// Signing helpers, one per scheme the shipped plugins meet.
export { signBase64Hmac, signMetaSha256, signSlackV0 } from './signing/hmac-schemes.js'
export type { Base64HmacSignOptions, SlackSignOptions } from './signing/hmac-schemes.js'
export {
  createStandardWebhooksSecret,
  signStandardWebhook,
  standardWebhooksKey,
} from './signing/standard-webhooks.js'
export type { StandardWebhooksSignOptions } from './signing/standard-webhooks.js'
export { startJwksServer } from './jwks-server.js'
export type { JwksServer, JwksServerOptions, MintOptions } from './jwks-server.js'

// Local stand-in for a platform's send API.
export { reply, ScriptedRoute, startFakePlatformApi } from './fake-platform-api.js'
export type { FakePlatformApi, RecordedRequest, ScriptedReply } from './fake-platform-api.js'

// Conformance suite without a test runner; `@chatwire/plugin-testkit/vitest` registers it in vitest.
export { checkConformance, createConformanceRun } from './conformance/check-conformance.js'
export type { ConformanceRun, RuleResult } from './conformance/check-conformance.js'
export { conformanceRules } from './conformance/rules.js'
export type { ConformanceRule } from './conformance/rule.js'
export type {
  ConformanceOptions,
  EventSample,
  HandshakeSample,
  RequestSample,
  SenderSample,
  SigningScheme,
} from './conformance/options.js'
