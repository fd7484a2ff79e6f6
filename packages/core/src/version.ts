/**
 * Version of the core plugin API. Plugins declare a semver range for it in their manifest and a
 * matching peerDependency on @chatwire/core. The registry rejects a plugin whose range does not
 * include this version, and a test keeps it equal to the package version.
 */
export const CORE_API_VERSION = '0.1.0'
