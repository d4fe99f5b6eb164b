// node-forge's ASN.1 part on its own: lib/asn1.js loads only the few parts of forge it needs, where
// `node-forge` loads all of it (ciphers, TLS, PKI), which is most of forge's start-up cost. Its types
// are the `asn1` namespace of @types/node-forge.
declare module 'node-forge/lib/asn1.js' {
  import type forge from 'node-forge'

  const asn1: typeof forge.asn1
  export = asn1
}
