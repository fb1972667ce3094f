/**
 * Streamable HTTP on Koa, stateless: no session, so any replica can answer any request, and one
 * dispatcher for the process (server.ts) answers every POST; a lone tools/list is answered from cached
 * bytes. Answers are JSON (the spec's alternative to an SSE stream; nothing here streams). Lenient
 * where the spec allows (a bare tools/call, a client that accepts only JSON), strict where it matters
 * (JSON-RPC shape, protocol version, and scopes checked before a tool runs: 403 insufficient_scope).
 * OAuth errors are thrown (auth/errors.ts) and answered by the app's `errorResponses` middleware.
 */
import {
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import type { Context } from "koa";
import getRawBody from "raw-body";
import { InsufficientScope, InvalidToken } from "../auth/errors.js";
import { CredentialsRejected } from "../odoo/user-clients.js";
import type { Caller, ToolContext } from "../tools/index.js";
import { exchange, isRequest, requestIds } from "./json-exchange.js";
import { answerRequest, findTool, type ToolCallMetric, ToolsListCache } from "./server.js";

const MAX_BODY = "1mb";
const MAX_BATCH = 100;
/**
 * How long a POST may wait for its responses before the unanswered get a timeout error. Each Odoo call
 * gives up after ODOO_TIMEOUT (15 s by default), and a tool makes a few in sequence (sign-in, version,
 * fields, the call): two minutes covers that with room, and no socket is held longer.
 */
export const DEFAULT_DEADLINE_MS = 120_000;

const rpcError = (ctx: Context, status: number, code: number, message: string) => {
  ctx.status = status;
  ctx.body = { jsonrpc: "2.0", error: { code, message }, id: null };
};

/** The first tools/call among the messages whose tool needs a scope the caller lacks. */
function missingScope(messages: JSONRPCMessage[], caller: Caller): string | undefined {
  for (const message of messages) {
    if (!("method" in message) || message.method !== "tools/call") continue;
    const name = (message.params as { name?: unknown } | undefined)?.name;
    const tool = typeof name === "string" ? findTool(name) : undefined;
    if (tool && !caller.scopes.has(tool.scope)) return tool.scope;
  }
  return undefined;
}

export interface McpHandlerOptions {
  /** Builds the per-request tool context for a caller; CredentialsRejected means "sign in again". */
  contextFor(caller: Caller): Promise<ToolContext>;
  toolCalls?: ToolCallMetric;
  /** Milliseconds before a request still unanswered gets a timeout error (DEFAULT_DEADLINE_MS). */
  deadlineMs?: number;
}

export function mcpHandler({ contextFor, toolCalls, deadlineMs = DEFAULT_DEADLINE_MS }: McpHandlerOptions) {
  const toolsList = new ToolsListCache();
  return async (ctx: Context) => {
    if (ctx.method !== "POST") {
      // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
      ctx.set("Allow", "POST, OPTIONS");
      return rpcError(ctx, 405, -32000, "Method not allowed: this stateless MCP server answers POST only.");
    }
    if (!ctx.is("application/json"))
      return rpcError(ctx, 415, -32000, "Unsupported Media Type: send application/json.");
    const accept = ctx.get("accept");
    if (accept && !/application\/json|application\/\*|\*\/\*/.test(accept)) {
      return rpcError(ctx, 406, -32000, "Not Acceptable: this server answers application/json.");
    }
    const version = ctx.get("mcp-protocol-version");
    if (version && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return rpcError(
        ctx,
        400,
        -32000,
        `Bad Request: unsupported protocol version ${version} (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")}).`,
      );
    }

    let body: unknown;
    try {
      body = JSON.parse(await getRawBody(ctx.req, { limit: MAX_BODY, encoding: "utf8" }));
    } catch (error) {
      const tooLarge = (error as { type?: string }).type === "entity.too.large";
      return rpcError(
        ctx,
        tooLarge ? 413 : 400,
        tooLarge ? -32000 : -32700,
        tooLarge ? `Request body larger than ${MAX_BODY}.` : "Parse error: the body is not valid JSON.",
      );
    }
    const batch = Array.isArray(body);
    const raw = batch ? (body as unknown[]) : [body];
    if (raw.length === 0 || raw.length > MAX_BATCH)
      return rpcError(ctx, 400, -32600, `Invalid Request: send 1 to ${MAX_BATCH} messages.`);
    const parsed = raw.map((message) => JSONRPCMessageSchema.safeParse(message));
    if (parsed.some((result) => !result.success))
      return rpcError(ctx, 400, -32600, "Invalid Request: not a JSON-RPC 2.0 message.");
    const messages = parsed.map((result) => result.data as JSONRPCMessage);
    const ids = requestIds(messages);
    if (new Set(ids).size !== ids.length)
      return rpcError(ctx, 400, -32600, "Invalid Request: request ids in a batch must differ.");

    const caller = ctx.state.caller as Caller;
    const needed = missingScope(messages, caller);
    if (needed) throw new InsufficientScope(needed);

    const context = await contextFor(caller).catch((error: unknown) => {
      throw error instanceof CredentialsRejected ? new InvalidToken(error.message) : error;
    });

    // The hot path: a lone tools/list, answered from bytes serialised once per scope set.
    const [first] = messages;
    const listed = !batch && first && isRequest(first) ? toolsList.answer(first, context.caller.scopes) : undefined;
    if (listed) {
      // The shared head is written as it is, not copied into one body per request: under a crowd of
      // clients every answer waiting on a slow socket would otherwise hold its own ~24 KB copy.
      const [head, tail] = listed;
      ctx.status = 200;
      ctx.type = "application/json";
      ctx.length = head.length + tail.length;
      ctx.respond = false;
      ctx.res.write(head);
      ctx.res.end(tail);
      return;
    }
    const responses = await exchange(messages, deadlineMs, (request) => answerRequest(request, context, toolCalls));
    if (responses.length === 0) {
      ctx.status = 202; // notifications and responses only
      return;
    }
    ctx.body = batch ? responses : responses[0];
  };
}
