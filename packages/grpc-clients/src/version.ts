/** Version of this package, sent in call metadata. A test keeps it equal to package.json. */
export const PACKAGE_VERSION = '0.1.0'
export const PACKAGE_NAME = '@chatwire/grpc-clients'
