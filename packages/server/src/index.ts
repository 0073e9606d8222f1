// @tillid/server: the HTTP API, persistence and the `tillid` CLI.
export * from './config/load-config.ts';
export * from './config/schema.ts';
export * from './errors.ts';
export * from './http/app.ts';
export * from './oidc/index.ts';
export * from './server.ts';
export * from './store/store.ts';
