import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * Creates `folder` and its missing parents one level at a time, so a parent that exists but
 * refuses children fails with that level's error. On Node 20, `mkdirSync` with `recursive` did
 * not return for a path under /proc.
 */
export function createFolder(folder: string): void {
  const missing: string[] = []
  let current = folder
  while (!existsSync(current)) {
    missing.push(current)
    const parent = dirname(current)
    if (parent === current) {
      break
    }
    current = parent
  }

  for (const level of missing.reverse()) {
    try {
      mkdirSync(level)
    } catch (error) {
      // Another process may create the same folder at the same time, so EEXIST is no failure.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error
      }
    }
  }
}
