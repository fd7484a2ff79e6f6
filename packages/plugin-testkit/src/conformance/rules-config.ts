import { ChatwireError, type PluginProblem, secretPointers } from '@chatwire/core'
import { RuleFailure, withPointer } from './harness.js'
import type { ConformanceRule } from './rule.js'

function registryProblems(error: unknown): PluginProblem[] {
  if (error instanceof ChatwireError && Array.isArray(error.details?.problems)) {
    return error.details.problems as PluginProblem[]
  }
  throw error
}

function pointerMatches(pattern: string, pointer: string): boolean {
  const patternSegments = pattern.split('/')
  const segments = pointer.split('/')
  return (
    patternSegments.length === segments.length &&
    patternSegments.every((segment, index) => segment === '*' || segment === segments[index])
  )
}

export const configRules: ConformanceRule[] = [
  {
    id: 'config.valid-accepted',
    title: 'a registry loads the plugin with the valid config and a matching core range',
    async run(harness) {
      try {
        const { registry } = await harness.load(harness.options.config)
        await registry.close()
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        throw new RuleFailure(`loading the plugin with the valid config failed: ${message}`)
      }
    },
  },
  {
    id: 'config.secret-marked',
    title: 'the config schema marks the signing secret with "x-secret": true',
    async run(harness) {
      const marked = secretPointers(harness.options.plugin.manifest.configSchema)
      if (!marked.some((pattern) => pointerMatches(pattern, harness.options.secretPointer))) {
        throw new RuleFailure(
          `the config schema does not mark ${harness.options.secretPointer} with "x-secret": true (marked: ${JSON.stringify(marked)}), so hosts would log it`,
        )
      }
    },
  },
  {
    id: 'config.secret-required',
    title: 'the config schema rejects a config whose secret is missing or empty',
    async run(harness) {
      const pointer = harness.options.secretPointer
      const variants = [
        { label: 'missing', config: withPointer(harness.options.config, pointer, { remove: true }) },
        { label: 'empty', config: withPointer(harness.options.config, pointer, { set: '' }) },
      ]
      for (const variant of variants) {
        let problems: PluginProblem[]
        try {
          const { registry } = await harness.load(variant.config)
          await registry.close()
          throw new RuleFailure(`a config with the secret at ${pointer} ${variant.label} was accepted`)
        } catch (error) {
          if (error instanceof RuleFailure) {
            throw error
          }
          problems = registryProblems(error)
        }
        const expected = `/config${pointer}`
        const named = problems.some(
          (problem) => problem.code === 'CHATWIRE_ERR_PLUGIN_CONFIG_INVALID' && problem.pointer === expected,
        )
        if (!named) {
          throw new RuleFailure(
            `a config with the secret ${variant.label} was rejected, but no problem points at ${expected}: ${JSON.stringify(problems)}`,
          )
        }
      }
    },
  },
]
