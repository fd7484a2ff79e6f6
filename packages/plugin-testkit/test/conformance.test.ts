import { describe, expect, it } from 'vitest'
import { checkConformance, conformanceRules, type RuleResult } from '../src/index.js'
import { describeConformance } from '../src/vitest.js'
import { fixtureOptions, withGetHandshake } from './fixtures/fixture-options.js'
import type { Fault } from './fixtures/fixture-plugin.js'

function failed(results: readonly RuleResult[]): string[] {
  return results.filter((result) => !result.passed).map((result) => result.rule)
}

describe('checkConformance', () => {
  it('passes every rule for a conforming plugin', async () => {
    const results = await checkConformance(fixtureOptions())

    expect(results.map((result) => result.rule)).toEqual(conformanceRules.map((rule) => rule.id))
    expect(failed(results)).toEqual([])
    // The fixture's handshake is signed, so there is no token to get wrong.
    expect(results.filter((result) => result.skipped).map((result) => result.rule)).toEqual([
      'handshake.wrong-token-rejected',
    ])
  })

  it('skips rules that need options the plugin lacks', async () => {
    const { handshake: _handshake, replayWindow: _replay, sender: _sender, ...options } = fixtureOptions()
    const results = await checkConformance({ ...options, signing: { ...options.signing } })
    const skipped = results.filter((result) => result.skipped).map((result) => result.rule)

    expect(skipped).toContain('handshake.accepted')
    expect(skipped).toContain('replay.stale-rejected')
    expect(skipped).toContain('sender.sent-on-2xx')
    expect(skipped).not.toContain('signature.prefix-rejected')
  })

  // Each broken fixture must fail the rule that names its fault, with a message naming it too.
  const cases: { fault: Fault; rules: string[] }[] = [
    {
      fault: 'skips-signature',
      rules: ['signature.missing-rejected', 'signature.wrong-secret-rejected', 'replay.stale-rejected'],
    },
    { fault: 'accepts-signature-prefix', rules: ['signature.prefix-rejected'] },
    { fault: 'handshake-before-verify', rules: ['handshake.unverified-rejected'] },
    { fault: 'throws-on-unknown-kind', rules: ['events.unknown-kind-unsupported'] },
  ]

  for (const { fault, rules } of cases) {
    it(`catches a plugin that ${fault.replaceAll('-', ' ')}`, async () => {
      const results = await checkConformance(fixtureOptions(fault))

      for (const rule of rules) {
        const result = results.find((candidate) => candidate.rule === rule)
        expect(result?.passed, `${rule} should fail for ${fault}`).toBe(false)
        expect(result?.message).toMatch(new RegExp(`^${rule.replaceAll('.', '\\.')} failed: `))
      }
    })
  }

  it('passes a plugin with a GET handshake', async () => {
    const results = await checkConformance(withGetHandshake(fixtureOptions()))

    expect(failed(results)).toEqual([])
    expect(results.filter((result) => result.skipped)).toEqual([])
  })

  it('catches a GET handshake that skips the token', async () => {
    const results = await checkConformance(withGetHandshake(fixtureOptions('get-handshake-skips-token')))

    expect(failed(results)).toEqual(['handshake.wrong-token-rejected', 'handshake.unverified-rejected'])
  })

  it.each([
    [
      'rejects-on-network-error',
      'sender.retryable-on-connection-drop',
      /send\(\) rejected instead of returning an outcome/,
    ],
    [
      'rate-limit-permanent',
      'sender.retryable-on-429',
      /a 429 response gave the outcome .*expected status retryable/,
    ],
  ] as const)('catches a sender that %s', async (fault, rule, message) => {
    const results = await checkConformance(fixtureOptions(fault))

    expect(failed(results)).toEqual([rule])
    expect(results.find((result) => result.rule === rule)?.message).toMatch(message)
  })

  it('accepts an optional secret when the plugin fails closed', async () => {
    const results = await checkConformance(fixtureOptions('secret-optional'))

    expect(failed(results)).toEqual([])
  })

  it('catches a plugin that accepts requests without a secret', async () => {
    const results = await checkConformance(fixtureOptions('accepts-without-secret'))
    const result = results.find((candidate) => candidate.rule === 'config.secret-required')

    expect(failed(results)).toEqual(['config.secret-required'])
    expect(result?.message).toMatch(
      /^config\.secret-required failed: with the secret at \/signingSecret missing/,
    )
  })

  it('fails only the signature rules for a plugin that accepts signature prefixes', async () => {
    const results = await checkConformance(fixtureOptions('accepts-signature-prefix'))

    // The faulty check also ignores the scheme prefix, which the suite reports as well.
    expect(failed(results)).toEqual(['signature.wrong-prefix-rejected', 'signature.prefix-rejected'])
  })

  it('fails only the unsupported rule for a plugin that throws on unknown kinds', async () => {
    const results = await checkConformance(fixtureOptions('throws-on-unknown-kind'))

    expect(failed(results)).toEqual([
      'events.unknown-kind-unsupported',
      'events.ids-stable',
      'events.schema-valid',
    ])
  })
})

describeConformance(fixtureOptions())
