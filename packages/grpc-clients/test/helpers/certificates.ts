import forge from 'node-forge'

export interface TestCertificates {
  ca: string
  serverCert: string
  serverKey: string
  clientCert: string
  clientKey: string
}

interface Issuer {
  cert: forge.pki.Certificate
  key: forge.pki.rsa.PrivateKey
}

let serial = 1

function issue(
  commonName: string,
  issuer: Issuer | undefined,
  extensions: object[],
): { cert: forge.pki.Certificate; keys: forge.pki.rsa.KeyPair } {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 })
  const cert = forge.pki.createCertificate()
  cert.publicKey = keys.publicKey
  cert.serialNumber = String(serial++).padStart(2, '0')
  cert.validity.notBefore = new Date(Date.now() - 60_000)
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000)
  cert.setSubject([{ name: 'commonName', value: commonName }])
  cert.setIssuer(issuer === undefined ? cert.subject.attributes : issuer.cert.subject.attributes)
  cert.setExtensions(extensions)
  cert.sign(issuer?.key ?? keys.privateKey, forge.md.sha256.create())
  return { cert, keys }
}

/** Generates a throwaway CA, a server certificate for localhost and 127.0.0.1, and a client certificate. */
export function generateTestCertificates(): TestCertificates {
  const ca = issue('chatwire-test-ca', undefined, [
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true },
  ])
  const issuer = { cert: ca.cert, key: ca.keys.privateKey }
  const server = issue('localhost', issuer, [
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ],
    },
  ])
  const client = issue('chatwire-test-client', issuer, [
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', clientAuth: true },
  ])
  const pem = forge.pki.certificateToPem
  const keyPem = forge.pki.privateKeyToPem

  return {
    ca: pem(ca.cert),
    serverCert: pem(server.cert),
    serverKey: keyPem(server.keys.privateKey),
    clientCert: pem(client.cert),
    clientKey: keyPem(client.keys.privateKey),
  }
}
