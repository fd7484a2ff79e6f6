import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePlugin } from '../src/index.js'

const run = promisify(execFile)
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const workspacePackages = join(packageRoot, '..')

/** Returns the real folder of a dependency as `fromPackage` resolves it. */
async function dependencyFolder(name: string, fromPackage: string): Promise<string> {
  const require = createRequire(join(fromPackage, 'package.json'))
  return dirname(await realpath(require.resolve(`${name}/package.json`)))
}

/**
 * Links the generated package's dependencies to the workspace's copies instead of installing
 * them, so the test needs no registry and leaves pnpm-lock.yaml alone. vitest is taken from the
 * testkit's own resolution so the suite registers its tests in the same vitest instance.
 */
async function linkDependencies(directory: string): Promise<void> {
  const testkit = join(workspacePackages, 'plugin-testkit')
  const links: Record<string, string> = {
    '@chatwire/core': join(workspacePackages, 'core'),
    '@chatwire/plugin-testkit': testkit,
    vitest: await dependencyFolder('vitest', testkit),
    undici: await dependencyFolder('undici', packageRoot),
    typescript: await dependencyFolder('typescript', packageRoot),
    '@types/node': await dependencyFolder('@types/node', packageRoot),
  }
  for (const [name, target] of Object.entries(links)) {
    const link = join(directory, 'node_modules', name)
    await mkdir(dirname(link), { recursive: true })
    await symlink(target, link, 'dir')
  }
}

/** Returns the environment for child processes, without the variables of the vitest run around them. */
function childEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('VITEST') && name !== 'NODE_OPTIONS' && name !== 'TEST') {
      environment[name] = value
    }
  }
  return { ...environment, CI: 'true', NO_COLOR: '1' }
}

describe('generated plugin', () => {
  let root: string
  let directory: string

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'chatwire-scaffold-'))
    directory = join(root, 'acme-chat')
    await generatePlugin({ name: 'acme-chat', directory })
    await linkDependencies(directory)
  }, 30_000)

  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('builds and typechecks with tsc', async () => {
    const tsc = join(directory, 'node_modules', 'typescript', 'bin', 'tsc')

    await run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: directory,
      env: childEnvironment(),
    })
    await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], {
      cwd: directory,
      env: childEnvironment(),
    })
    const built = (await import(pathToFileURL(join(directory, 'dist', 'index.js')).href)) as {
      default: { manifest: { name: string; platform: string; coreRange: string } }
    }

    expect(built.default.manifest).toMatchObject({
      name: 'chatwire-plugin-acme-chat',
      platform: 'acme-chat',
      coreRange: '^0.1.0',
    })
  }, 120_000)

  it('passes its conformance suite', async () => {
    const vitest = join(directory, 'node_modules', 'vitest', 'vitest.mjs')

    const { stdout } = await run(process.execPath, [vitest, 'run', '--reporter=verbose'], {
      cwd: directory,
      env: childEnvironment(),
    })

    expect(stdout).toMatch(/Tests\s+\d+ passed/)
    expect(stdout).not.toMatch(/failed/)
    expect(stdout).toContain('signature.prefix-rejected')
    expect(stdout).toContain('replay.stale-rejected')
    expect(stdout).toContain('sender.retryable-on-429')
  }, 120_000)

  it('declares core as a peer dependency', async () => {
    const manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >

    expect(manifest.peerDependencies).toEqual({ '@chatwire/core': '^0.1.0' })
    expect(manifest.devDependencies?.['@chatwire/plugin-testkit']).toBe('^0.1.0')
  })
})
