/** The HTTP server: control-plane REST, gateway mount, bootstrap, config loading. */
export { buildApp } from './app.js';
export { ConfigError, type ConfigFlags, loadConfig, parseConfigObject } from './load-config.js';
export { type RunningServer, type StartServerOptions, startServer } from './start-server.js';
