import { RuleFailure } from './harness.js'
import { type ConformanceRule, expectAccepted, expectVerifyRejected } from './rule.js'
import type { Harness } from './harness.js'

/** Splits the signature header of a validly signed event sample into its prefix and digest. */
function signatureParts(harness: Harness<never>): { header: string; prefix: string; digest: string } {
  const { header: rawHeader, prefix = '' } = harness.options.signing
  const header = rawHeader.toLowerCase()
  const value = harness.sign(harness.options.samples.event)[header]
  if (value === undefined) {
    throw new RuleFailure(`signing.sign returned no ${header} header; check signing.header`)
  }
  if (!value.startsWith(prefix)) {
    throw new RuleFailure(
      `the signed ${header} value does not start with signing.prefix ${JSON.stringify(prefix)}`,
    )
  }
  return { header, prefix, digest: value.slice(prefix.length) }
}

function changeFirstCharacter(text: string): string {
  const first = text[0] ?? 'x'
  return `${first === 'x' ? 'y' : 'x'}${text.slice(1)}`
}

export const signatureRules: ConformanceRule[] = [
  {
    id: 'signature.valid-accepted',
    title: 'a request signed with the configured secret is accepted',
    async run(harness) {
      const { result } = await harness.send(harness.options.samples.event)
      expectAccepted(result, 'a correctly signed event')
    },
  },
  {
    id: 'signature.missing-rejected',
    title: 'a request without the signature header is rejected with 401',
    async run(harness) {
      const sample = harness.options.samples.event
      const headers = harness.sign(sample)
      delete headers[harness.options.signing.header.toLowerCase()]
      const request = await harness.request(sample, headers)
      expectVerifyRejected(await harness.handle(request), 'a request without a signature header')
    },
  },
  {
    id: 'signature.empty-rejected',
    title: 'an empty signature header, or one with only the scheme prefix, is rejected',
    async run(harness) {
      const { header, prefix } = signatureParts(harness)
      for (const value of new Set(['', prefix])) {
        const { result } = await harness.send(harness.options.samples.event, { [header]: value })
        expectVerifyRejected(result, `the header ${header}: ${JSON.stringify(value)}`)
      }
    },
  },
  {
    id: 'signature.wrong-prefix-rejected',
    title: 'the right digest behind a different scheme prefix is rejected',
    notApplicable: (options) =>
      (options.signing.prefix ?? '') === '' ? 'the signature header has no scheme prefix' : undefined,
    async run(harness) {
      const { header, prefix, digest } = signatureParts(harness)
      const wrongPrefix = harness.options.signing.wrongPrefix ?? changeFirstCharacter(prefix)
      const { result } = await harness.send(harness.options.samples.event, {
        [header]: `${wrongPrefix}${digest}`,
      })
      expectVerifyRejected(result, `the right digest behind the prefix ${JSON.stringify(wrongPrefix)}`)
    },
  },
  {
    id: 'signature.prefix-rejected',
    title: 'a signature that is only a prefix of the right one is rejected',
    async run(harness) {
      const { header, prefix, digest } = signatureParts(harness)
      const lengths = new Set([digest.length - 1, digest.length - 2, Math.floor(digest.length / 2), 1])
      for (const length of lengths) {
        if (length < 1 || length >= digest.length) {
          continue
        }
        const { result } = await harness.send(harness.options.samples.event, {
          [header]: `${prefix}${digest.slice(0, length)}`,
        })
        expectVerifyRejected(
          result,
          `the first ${length} of ${digest.length} characters of the right signature`,
        )
      }
    },
  },
  {
    id: 'signature.wrong-length-rejected',
    title: 'the right signature followed by extra characters is rejected',
    async run(harness) {
      const { header, prefix, digest } = signatureParts(harness)
      for (const extra of [digest.slice(0, 2), digest]) {
        const { result } = await harness.send(harness.options.samples.event, {
          [header]: `${prefix}${digest}${extra}`,
        })
        expectVerifyRejected(result, `the right signature with ${extra.length} extra character(s)`)
      }
    },
  },
  {
    id: 'signature.wrong-secret-rejected',
    title: 'a request signed with another secret is rejected',
    async run(harness) {
      const sample = harness.options.samples.event
      const wrongSecret = harness.otherSecret(1)
      const request = await harness.request(sample, harness.sign(sample, wrongSecret))
      expectVerifyRejected(await harness.handle(request), 'a request signed with a different secret')
    },
  },
  {
    id: 'signature.rotated-secret-accepted',
    title: 'during rotation a request signed with the previous secret is accepted from VerifyOptions.secrets',
    async run(harness) {
      const sample = harness.options.samples.event
      const newSecret = harness.otherSecret(2)
      const request = await harness.request(sample, harness.sign(sample, harness.secret))
      const result = await harness.handle(request, { secrets: [newSecret, harness.secret] })
      expectAccepted(result, 'a request signed with the older of two active secrets')
    },
  },
  {
    id: 'signature.retired-secret-rejected',
    title: 'secrets from VerifyOptions replace the configured one, so a retired secret is rejected',
    async run(harness) {
      const sample = harness.options.samples.event
      const newSecret = harness.otherSecret(2)
      const request = await harness.request(sample, harness.sign(sample, harness.secret))
      const result = await harness.handle(request, { secrets: [newSecret] })
      expectVerifyRejected(result, 'a request signed with a secret no longer in VerifyOptions.secrets')
    },
  },
]

