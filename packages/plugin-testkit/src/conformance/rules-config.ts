import { ChatwireError, type PluginProblem, secretPointers, type WebhookProcessor } from '@chatwire/core'
import { type Harness, RuleFailure, withPointer } from './harness.js'
import { type ConformanceRule, expectVerifyRejected } from './rule.js'

function registryProblems(error: unknown): PluginProblem[] {
  if (error instanceof ChatwireError && Array.isArray(error.details?.problems)) {
    return error.details.problems as PluginProblem[]
  }
  throw error
}

/** True when `pointer` is the marked field or lies inside it, such as `/appSecrets/0` under `/appSecrets`. */
function coveredBy(marked: string, pointer: string): boolean {
  if (marked === '/') {
    return true
  }
  const markedSegments = marked.split('/')
  const segments = pointer.split('/')
  return (
    markedSegments.length <= segments.length &&
    markedSegments.every((segment, index) => segment === '*' || segment === segments[index])
  )
}

/**
 * Plugins whose secrets may come per request from the host (`VerifyOptions.secrets`) can accept
 * a config without one, but must then reject every request that brings no secret: one signed
 * with the old secret and one signed with an empty secret.
 */
async function expectFailsClosed(harness: Harness<never>, processor: WebhookProcessor, label: string) {
  const sample = harness.options.samples.event
  for (const secret of [harness.secret, '']) {
    const request = await harness.request(sample, harness.sign(sample, secret))
    const result = await harness.handle(request, undefined, processor)
    const what = secret === '' ? 'signed with an empty secret' : 'signed with the removed secret'
    expectVerifyRejected(result, `with the secret at ${label}, the config loaded, and a request ${what}`)
  }
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
      if (!marked.some((pattern) => coveredBy(pattern, harness.options.secretPointer))) {
        throw new RuleFailure(
          `the config schema does not mark ${harness.options.secretPointer} with "x-secret": true (marked: ${JSON.stringify(marked)}), so hosts would log it`,
        )
      }
    },
  },
  {
    id: 'config.secret-required',
    title:
      'a config whose secret is missing or empty is rejected at load, or the plugin rejects every request',
    async run(harness) {
      const pointer = harness.options.secretPointer
      const variants = [
        { label: 'missing', config: withPointer(harness.options.config, pointer, { remove: true }) },
        { label: 'empty', config: withPointer(harness.options.config, pointer, { set: '' }) },
      ]
      for (const variant of variants) {
        let problems: PluginProblem[]
        try {
          const { registry, plugin } = await harness.load(variant.config)
          try {
            await expectFailsClosed(harness, plugin.instance.processor, `${pointer} ${variant.label}`)
          } finally {
            await registry.close()
          }
          continue
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
