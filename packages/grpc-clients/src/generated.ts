/**
 * The ts-proto output for the Chatwire contracts and `grpc.health.v1`, for servers that implement
 * the services and for tools that need the raw stubs. Generated from proto/; do not edit src/gen.
 */
export * as common from './gen/chatwire/common/v1/common.js'
export * as mcp from './gen/chatwire/mcp/v1/mcp_service.js'
export * as security from './gen/chatwire/security/v1/security_service.js'
export * as health from './gen/grpc/health/v1/health.js'
