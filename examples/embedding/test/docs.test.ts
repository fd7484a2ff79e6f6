import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** Returns each `<!-- example: path -->` marker of a Markdown page with the code block after it. */
function examplesIn(markdown: string): { path: string; code: string }[] {
  const pattern = /<!-- example: (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g
  return [...markdown.matchAll(pattern)].map((match) => ({ path: match[1] ?? '', code: match[2] ?? '' }))
}

for (const page of ['docs/embedding.md', 'docs/writing-a-plugin.md', 'packages/plugin-testkit/README.md']) {
  describe(page, () => {
    it('shows each example file unchanged', async () => {
      const examples = examplesIn(await readFile(join(repositoryRoot, page), 'utf8'))

      expect(examples.length).toBeGreaterThan(0)
      for (const example of examples) {
        const file = await readFile(join(repositoryRoot, example.path), 'utf8')
        expect(example.code, example.path).toBe(file.trimEnd())
      }
    })
  })
}
