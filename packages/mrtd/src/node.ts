// @tillid/mrtd/node: the Node-only parts, plus everything of the main entry: passive authentication
// (signature checks with node:crypto, trust store, master list and CRL verification), the test PKI and
// SOD signing, PC/SC and vpcd transports, the test document generator and its directory format.
export * from './chip/create-test-document.ts';
export * from './chip/document-directory.ts';
export * from './chip/placeholder-face.ts';
export * from './chip/test-csca-store.ts';
export * from './index.ts';
export * from './pa/verify-passive.ts';
export * from './pa/verify-signer-info.ts';
export * from './pki/sign-sod.ts';
export * from './pki/test-pki.ts';
export * from './pki/trust-store.ts';
export * from './pki/verify-crl-signature.ts';
export * from './pki/verify-master-list.ts';
export * from './reader/verify-document.ts';
export * from './transport/connect-vpcd.ts';
export * from './transport/pcsc-transport.ts';
