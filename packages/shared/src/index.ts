export { ConfigError, env, loadConfigOrExit, mcpResourceUrl, parseEnv } from "./config.js";
export { launchDirectory, loadDotEnv } from "./dotenv.js";
export type { ActiveTokenInfo, IntrospectionResponse } from "./introspection.js";
export { isActive } from "./introspection.js";
export type { Logger, LoggerSettings } from "./logger.js";
export { createLogger, fingerprint, REDACTED_PATHS } from "./logger.js";
export type { Scope } from "./scopes.js";
export { ALL_SCOPES, parseScope, SCOPES } from "./scopes.js";
