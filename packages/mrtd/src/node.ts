// @tillid/mrtd/node: the Node-only parts (PC/SC and vpcd transports, the test document generator and
// its directory format), plus everything of the main entry.
export * from './chip/create-test-document.ts';
export * from './chip/document-directory.ts';
export * from './chip/placeholder-face.ts';
export * from './chip/test-csca-store.ts';
export * from './index.ts';
export * from './transport/connect-vpcd.ts';
export * from './transport/pcsc-transport.ts';