const noReplayWindow = (options: { replayWindow?: unknown }) =>
  options.replayWindow === undefined ? 'the signature scheme carries no timestamp' : undefined

async function sendAt(harness: Harness<never>, timestamp: number) {
  const sample = harness.options.samples.event
  const request = await harness.request(sample, harness.sign(sample, harness.secret, timestamp))
  return harness.handle(request)
}

export const replayRules: ConformanceRule[] = [
  {
    id: 'replay.stale-rejected',
    title: 'a signed timestamp older than the replay window is rejected',
    notApplicable: noReplayWindow,
    async run(harness) {
      const tolerance = harness.options.replayWindow?.toleranceSeconds ?? 0
      const result = await sendAt(harness, harness.nowSeconds - tolerance - 30)
      expectVerifyRejected(result, `a signature timestamped ${tolerance + 30} s in the past`)
    },
  },
  {
    id: 'replay.future-rejected',
    title: 'a signed timestamp further ahead than the replay window is rejected',
    notApplicable: noReplayWindow,
    async run(harness) {
      const tolerance = harness.options.replayWindow?.toleranceSeconds ?? 0
      const result = await sendAt(harness, harness.nowSeconds + tolerance + 30)
      expectVerifyRejected(result, `a signature timestamped ${tolerance + 30} s in the future`)
    },
  },
  {
    id: 'replay.inside-window-accepted',
    title: 'signed timestamps inside the replay window are accepted in both directions',
    notApplicable: noReplayWindow,
    async run(harness) {
      const tolerance = harness.options.replayWindow?.toleranceSeconds ?? 0
      const margin = Math.min(10, Math.floor(tolerance / 2))
      for (const offset of [-(tolerance - margin), tolerance - margin]) {
        expectAccepted(
          await sendAt(harness, harness.nowSeconds + offset),
          `a signature timestamped ${offset} s from now`,
        )
      }
    },
  },
]

const noHandshake = (options: { handshake?: unknown }) =>
  options.handshake === undefined ? 'the platform has no endpoint handshake' : undefined

export const handshakeRules: ConformanceRule[] = [
  {
    id: 'handshake.accepted',
    title: 'a genuine handshake gets the response the platform expects',
    notApplicable: noHandshake,
    async run(harness) {
      const handshake = harness.options.handshake!
      const signature = handshake.signed ? harness.sign(handshake.request) : {}
      const result = await harness.handle(await harness.request(handshake.request, signature))
      expectAccepted(result, 'the handshake')
      if (result.stage !== 'handshake') {
        throw new RuleFailure(`the handshake was treated as an event (stage ${result.stage})`)
      }
      if (handshake.expectedBody !== undefined && result.response.body !== handshake.expectedBody) {
        throw new RuleFailure(
          `the handshake response ${JSON.stringify(result.response.body)} is not ${JSON.stringify(handshake.expectedBody)}`,
        )
      }
    },
  },
  {
    id: 'handshake.wrong-token-rejected',
    title: 'a handshake with a wrong token is rejected and its challenge not echoed',
    notApplicable: (options) =>
      noHandshake(options) ??
      (options.handshake?.wrongToken === undefined ? 'no wrong-token handshake sample was given' : undefined),
    async run(harness) {
      const handshake = harness.options.handshake!
      const sample = handshake.wrongToken!
      const signature = handshake.signed ? harness.sign(sample) : {}
      const result = await harness.handle(await harness.request(sample, signature))
      if (result.response.status < 400 || result.stage === 'acknowledge') {
        throw new RuleFailure(`a handshake with a wrong token got status ${result.response.status}`)
      }
    },
  },
  {
    id: 'handshake.unverified-rejected',
    title: 'a handshake gets a response only after its signature or token was verified',
    notApplicable: (options) =>
      noHandshake(options) ??
      (!options.handshake?.signed && options.handshake?.missingToken === undefined
        ? 'no missing-token handshake sample was given'
        : undefined),
    async run(harness) {
      const handshake = harness.options.handshake!
      const sample = handshake.signed ? handshake.request : handshake.missingToken!
      const result = await harness.handle(await harness.request(sample))
      const echoed =
        handshake.expectedBody !== undefined &&
        handshake.expectedBody !== '' &&
        result.response.body.includes(handshake.expectedBody)
      if (result.response.status < 400 || echoed) {
        throw new RuleFailure(
          `a handshake without ${handshake.signed ? 'a signature' : 'a token'} got a response (status ${result.response.status}${echoed ? ', challenge echoed' : ''})`,
        )
      }
    },
  },
]
