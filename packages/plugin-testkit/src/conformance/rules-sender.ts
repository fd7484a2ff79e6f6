import type { ChannelSender, SendOutcome } from '@chatwire/core'
import { reply, type ScriptedReply, startFakePlatformApi } from '../fake-platform-api.js'
import { type Harness, RuleFailure } from './harness.js'
import type { SenderSample } from './options.js'
import type { ConformanceRule } from './rule.js'

const noSender = (options: { sender?: unknown }) =>
  options.sender === undefined ? 'no sender sample was given' : undefined

/**
 * Loads the plugin pointed at a fresh fake platform API that responds to the sender's call with
 * `scripted`, sends the sample message once and returns the outcome.
 */
async function sendThrough(harness: Harness<never>, scripted: ScriptedReply) {
  const sample = harness.options.sender as SenderSample<Record<string, unknown>>
  const api = await startFakePlatformApi()
  try {
    api.on(sample.route.method, sample.route.path).reply(scripted)
    const config = { ...(harness.options.config as Record<string, unknown>), ...sample.configFor(api.url) }
    const { registry, plugin } = await harness.load(config)
    try {
      const sender: ChannelSender | undefined = plugin.instance.sender
      if (sender === undefined) {
        throw new RuleFailure('the plugin instance has no sender, but a sender sample was given')
      }
      let outcome: SendOutcome
      try {
        outcome = await sender.send(sample.message, { timeoutMs: 5000 })
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        throw new RuleFailure(`send() rejected instead of returning an outcome: ${message}`)
      }
      const unmatched = api.requests.filter((request) => !request.matched)
      if (unmatched.length > 0) {
        const [first] = unmatched
        throw new RuleFailure(
          `the sender called ${first?.method} ${first?.path}, which does not match the sample route ${sample.route.method} ${String(sample.route.path)}`,
        )
      }
      if (api.requests.length === 0) {
        throw new RuleFailure(
          `the sender returned ${JSON.stringify(outcome)} without calling the platform API`,
        )
      }
      return outcome
    } finally {
      await registry.close()
    }
  } finally {
    await api.close()
  }
}

function expectStatus(outcome: SendOutcome, status: SendOutcome['status'], what: string): void {
  if (outcome.status !== status) {
    throw new RuleFailure(`${what} gave the outcome ${JSON.stringify(outcome)}, expected status ${status}`)
  }
}

function senderSample(harness: Harness<never>): SenderSample<unknown> {
  return harness.options.sender as SenderSample<unknown>
}

export const senderRules: ConformanceRule[] = [
  {
    id: 'sender.sent-on-2xx',
    title: "a 2xx response gives status sent with the platform's message id",
    notApplicable: noSender,
    async run(harness) {
      const { success } = senderSample(harness)
      const outcome = await sendThrough(harness, reply.json(success.status ?? 200, success.body))
      expectStatus(outcome, 'sent', 'a 2xx response')
      if (outcome.status === 'sent' && outcome.platformMessageId !== success.platformMessageId) {
        throw new RuleFailure(
          `a 2xx response gave platformMessageId ${JSON.stringify(outcome.platformMessageId)}, expected ${JSON.stringify(success.platformMessageId)}`,
        )
      }
    },
  },
  {
    id: 'sender.permanent-on-4xx',
    title: "a 4xx response gives status permanent with the platform's error code",
    notApplicable: noSender,
    async run(harness) {
      const clientError = senderSample(harness).clientError ?? { body: { error: { message: 'bad request' } } }
      const status = clientError.status ?? 400
      const outcome = await sendThrough(harness, reply.json(status, clientError.body))
      expectStatus(outcome, 'permanent', `a ${status} response`)
      if (outcome.status === 'permanent' && (outcome.code === '' || outcome.httpStatus !== status)) {
        throw new RuleFailure(
          `a ${status} response gave ${JSON.stringify(outcome)}; set code and httpStatus ${status}`,
        )
      }
    },
  },
  {
    id: 'sender.retryable-on-429',
    title: "a 429 response gives status retryable with the platform's retry delay",
    notApplicable: noSender,
    async run(harness) {
      const rateLimited = senderSample(harness).rateLimited ?? {}
      const headers = rateLimited.headers ?? { 'retry-after': '7' }
      const expectedDelay = rateLimited.retryAfterMs ?? (rateLimited.headers === undefined ? 7000 : undefined)
      const body = rateLimited.body ?? { error: { message: 'rate limited' } }
      const outcome = await sendThrough(harness, reply.json(429, body, headers))
      expectStatus(outcome, 'retryable', 'a 429 response')
      if (
        outcome.status === 'retryable' &&
        expectedDelay !== undefined &&
        outcome.retryAfterMs !== expectedDelay
      ) {
        throw new RuleFailure(
          `a 429 response gave retryAfterMs ${String(outcome.retryAfterMs)}, expected ${expectedDelay} from the platform's response`,
        )
      }
    },
  },
  {
    id: 'sender.retryable-on-5xx',
    title: 'a 5xx response gives status retryable',
    notApplicable: noSender,
    async run(harness) {
      const serverError = senderSample(harness).serverError ?? {}
      const status = serverError.status ?? 503
      const outcome = await sendThrough(harness, reply.serverError(status, serverError.body))
      expectStatus(outcome, 'retryable', `a ${status} response`)
    },
  },
  {
    id: 'sender.retryable-on-connection-drop',
    title: 'a connection closed without a response gives status retryable, not a rejection',
    notApplicable: noSender,
    async run(harness) {
      const outcome = await sendThrough(harness, reply.drop())
      expectStatus(outcome, 'retryable', 'a dropped connection')
    },
  },
]
