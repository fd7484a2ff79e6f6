import { afterAll, describe, it } from 'vitest'
import { createConformanceRun } from './conformance/check-conformance.js'
import type { ConformanceOptions } from './conformance/options.js'

/**
 * Registers the conformance suite in vitest: one `describe` named after the plugin and one
 * test per rule, so a failure names the broken rule. Rules that do not apply to the plugin (a
 * handshake rule for a platform without one) are not registered at all, so a run shows no skipped
 * checks. `checkConformance` still lists them, with `skipped: true` and the reason.
 */
export function describeConformance<Config>(options: ConformanceOptions<Config>): void {
  const run = createConformanceRun(options)
  const timeoutMs = (options.ruleTimeoutMs ?? 10_000) + 1000

  describe(`conformance: ${options.plugin.manifest.name}`, () => {
    afterAll(() => run.close())

    for (const rule of run.rules) {
      if (run.notApplicable(rule) !== undefined) {
        continue
      }
      it(
        rule.id,
        async () => {
          const result = await run.runRule(rule)
          if (!result.passed) {
            throw new Error(result.message)
          }
        },
        timeoutMs,
      )
    }
  })
}

export type { ConformanceOptions } from './conformance/options.js'
