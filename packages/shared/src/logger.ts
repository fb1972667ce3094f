import { createHash } from "node:crypto";
import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import { withoutUrlCredentials } from "./redact.js";

export type { Logger } from "pino";

/** Keys whose values never reach a log line, at the top level and one level down (pino's paths). */
const SECRET_KEYS = [
  "password",
  "passwd",
  "secret",
  "client_secret",
  "token",
  "access_token",
  "refresh_token",
  "id_token",
  "code_verifier",
  "api_key",
  "odoo_credential",
  "authorization",
  "cookie",
  "set-cookie",
];

export const REDACTED_PATHS = [
  ...SECRET_KEYS.map((key) => `["${key}"]`),
  ...SECRET_KEYS.map((key) => `*["${key}"]`),
  'req.headers["authorization"]',
  'req.headers["cookie"]',
  'res.headers["set-cookie"]',
];

export interface LoggerSettings {
  /** Which program writes the lines (`auth-server`, `mcp-server`, `odoo-sim`). */
  name: string;
  level?: LoggerOptions["level"];
  destination?: DestinationStream;
}

/**
 * JSON-lines logger. Convention: every line that records something happening carries an `event`
 * field in snake_case (`oauth_token_issued`, `odoo_call_failed`), so operators filter on it.
 */
export function createLogger({ name, level = "info", destination }: LoggerSettings): Logger {
  const options: LoggerOptions = {
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // A URL with `user:password@` (a setting, an error message, a stack) is written without them.
    hooks: { streamWrite: withoutUrlCredentials },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The SHA-256 of a token, in hex: what the authorization server stores a token under, never the token. */
export function tokenDigest(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * A short, one-way label for a secret or token, so log lines can correlate without revealing it: the
 * start of its `tokenDigest`, so a log line's `token_id` also finds the token's stored row.
 */
export function fingerprint(secret: string): string {
  return tokenDigest(secret).slice(0, 12);
}
