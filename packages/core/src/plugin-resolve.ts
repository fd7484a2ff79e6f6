import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

type ExportsField = string | { [condition: string]: ExportsField } | null | undefined

function pickEntry(exportsField: ExportsField): string | undefined {
  if (typeof exportsField === 'string') {
    return exportsField
  }
  if (exportsField === null || exportsField === undefined) {
    return undefined
  }
  const root = '.' in exportsField ? exportsField['.'] : exportsField
  if (typeof root === 'string') {
    return root
  }
  for (const condition of ['import', 'node', 'default']) {
    const entry = pickEntry(root?.[condition])
    if (entry !== undefined) {
      return entry
    }
  }
  return undefined
}

/**
 * Resolves a plugin package name to a file URL that `import()` can load, looking in the
 * `node_modules` folders above `fromDirectory`. It resolves from the host's directory rather
 * than from core's own, because with pnpm's strict layout core cannot see the host's
 * dependencies. Returns undefined when the package is not installed there.
 */
export function resolvePluginPackage(packageName: string, fromDirectory: string): string | undefined {
  const base = resolve(fromDirectory)

  try {
    return pathToFileURL(createRequire(join(base, 'noop.js')).resolve(packageName)).href
  } catch {
    // ESM-only packages without a `default` export condition fail here; look the package up by hand.
  }

  for (let directory = base; ; directory = dirname(directory)) {
    const packageDirectory = join(directory, 'node_modules', packageName)
    const manifestPath = join(packageDirectory, 'package.json')
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        exports?: ExportsField
        main?: string
      }
      const entry = pickEntry(manifest.exports) ?? manifest.main ?? 'index.js'
      return pathToFileURL(join(packageDirectory, entry)).href
    }
    if (dirname(directory) === directory) {
      return undefined
    }
  }
}
