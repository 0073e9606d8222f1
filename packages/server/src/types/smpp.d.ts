// The `smpp` package ships no types; the adapter and its test describe the few calls they use.
declare module 'smpp' {
  const smpp: {
    connect(options: Record<string, unknown>): unknown;
    createServer(listener: (session: never) => void): unknown;
    ESME_RBINDFAIL: number;
  };
  export default smpp;
}
