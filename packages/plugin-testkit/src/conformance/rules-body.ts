import { checkEvent, type NormalizedEvent } from '@chatwire/core'
import { describeResult, RuleFailure, toBytes } from './harness.js'
import type { EventSample } from './options.js'
import { countingProcessor, postOverWire } from './oversized.js'
import { type ConformanceRule, expectAccepted } from './rule.js'

/**
 * Fails unless the request got a 4xx with no event. With `coded`, it must be a 400 carrying a
 * `CHATWIRE_ERR_*` code: core's `CHATWIRE_ERR_MALFORMED_BODY` or a more specific code of the plugin.
 */
function expectBadRequest(
  result: { response: { status: number }; events: readonly unknown[]; error?: { code: string } },
  what: string,
  coded = false,
): void {
  const { status } = result.response
  const code = result.error?.code
  const codeMissing = coded && (status !== 400 || code === undefined || !code.startsWith('CHATWIRE_ERR_'))
  if (status < 400 || status > 499 || result.events.length > 0 || codeMissing) {
    const expected = coded ? '400 with a code such as CHATWIRE_ERR_MALFORMED_BODY' : 'a 4xx'
    throw new RuleFailure(
      `${what} got status ${status}${code === undefined ? '' : ` ${code}`} with ${result.events.length} event(s); expected ${expected}`,
    )
  }
}

export const bodyRules: ConformanceRule[] = [
  {
    id: 'body.malformed-rejected',
    title: 'a signed body that cannot be read gets a coded 400, such as CHATWIRE_ERR_MALFORMED_BODY',
    async run(harness) {
      const { result } = await harness.send(harness.options.samples.malformed)
      expectBadRequest(result, 'a signed malformed body', true)
    },
  },
  {
    id: 'body.invalid-utf8-rejected',
    title: 'a signed body that is not valid UTF-8 gets a coded 400',
    async run(harness) {
      const sample = { ...harness.options.samples.malformed, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }
      const { result } = await harness.send(sample)
      expectBadRequest(result, 'a signed body of invalid UTF-8', true)
    },
  },
  {
    id: 'body.empty-rejected',
    title: 'a signed empty body gets a 4xx and no event',
    async run(harness) {
      const { result } = await harness.send({ ...harness.options.samples.event, body: '' })
      expectBadRequest(result, 'a signed empty body')
    },
  },
  {
    id: 'body.oversized-rejected',
    title: 'a body over the limit gets 413 on a real server before the plugin sees it',
    async run(harness) {
      const plugin = await harness.plugin()
      const maxBodyBytes = harness.options.maxBodyBytes ?? 4096
      const processor = countingProcessor(plugin.instance.processor)
      const sample = harness.options.samples.event
      const body = new Uint8Array(maxBodyBytes * 2 + 1).fill(0x20)
      body.set(toBytes(sample.body).subarray(0, maxBodyBytes))
      const headers = (await harness.request({ ...sample, body }, harness.sign({ ...sample, body }))).headers

      for (const chunked of [false, true]) {
        const response = await postOverWire(
          processor,
          { maxBodyBytes, now: harness.now, path: `/webhooks/${plugin.route}` },
          body,
          headers,
          chunked,
        )
        const framing = chunked ? 'chunked' : 'with Content-Length'
        if (response.status !== 413) {
          throw new RuleFailure(
            `a ${body.byteLength}-byte body sent ${framing} got status ${response.status}, not 413`,
          )
        }
      }
      if (processor.calls.verify + processor.calls.parse + processor.calls.handshake > 0) {
        throw new RuleFailure(`the plugin processed an oversized body: ${JSON.stringify(processor.calls)}`)
      }
    },
  },
]

function kindsOf(events: readonly NormalizedEvent[]): string {
  return JSON.stringify(events.map((event) => event.kind))
}

async function parseSample(
  harness: Parameters<ConformanceRule['run']>[0],
  sample: EventSample,
  receivedAt?: number,
) {
  const request = await harness.request(sample, harness.sign(sample), receivedAt)
  const result = await harness.handle(request)
  expectAccepted(result, 'a correctly signed sample')
  return result.events
}

export const eventRules: ConformanceRule[] = [
  {
    id: 'events.known-kind-parsed',
    title: 'the known event sample becomes the expected normalized events',
    async run(harness) {
      const sample = harness.options.samples.event
      const events = await parseSample(harness, sample)
      if (events.length === 0) {
        throw new RuleFailure('the known event sample produced no event')
      }
      const expected = sample.expectedKinds
      if (expected !== undefined && kindsOf(events) !== JSON.stringify(expected)) {
        throw new RuleFailure(
          `the known event sample produced ${kindsOf(events)}, expected ${JSON.stringify(expected)}`,
        )
      }
      if (expected === undefined && events.some((event) => event.kind === 'unsupported')) {
        throw new RuleFailure(
          `the known event sample produced ${kindsOf(events)}, which includes unsupported`,
        )
      }
    },
  },
  {
    id: 'events.unknown-kind-unsupported',
    title: 'an unknown event kind becomes an unsupported event, not an error',
    async run(harness) {
      const sample = harness.options.samples.unknownKind
      const request = await harness.request(sample, harness.sign(sample))
      const result = await harness.handle(request)
      if (result.response.status < 200 || result.response.status > 299) {
        const detail = result.error === undefined ? '' : `: ${result.error.message}`
        throw new RuleFailure(`an unknown event kind was rejected (${describeResult(result)})${detail}`)
      }
      if (!result.events.some((event) => event.kind === 'unsupported')) {
        throw new RuleFailure(
          `an unknown event kind produced ${kindsOf(result.events)}, with no unsupported event`,
        )
      }
    },
  },
  {
    id: 'events.ids-stable',
    title: 'the same bytes always give the same event ids, and different deliveries different ones',
    async run(harness) {
      const { event, unknownKind } = harness.options.samples
      const first = (await parseSample(harness, event)).map((item) => item.id)
      const again = (await parseSample(harness, event, harness.now + 90_000)).map((item) => item.id)
      if (JSON.stringify(first) !== JSON.stringify(again)) {
        throw new RuleFailure(
          `a redelivery of the same bytes got ids ${JSON.stringify(again)}, first ${JSON.stringify(first)}`,
        )
      }
      if (new Set(first).size !== first.length) {
        throw new RuleFailure(`one delivery produced duplicate ids ${JSON.stringify(first)}`)
      }
      const other = (await parseSample(harness, unknownKind)).map((item) => item.id)
      const shared = other.filter((id) => first.includes(id))
      if (shared.length > 0) {
        throw new RuleFailure(`two different deliveries share the event ids ${JSON.stringify(shared)}`)
      }
    },
  },
  {
    id: 'events.schema-valid',
    title: "every emitted event validates against core's JSON Schema and names the plugin's platform",
    async run(harness) {
      const { event, unknownKind } = harness.options.samples
      const platform = harness.options.plugin.manifest.platform
      const events = [...(await parseSample(harness, event)), ...(await parseSample(harness, unknownKind))]
      for (const item of events) {
        const issues = checkEvent(item)
        if (issues.length > 0) {
          const listed = issues.map((issue) => `${issue.pointer} ${issue.message}`).join('; ')
          throw new RuleFailure(
            `event ${JSON.stringify(item.id)} (${item.kind}) does not match the schema: ${listed}`,
          )
        }
        if (item.platform !== platform) {
          throw new RuleFailure(
            `event ${item.id} names platform ${JSON.stringify(item.platform)}, not ${JSON.stringify(platform)}`,
          )
        }
      }
    },
  },
]
