const PLATFORM_ID = /^[a-z][a-z0-9-]{0,62}$/
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/

/** The names a generated plugin is built from. */
export interface PluginNames {
  /** npm package name, for example `chatwire-plugin-acme` or `@acme/chatwire-plugin`. */
  packageName: string
  /** Platform id used in events and routes, for example `acme`. */
  platform: string
  /** The platform id in PascalCase, for class and type names, for example `Acme`. */
  typeName: string
  /** Default folder name for the package. */
  folderName: string
}

/**
 * Derives the package name, platform id and type names from what the user typed: a bare platform
 * (`acme` becomes `chatwire-plugin-acme`) or a full package name, optionally scoped. `platform`
 * overrides the id derived from the name.
 */
export function pluginNames(name: string, platform?: string): PluginNames {
  const trimmed = name.trim()
  if (!PACKAGE_NAME.test(trimmed)) {
    throw new TypeError(
      `"${name}" is not a valid npm package name; use lower-case letters, digits, "-", "." or "_", optionally with an @scope/`,
    )
  }
  const isBare = PLATFORM_ID.test(trimmed) && !trimmed.includes('plugin')
  const packageName = isBare ? `chatwire-plugin-${trimmed}` : trimmed
  const lastSegment = packageName.split('/').at(-1) ?? packageName
  const derived = lastSegment
    .replace(/^chatwire-plugin-/, '')
    .replace(/^plugin-/, '')
    .replace(/[._]/g, '-')
  const platformId = platform ?? derived

  if (!PLATFORM_ID.test(platformId) || platformId === 'chatwire-plugin') {
    throw new TypeError(
      `cannot use "${platformId}" as the platform id; pass --platform with lower-case letters, digits and "-", starting with a letter`,
    )
  }

  const typeName = platformId
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('')
  return { packageName, platform: platformId, typeName, folderName: lastSegment }
}
