import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { type PluginNames, pluginNames } from './names.js'
import {
  gitignore,
  packageJson,
  readme,
  type TemplateVersions,
  tsconfigBuildJson,
  tsconfigJson,
  vitestConfig,
} from './templates/package-files.js'
import {
  configTs,
  conformanceTestTs,
  indexTs,
  manifestTs,
  parseTs,
  pluginTs,
  processorTs,
  senderTs,
  verifyTs,
} from './templates/source-files.js'

/** Dependency ranges written into the generated package.json, the ones this release was tested with. */
export const DEFAULT_VERSIONS: TemplateVersions = {
  core: '^0.1.0',
  testkit: '^0.1.0',
  undici: '^7.30.3',
  typescript: '^5.9.3',
  vitest: '^4.1.12',
  typesNode: '^20.19.0',
}

export interface GenerateOptions {
  /** A platform id (`acme`) or an npm package name (`@acme/chatwire-plugin`). */
  name: string
  /** Overrides the platform id derived from the name. */
  platform?: string
  /** Target folder; defaults to the package name's last segment under the working directory. */
  directory?: string
  versions?: Partial<TemplateVersions>
}

export interface GeneratedPlugin {
  names: PluginNames
  directory: string
  /** Paths of the written files, relative to `directory`. */
  files: string[]
}

async function isEmptyOrMissing(directory: string): Promise<boolean> {
  try {
    return (await readdir(directory)).length === 0
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return true
    }
    throw error
  }
}

/**
 * Writes a plugin package that builds with tsc and passes the conformance suite as generated.
 * Throws for a target folder that already has files, so nothing is overwritten.
 */
export async function generatePlugin(options: GenerateOptions): Promise<GeneratedPlugin> {
  const names = pluginNames(options.name, options.platform)
  const directory = resolve(options.directory ?? names.folderName)
  const versions = { ...DEFAULT_VERSIONS, ...options.versions }

  if (!(await isEmptyOrMissing(directory))) {
    throw new Error(`${directory} already exists and is not empty; choose another folder with --dir`)
  }

  const files: Record<string, string> = {
    'package.json': packageJson(names, versions),
    'tsconfig.json': tsconfigJson(),
    'tsconfig.build.json': tsconfigBuildJson(),
    'vitest.config.ts': vitestConfig(names),
    '.gitignore': gitignore(),
    'README.md': readme(names),
    'src/index.ts': indexTs(names),
    'src/plugin.ts': pluginTs(names),
    'src/manifest.ts': manifestTs(names),
    'src/config.ts': configTs(names),
    'src/verify.ts': verifyTs(names),
    'src/processor.ts': processorTs(names),
    'src/parse.ts': parseTs(names),
    'src/sender.ts': senderTs(names),
    'test/conformance.test.ts': conformanceTestTs(names),
  }

  for (const [path, content] of Object.entries(files)) {
    const target = join(directory, path)
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, content, { flag: 'wx' })
  }

  return { names, directory, files: Object.keys(files) }
}
