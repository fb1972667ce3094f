export {
  COMMON_ENV,
  ConfigError,
  canonicalUrl,
  env,
  exitForConfigError,
  loadConfigOrExit,
  logLevelOf,
  mcpResourceUrl,
  ODOO_AUTH_MODES,
  parseEnv,
  startOrExit,
} from "./config.js";
export { launchDirectory, loadDotEnv } from "./dotenv.js";
export { listenHttp } from "./http-server.js";
export type { ActiveTokenInfo, IntrospectionResponse } from "./introspection.js";
export { isActive } from "./introspection.js";
export type { Logger, LoggerSettings } from "./logger.js";
export { createLogger, fingerprint, REDACTED_PATHS, tokenDigest } from "./logger.js";
export type { OdooAuthMode, OdooCredential } from "./odoo-credential.js";
export { CREDENTIAL_CLAIM, CREDENTIAL_JWE } from "./odoo-credential.js";
export type { WindowLimit } from "./policy.js";
export {
  AUTH_METADATA_MAX_AGE_MS,
  AUTH_UNAVAILABLE_RETRY_AFTER_SECONDS,
  AUTHORIZATION_LIMIT_PER_ADDRESS,
  AUTHORIZATION_REQUEST_MAX_BYTES,
  BROWSER_SESSION_SECONDS,
  BUSY_RETRY_AFTER_SECONDS,
  CHATGPT_CLIENT_ID,
  CONSENT_INTERACTION_SECONDS,
  EX_CONFIG,
  GRANT_LIFETIME_SECONDS,
  LOCAL_MCP_CLIENT_ID,
  LOCAL_MCP_SECRETS_FILE,
  MINIMUM_NODE_MAJOR,
  REGISTRATION_WINDOW_SECONDS,
  SIGN_IN_INTERACTION_SECONDS,
  SIGN_IN_LIMIT_PER_ADDRESS,
  SIGN_IN_LIMIT_PER_LOGIN_AND_ADDRESS,
} from "./policy.js";
export { withoutUrlCredentials } from "./redact.js";
export type { RevocationNotice } from "./revocation.js";
export { parseRevocationNotice, REVOCATION_CHANNEL } from "./revocation.js";
export type { Scope } from "./scopes.js";
export { ALL_SCOPES, effectiveScopes, parseScope, SCOPES } from "./scopes.js";
