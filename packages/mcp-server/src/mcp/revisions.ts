/**
 * The MCP revisions this server speaks, and how a POST says which one it uses. Two eras share the endpoint
 * (MCP 2026-07-28, "Versioning": a server MAY serve both):
 * - legacy (2025-11-25, 2025-06-18 and older): an `initialize` handshake picks the version, later requests
 *   carry it in the `MCP-Protocol-Version` header;
 * - modern (2026-07-28): no handshake; every request carries the revision and the client's capabilities in
 *   its `_meta` envelope, and the `MCP-Protocol-Version`, `Mcp-Method` and `Mcp-Name` headers repeat the
 *   body (checked, so that proxies routing on headers cannot be told one thing while the server does another).
 *   `Mcp-Method` and `Mcp-Name` are checked on legacy POSTs too whenever they are present.
 * The body decides first, as the SDK's server does: an envelope means modern, anything else legacy.
 */
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";

export const MODERN_REVISIONS: readonly string[] = ["2026-07-28"];
/** The initialize-era revisions, newest first (the SDK's list). */
export const LEGACY_REVISIONS: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;

/** The `_meta` keys of the 2026-07-28 envelope and of its results. */
export const META_KEYS = {
  protocolVersion: "io.modelcontextprotocol/protocolVersion",
  clientCapabilities: "io.modelcontextprotocol/clientCapabilities",
  serverInfo: "io.modelcontextprotocol/serverInfo",
} as const;

/** JSON-RPC error codes 2026-07-28 adds (schema.ts), each answered with HTTP 400. */
export const MODERN_ERROR = { headerMismatch: -32020, unsupportedVersion: -32022 } as const;

/** Revisions compare as dates; 2026-07-28 and later have no handshake. */
export const isModernRevision = (version: string) => version >= (MODERN_REVISIONS[0] as string);

/** Methods whose `Mcp-Name` header repeats a parameter: the tool or prompt name, the resource URI. */
const NAMED_BY: Readonly<Record<string, "name" | "uri">> = {
  "tools/call": "name",
  "prompts/get": "name",
  "resources/read": "uri",
};

export interface RpcProblem {
  status: number;
  code: number;
  message: string;
  data?: unknown;
}

interface Message {
  method?: unknown;
  id?: unknown;
  params?: { _meta?: Record<string, unknown>; name?: unknown; uri?: unknown };
}

/** The revision a message's envelope names, when it has one. */
export function envelopeRevision(message: unknown): unknown {
  return (message as Message | null)?.params?._meta?.[META_KEYS.protocolVersion];
}

/** Header values that are not plain ASCII travel as `=?base64?<UTF-8 in base64>?=` (streamable HTTP). */
function decodeHeader(value: string): string | undefined {
  const sentinel = /^=\?base64\?([A-Za-z0-9+/]*={0,2})\?=$/.exec(value);
  if (!sentinel) return /^[\x20-\x7e]*$/.test(value) ? value : undefined;
  return Buffer.from(sentinel[1] as string, "base64").toString("utf8");
}

const mismatch = (message: string, header: string, body: unknown): RpcProblem => ({
  status: 400,
  code: MODERN_ERROR.headerMismatch,
  message: `Header mismatch: ${message}`,
  data: { mismatch: { header, body } },
});

type HeaderReader = (name: string) => string | undefined;

/** A header that repeats a body value: absent (when `required`) or different is a -32020 mismatch. */
function repeated(header: HeaderReader, name: string, label: string, body: unknown, required: boolean) {
  const value = header(name);
  if (value === undefined)
    return required ? mismatch(`the ${label} header is required.`, "(missing)", body) : undefined;
  if (value === body) return undefined;
  return mismatch(`${label} header value '${value}' does not match body value '${String(body)}'.`, value, body);
}

/** An envelope without the keys 2026-07-28 requires: -32602 naming them. */
const envelopeProblem = (missing: string[]): RpcProblem => ({
  status: 400,
  code: -32602,
  message: `Invalid params: the _meta envelope of protocol revision ${MODERN_REVISIONS[0]} needs ${missing.join(" and ")}.`,
  data: { envelope: { missing } },
});

