import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js')

describe('create-chatwire-plugin', () => {
  let cwd: string

  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'chatwire-cli-'))
  })

  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true })
  })

  it('writes the package into --dir', async () => {
    const { stdout } = await run(process.execPath, [cli, 'acme', '--dir', 'out'], { cwd })

    expect(stdout).toContain('Created chatwire-plugin-acme (platform "acme") in out')
    expect((await readdir(join(cwd, 'out'))).sort()).toEqual(
      [
        '.gitignore',
        'README.md',
        'package.json',
        'src',
        'test',
        'tsconfig.build.json',
        'tsconfig.json',
        'vitest.config.ts',
      ].sort(),
    )
  })

  it('rejects a folder that has files', async () => {
    await writeFile(join(cwd, 'keep.txt'), 'mine')

    await expect(run(process.execPath, [cli, 'acme', '--dir', '.'], { cwd })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('already exists and is not empty'),
    })
  })

  it('prints usage without a name', async () => {
    await expect(run(process.execPath, [cli], { cwd })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage: create-chatwire-plugin <name>'),
    })
  })
})
