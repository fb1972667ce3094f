/**
 * Streamable HTTP on Koa, stateless: each POST gets its own server and transport, so any replica can
 * answer any request. Lenient where the spec allows (a client that accepts only JSON gets JSON), strict
 * where it matters (scopes are checked before a tool runs: 403 insufficient_scope for a step-up).
 */
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { Context } from "koa";
import getRawBody from "raw-body";
import { bearerChallenge } from "../auth/challenge.js";
import { CredentialsRejected } from "../odoo/user-clients.js";
import type { Caller, ToolContext } from "../tools/index.js";
import { createMcpServer, findTool } from "./server.js";

const MAX_BODY = "1mb";

const rpcError = (ctx: Context, status: number, code: number, message: string) => {
  ctx.status = status;
  ctx.body = { jsonrpc: "2.0", error: { code, message }, id: null };
};

/** The first tools/call in the message(s) whose tool needs a scope the caller lacks. */
function missingScope(body: unknown, caller: Caller): string | undefined {
  const messages = Array.isArray(body) ? body : [body];
  for (const message of messages) {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
    if (method !== "tools/call" || typeof params?.name !== "string") continue;
    const tool = findTool(params.name);
    if (tool && !caller.scopes.has(tool.scope)) return tool.scope;
  }
  return undefined;
}

export interface McpHandlerOptions {
  /** Builds the per-request tool context for a caller; CredentialsRejected means "sign in again". */
  contextFor(caller: Caller): Promise<ToolContext>;
  resourceMetadataUrl: string;
}

export function mcpHandler({ contextFor, resourceMetadataUrl }: McpHandlerOptions) {
  return async (ctx: Context) => {
    if (ctx.method !== "POST") {
      // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
      ctx.set("Allow", "POST, OPTIONS");
      return rpcError(ctx, 405, -32000, "Method not allowed: this stateless MCP server answers POST only.");
    }
    if (!ctx.is("application/json"))
      return rpcError(ctx, 415, -32000, "Unsupported Media Type: send application/json.");
    const accept = ctx.get("accept");
    const wantsSse = accept.includes("text/event-stream");
    const takesJson = !accept || /application\/json|application\/\*|\*\/\*/.test(accept);
    if (!wantsSse && !takesJson)
      return rpcError(ctx, 406, -32000, "Not Acceptable: accept application/json or text/event-stream.");

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

    const caller = ctx.state.caller as Caller;
    const needed = missingScope(body, caller);
    if (needed) {
      ctx.set(
        "WWW-Authenticate",
        bearerChallenge(resourceMetadataUrl, {
          error: "insufficient_scope",
          scope: needed,
          description: `This tool needs the ${needed} scope.`,
        }),
      );
      ctx.status = 403;
      ctx.body = {
        error: "insufficient_scope",
        error_description: `This tool needs the ${needed} scope.`,
        scope: needed,
      };
      return;
    }

    // A client that accepts only JSON (the guide's curl) gets a JSON answer instead of a 406.
    if (!wantsSse) ctx.req.headers.accept = "application/json, text/event-stream";
    let context: ToolContext;
    try {
      context = await contextFor(caller);
    } catch (error) {
      if (!(error instanceof CredentialsRejected)) throw error;
      ctx.set(
        "WWW-Authenticate",
        bearerChallenge(resourceMetadataUrl, { error: "invalid_token", description: error.message }),
      );
      ctx.status = 401;
      ctx.body = { error: "invalid_token", error_description: error.message };
      return;
    }
    const server = createMcpServer(context);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: !wantsSse,
    });
    ctx.respond = false;
    ctx.res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(ctx.req, ctx.res, body);
  };
}
