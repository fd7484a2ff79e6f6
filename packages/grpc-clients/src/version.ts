/**
 * Version of this package and the default `clientVersion` in the user agent. A test keeps it
 * equal to package.json.
 */
export const PACKAGE_VERSION = '0.1.0'
export const PACKAGE_NAME = '@chatwire/grpc-clients'
