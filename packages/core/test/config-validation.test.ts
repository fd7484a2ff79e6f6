import { describe, expect, it } from 'vitest'
import { ConfigSchemaCompiler, type JsonSchema, toConfigProblems } from '../src/index.js'

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { type: 'integer', maximum: 65535 },
    security: { enum: ['insecure', 'tls', 'mtls'] },
    concurrency: { type: 'integer' },
    appSecret: { type: 'string', minLength: 8, 'x-secret': true },
    tokens: { type: 'array', items: { type: 'string', minLength: 8 }, 'x-secret': true },
    label: { type: 'string' },
  },
}

function problemsFor(config: unknown, withSchema = true) {
  const validate = new ConfigSchemaCompiler().compile(schema)
  expect(validate(config)).toBe(false)
  return toConfigProblems(validate.errors, withSchema ? { schema } : {})
}

describe('toConfigProblems', () => {
  it('should show the offending value', () => {
    const [problem] = problemsFor({ port: 80800 })
    expect(problem?.pointer).toBe('/port')
    expect(problem?.message).toBe('must be <= 65535, received 80800')
  })

  it('should show a wrong enum value with the allowed ones', () => {
    const [problem] = problemsFor({ security: 'insecur' })
    expect(problem?.message).toContain('received "insecur"')
    expect(problem?.fix).toBe('use one of ["insecure","tls","mtls"]')
  })

  it('should suggest the closest property for a typo', () => {
    const [problem] = problemsFor({ concurency: 4 })
    expect(problem?.pointer).toBe('/concurency')
    expect(problem?.fix).toBe('rename "concurency" to "concurrency", or remove it')
  })

  it('should not suggest anything for an unrelated property', () => {
    const [problem] = problemsFor({ somethingElse: 1 })
    expect(problem?.fix).toBe('remove "somethingElse" or correct its spelling')
  })

  it('should never show a secret value', () => {
    const problems = problemsFor({ appSecret: 'short', tokens: ['tiny'] })
    expect(problems.map((problem) => problem.pointer).sort()).toEqual(['/appSecret', '/tokens/0'])
    for (const problem of problems) {
      expect(problem.message).not.toContain('short')
      expect(problem.message).not.toContain('tiny')
    }
  })

  it('should hide secret-looking fields without the root schema', () => {
    const problems = problemsFor({ appSecret: 'short', label: 42 }, false)
    const secret = problems.find((problem) => problem.pointer === '/appSecret')
    const label = problems.find((problem) => problem.pointer === '/label')
    expect(secret?.message).not.toContain('short')
    expect(label?.message).toBe('must be string, received 42')
  })

  it('should shorten long values', () => {
    const [problem] = problemsFor({ label: 'x'.repeat(200), port: 'x'.repeat(200) }).filter((p) => p.pointer === '/port')
    expect(problem?.message.length).toBeLessThan(140)
  })
})