/** What a message names in `Mcp-Name`: its tool or prompt name, its resource URI; undefined for other methods. */
const bodyNameOf = ({ method, params }: Message) => {
  const namedBy = typeof method === "string" ? NAMED_BY[method] : undefined;
  return namedBy ? params?.[namedBy] : undefined;
};

/** `Mcp-Name` against the body: required for the named methods when `required`; never on the others. */
function nameProblem(header: HeaderReader, message: Message, required: boolean): RpcProblem | undefined {
  const bodyName = bodyNameOf(message);
  const rawName = header("mcp-name");
  if (rawName === undefined)
    return required && bodyName !== undefined
      ? mismatch("the Mcp-Name header is required for this method.", "(missing)", bodyName)
      : undefined;
  const name = decodeHeader(rawName);
  if (bodyName === undefined)
    return mismatch(
      `Mcp-Name header value '${name ?? rawName}' names nothing ${String(message.method)} carries.`,
      rawName,
      null,
    );
  if (name !== bodyName)
    return mismatch(
      `Mcp-Name header value '${name ?? rawName}' does not match body value '${String(bodyName)}'.`,
      rawName,
      bodyName,
    );
  return undefined;
}

/**
 * What is wrong with a 2026-07-28 request, in the order the SDK's server checks it: the envelope
 * (-32602), the revision (-32022), then each header against the body (-32020). `header` reads a request
 * header by lower-case name (undefined when absent).
 */
export function modernRequestProblem(message: unknown, header: HeaderReader): RpcProblem | undefined {
  const { method, params } = message as Message;
  const meta = params?._meta;
  const version = meta?.[META_KEYS.protocolVersion];
  const capabilities = meta?.[META_KEYS.clientCapabilities];
  const missing = [
    ...(typeof version === "string" ? [] : [META_KEYS.protocolVersion]),
    ...(capabilities !== null && typeof capabilities === "object" && !Array.isArray(capabilities)
      ? []
      : [META_KEYS.clientCapabilities]),
  ];
  if (missing.length > 0) return envelopeProblem(missing);
  if (!MODERN_REVISIONS.includes(version as string))
    return {
      status: 400,
      code: MODERN_ERROR.unsupportedVersion,
      message: `Unsupported protocol version: ${String(version)}`,
      data: { supported: MODERN_REVISIONS, requested: version },
    };
  return (
    repeated(header, "mcp-protocol-version", "MCP-Protocol-Version", version, true) ??
    repeated(header, "mcp-method", "Mcp-Method", method, true) ??
    nameProblem(header, message as Message, true)
  );
}

/**
 * Mcp-Method and Mcp-Name on a POST of the revisions before 2026-07-28, which do not require them: a
 * proxy or gateway may still route or authorise on them while this server acts on the body, so when
 * present they must repeat the method and name of every message the POST carries (-32020).
 */
export function legacyHeaderProblem(messages: readonly unknown[], header: HeaderReader): RpcProblem | undefined {
  if (header("mcp-method") === undefined && header("mcp-name") === undefined) return undefined;
  for (const message of messages) {
    const problem =
      repeated(header, "mcp-method", "Mcp-Method", (message as Message).method, false) ??
      nameProblem(header, message as Message, false);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * What is wrong with a 2026-07-28 notification: it needs no headers, but those it carries must repeat the
 * body (as the SDK's server checks: MCP-Protocol-Version against the envelope, then Mcp-Method; and
 * Mcp-Name, which no notification carries).
 */
export function modernNotificationProblem(message: unknown, header: HeaderReader): RpcProblem | undefined {
  const { method } = message as Message;
  const version = envelopeRevision(message);
  if (typeof version !== "string") return envelopeProblem([META_KEYS.protocolVersion]);
  return (
    repeated(header, "mcp-protocol-version", "MCP-Protocol-Version", version, false) ??
    repeated(header, "mcp-method", "Mcp-Method", method, false) ??
    nameProblem(header, message as Message, false)
  );
}
