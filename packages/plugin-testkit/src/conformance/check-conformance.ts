import { Harness, RuleFailure } from './harness.js'
import type { ConformanceOptions } from './options.js'
import type { ConformanceRule } from './rule.js'
import { conformanceRules } from './rules.js'

/** The outcome of one rule. A rule that does not apply to the plugin is skipped and counts as passed. */
export interface RuleResult {
  rule: string
  passed: boolean
  skipped: boolean
  message: string
}

export interface ConformanceRun {
  readonly rules: readonly ConformanceRule[]
  /** Returns why a rule does not apply to this plugin, or undefined. */
  notApplicable(rule: ConformanceRule): string | undefined
  runRule(rule: ConformanceRule): Promise<RuleResult>
  close(): Promise<void>
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, rule: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RuleFailure(`${rule} did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    )
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Prepares a conformance run for one plugin. Rules share one plugin instance for the webhook
 * checks; `close` releases it. Use `checkConformance` to run every rule at once.
 */
export function createConformanceRun<Config>(options: ConformanceOptions<Config>): ConformanceRun {
  const harness = new Harness(options) as unknown as Harness<never>
  const timeoutMs = options.ruleTimeoutMs ?? 10_000
  const notApplicable = (rule: ConformanceRule) => rule.notApplicable?.(options as ConformanceOptions<never>)

  return {
    rules: conformanceRules,
    notApplicable,
    async runRule(rule) {
      const reason = notApplicable(rule)
      if (reason !== undefined) {
        return {
          rule: rule.id,
          passed: true,
          skipped: true,
          message: `${rule.id}: not applicable, ${reason}`,
        }
      }
      try {
        await withTimeout(rule.run(harness), timeoutMs, rule.id)
        return { rule: rule.id, passed: true, skipped: false, message: `${rule.id}: ${rule.title}` }
      } catch (error) {
        const detail =
          error instanceof RuleFailure
            ? error.message
            : `the rule threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`
        return { rule: rule.id, passed: false, skipped: false, message: `${rule.id} failed: ${detail}` }
      }
    },
    close: () => harness.close(),
  }
}

/**
 * Runs every conformance rule against a plugin and lists the results, without a test runner.
 * A plugin conforms when every result has `passed: true`.
 */
export async function checkConformance<Config>(options: ConformanceOptions<Config>): Promise<RuleResult[]> {
  const run = createConformanceRun(options)
  const results: RuleResult[] = []
  try {
    for (const rule of run.rules) {
      results.push(await run.runRule(rule))
    }
  } finally {
    await run.close()
  }
  return results
}
