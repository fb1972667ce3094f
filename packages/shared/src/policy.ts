/**
 * Policy constants: the numbers and names the system is built around, written once. They are not
 * configuration (no variable changes them); change them here and every server follows.
 */

/** The client ChatGPT's connector uses; created by the authorization server on its first start. */
export const CHATGPT_CLIENT_ID = "chatgpt-odoo-mcp";

/** The MCP server's own (introspection) client id when the launcher generates it for a local run. */
export const LOCAL_MCP_CLIENT_ID = "odoo-mcp-resource-server";

/** Where the launcher keeps the secrets both local servers share, beside the SQLite file. */
export const LOCAL_MCP_SECRETS_FILE = "mcp-secrets.json";

/**
 * How long a grant lives (consent, remembered consent, sealed Odoo credentials): a year. Tokens end
 * far sooner (ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL); this only bounds what they are issued from.
 */
export const GRANT_LIFETIME_SECONDS = 365 * 86400;

/** A fixed-window limit: at most `max` events per key within `windowSeconds`. */
export interface WindowLimit {
  max: number;
  windowSeconds: number;
}

/** Failed sign-ins per login from one address (one source guessing one person's password): 5 per 15 minutes. */
export const SIGN_IN_LIMIT_PER_LOGIN_AND_ADDRESS: WindowLimit = { max: 5, windowSeconds: 15 * 60 };

/** Failed sign-ins per client address (one source trying many logins): 20 per 15 minutes. */
export const SIGN_IN_LIMIT_PER_ADDRESS: WindowLimit = { max: 20, windowSeconds: 15 * 60 };

/**
 * Authorization requests (`/oauth/authorize`, `/oauth/par`) per client address: 60 per 10 minutes. Each
 * one that needs a sign-in stores an interaction; a person needs one or two per connection.
 */
export const AUTHORIZATION_LIMIT_PER_ADDRESS: WindowLimit = { max: 60, windowSeconds: 10 * 60 };

/** The parameters of one authorization request at most, as sent (the query, or the form body): 4 KiB. */
export const AUTHORIZATION_REQUEST_MAX_BYTES = 4096;

/**
 * How long a person stays signed in at the authorization server in one browser: a second app allowed
 * there within it needs no new sign-in (in user mode it gets the Odoo credentials sealed at the sign-in).
 */
export const BROWSER_SESSION_SECONDS = 14 * 86400;

/** How long an authorization request waits for the person to sign in: 10 minutes, then it is forgotten. */
export const SIGN_IN_INTERACTION_SECONDS = 10 * 60;

/** How long a signed-in person's authorization request waits for their consent: an hour. */
export const CONSENT_INTERACTION_SECONDS = 3600;

/** The window of REGISTRATION_RATE_LIMIT (dynamic client registrations per address): an hour. */
export const REGISTRATION_WINDOW_SECONDS = 3600;

/** Retry-After (seconds) sent when the authorization server cannot be reached. */
export const AUTH_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Retry-After (seconds) for a request refused because as many of the caller's are running as allowed. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/** How long the MCP server reuses the authorization server's metadata before asking again. */
export const AUTH_METADATA_MAX_AGE_MS = 5 * 60_000;

/** Exit status of a program refused for its configuration (sysexits.h EX_CONFIG). */
export const EX_CONFIG = 78;

/** The oldest Node.js release the programs are supported on (oidc-provider 9 needs 22). */
export const MINIMUM_NODE_MAJOR = 22;
