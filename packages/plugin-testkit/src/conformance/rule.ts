import type { WebhookResult } from '@chatwire/core'
import { describeResult, type Harness, RuleFailure } from './harness.js'
import type { ConformanceOptions } from './options.js'

/** One check of the conformance suite. */
export interface ConformanceRule {
  /** Stable id, `<area>.<behaviour>`, for example `signature.prefix-rejected`. */
  id: string
  /** One-sentence statement of the behaviour a conforming plugin shows. */
  title: string
  /** Returns why the rule does not apply to this plugin, or undefined when it does. */
  notApplicable?(options: ConformanceOptions<never>): string | undefined
  run(harness: Harness<never>): Promise<void>
}

/** Fails unless the request was accepted with a 2xx after verification. */
export function expectAccepted(result: WebhookResult, what: string): void {
  const { status } = result.response
  if (status < 200 || status > 299 || result.error !== undefined) {
    const detail = result.error === undefined ? '' : `: ${result.error.message}`
    throw new RuleFailure(`${what} was rejected (${describeResult(result)})${detail}`)
  }
}

/** Fails unless verification rejected the request with 401 or 403 and emitted no event. */
export function expectVerifyRejected(result: WebhookResult, what: string): void {
  const { status } = result.response
  if ((status !== 401 && status !== 403) || result.events.length > 0) {
    throw new RuleFailure(`${what} was not rejected with 401 or 403 (${describeResult(result)})`)
  }
}
