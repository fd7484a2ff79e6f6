import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { configInvalidError } from './load.js'

/** Result of checking `store.path` for `chatwire validate-config`, without opening the file. */
export interface StoreLocation {
  path: string
  exists: boolean
  /** The nearest existing folder on the path, which the store creates its folders in. */
  existingFolder: string
}

function nearestExistingFolder(path: string): string {
  let folder = dirname(path)
  while (!existsSync(folder)) {
    const parent = dirname(folder)
    if (parent === folder) {
      break
    }
    folder = parent
  }
  return folder
}

/**
 * Checks that the store file can be created or opened at `path` without creating anything:
 * an existing file must be a readable and writable file, and otherwise the nearest existing
 * folder must be writable. Throws CHATWIRE_ERR_CONFIG_INVALID with a `/store/path` problem.
 */
export function checkStoreLocation(path: string, source: string): StoreLocation {
  const existingFolder = nearestExistingFolder(path)
  const fail = (message: string, fix: string): never => {
    throw configInvalidError(
      [{ code: 'CHATWIRE_ERR_CONFIG_INVALID', pointer: '/store/path', message, fix }],
      source,
    )
  }

  if (existsSync(path)) {
    if (!statSync(path).isFile()) {
      fail(`${path} exists and is not a file`, 'point store.path at a SQLite file')
    }
    try {
      accessSync(path, constants.R_OK | constants.W_OK)
    } catch {
      fail(`${path} is not readable and writable by this user`, 'fix the file permissions')
    }
    return { path, exists: true, existingFolder }
  }

  if (!statSync(existingFolder).isDirectory()) {
    fail(
      `${existingFolder} is a file, so the folder of ${path} cannot be created`,
      'point store.path elsewhere',
    )
  }
  try {
    accessSync(existingFolder, constants.W_OK | constants.X_OK)
  } catch {
    fail(
      `the store file ${path} does not exist and its folder ${existingFolder} is not writable`,
      'create the folder with write permission for this user, or point store.path elsewhere',
    )
  }
  return { path, exists: false, existingFolder }
}
