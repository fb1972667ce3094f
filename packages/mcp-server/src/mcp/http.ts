/**
 * Streamable HTTP on Koa, stateless: no session, so any replica can answer any request, and one
 * dispatcher for the process (server.ts) answers every POST; a lone tools/list is answered from cached
 * bytes. Answers are JSON (the spec's alternative to an SSE stream; nothing here streams). Lenient
 * where the spec allows (a bare tools/call, a client that accepts only JSON), strict where it matters
 * (JSON-RPC shape, protocol version, and scopes checked before a tool runs: 403 insufficient_scope, or its
 * tool-result form for ChatGPT (step-up.ts); the
 * caller's rate and concurrency limits before any Odoo call: 429, caller-limits.ts).
 * OAuth errors are thrown (auth/errors.ts) and answered by the app's `errorResponses` middleware.
 */
import {
  ErrorCode,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type JSONRPCRequest,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import { SCOPES } from "@odoo-mcp/shared";
import type { Context } from "koa";
import getRawBody from "raw-body";
import { InvalidToken } from "../auth/errors.js";
import { type CallerLimits, isTooMany, limitKey, type Resource, type Slot, type TooMany } from "../caller-limits.js";
import { CredentialsRejected } from "../odoo/user-clients.js";
import type { Caller, ToolContext } from "../tools/index.js";
import { exchange, isRequest, requestIds, requestsToRun } from "./json-exchange.js";
import {
  envelopeRevision,
  isModernRevision,
  LEGACY_REVISIONS,
  legacyHeaderProblem,
  META_KEYS,
  MODERN_ERROR,
  MODERN_REVISIONS,
  modernNotificationProblem,
  modernRequestProblem,
  type RpcProblem,
} from "./revisions.js";
import {
  answerRequest,
  answers,
  type Era,
  findTool,
  modernResult,
  type ToolCallMetric,
  ToolsListCache,
} from "./server.js";
import { cannotConsentTo, challengeResult, fromAppsSdkHost, listedScopes, scopeChallenge } from "./step-up.js";
import { declaresUi } from "./ui-resources.js";
import type { ViewSessions } from "./view-sessions.js";

const MAX_BODY = "1mb";
const MAX_BATCH = 100;
/**
 * How long a POST may wait for its responses before the unanswered get a timeout error. Each Odoo call
 * gives up after ODOO_TIMEOUT (15 s by default), and a tool makes a few in sequence (sign-in, version,
 * fields, the call): two minutes covers that with room, and no socket is held longer.
 */
export const DEFAULT_DEADLINE_MS = 120_000;

/** A request refused before it runs, echoing its id when it has a usable one. */
const rpcProblem = (ctx: Context, { status, code, message, data }: RpcProblem, id: unknown) => {
  ctx.status = status;
  ctx.body = {
    jsonrpc: "2.0",
    id: typeof id === "string" || typeof id === "number" ? id : null,
    error: { code, message, ...(data !== undefined && { data }) },
  };
};

/** A POST refused before its messages are known: no id to echo. */
const rpcError = (ctx: Context, status: number, code: number, message: string) =>
  rpcProblem(ctx, { status, code, message }, null);

const idOf = (message: unknown) => (isObject(message) ? message.id : undefined);

/** Methods that read Odoo data outside tools: they need `odoo:read` as the read tools do. */
const READING_METHODS = new Set(["resources/list", "resources/read", "completion/complete"]);

/** The scope a message needs: its tool's for tools/call, `odoo:read` for the reading methods. */
function scopeOf(message: JSONRPCMessage): string | undefined {
  if (!("method" in message)) return undefined;
  if (READING_METHODS.has(message.method)) return SCOPES.read;
  if (message.method !== "tools/call") return undefined;
  const name = (message.params as { name?: unknown } | undefined)?.name;
  return typeof name === "string" ? findTool(name)?.scope : undefined;
}

/**
 * The first scope the messages need that the caller lacks and could get by consenting again (a step-up
 * challenge); a person Odoo does not let write gets a tool error instead (server.ts).
 */
function missingScope(messages: JSONRPCMessage[], caller: Caller): string | undefined {
  for (const message of messages) {
    const scope = scopeOf(message);
    if (scope && !caller.scopes.has(scope) && !cannotConsentTo(scope, caller)) return scope;
  }
  return undefined;
}

/** What a request takes from its caller's limits: a call when it reaches Odoo, and a render for a tool that renders. */
function needsOf(request: JSONRPCRequest): Resource[] {
  if (READING_METHODS.has(request.method)) return ["calls"];
  if (request.method !== "tools/call") return [];
  const name = (request.params as { name?: unknown } | undefined)?.name;
  return typeof name === "string" && findTool(name)?.renders ? ["calls", "renders"] : ["calls"];
}

const NOTHING_HELD: Slot = { release: () => undefined };

/** Each request to run takes its share of the caller's limits, in the POST's order, before anything runs. */
function admit(limits: CallerLimits | undefined, caller: Caller, requests: JSONRPCRequest[]) {
  const admitted = new Map<RequestId, Slot | TooMany>();
  const key = limitKey(caller);
  for (const request of requests) {
    const needs = needsOf(request);
    admitted.set(request.id, limits && needs.length > 0 ? limits.take(key, needs) : NOTHING_HELD);
  }
  return admitted;
}

/**
 * Over the caller's limits. A POST none of whose requests may run is refused as a whole with HTTP 429 and
 * Retry-After (RFC 6585 §4, RFC 9110 §10.2.3): Streamable HTTP answers a POST it does not take with an HTTP
 * error status (as 400, 401, 403, 404, 413 here), which every client and proxy understands. When some
 * requests of a batch may run, the POST is theirs (200), so each refused one is answered in its place with
 * a JSON-RPC error carrying the same wait in `data.retryAfterSeconds`. A JSON-RPC error and not an
 * `isError` tool result: MCP keeps tool results for what happens inside a tool (what the model fixes by
 * changing its call), protocol errors for requests the server does not carry out; a refused call never
 * reached its tool, and it is for the client, not the model, to wait. -32000 is JSON-RPC's first
 * implementation-defined server error, as the transport's other refusals here use.
 */
const TOO_MANY_CODE = -32000;
const tooManyAnswer = (id: RequestId, refusal: TooMany): JSONRPCMessage => ({
  jsonrpc: "2.0",
  id,
  error: { code: TOO_MANY_CODE, message: refusal.message, data: { retryAfterSeconds: refusal.retryAfterSeconds } },
});

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The era a POST speaks, from its body first (revisions.ts), or the problem that stops it: a batch with a
 * 2026-07-28 envelope (that revision has no batches), a 2026-07-28 header on a body without the envelope,
 * or a header naming a revision this server does not speak.
 */
function eraOf(raw: unknown[], batch: boolean, headerVersion: string): Era | RpcProblem {
  const modern = raw.some((message) => envelopeRevision(message) !== undefined);
  if (modern && batch)
    return { status: 400, code: -32600, message: "Invalid Request: protocol revision 2026-07-28 has no batches." };
  if (modern) return "modern";
  if (headerVersion && isModernRevision(headerVersion)) {
    const [first] = raw;
    if (isObject(first) && first.method === "initialize")
      return {
        status: 400,
        code: MODERN_ERROR.headerMismatch,
        message: `Header mismatch: initialize belongs to the revisions before ${MODERN_REVISIONS[0]}, but MCP-Protocol-Version says ${headerVersion}.`,
      };
    return {
      status: 400,
      code: -32602,
      message: `Invalid params: a ${headerVersion} request carries its _meta envelope (${META_KEYS.protocolVersion}, ${META_KEYS.clientCapabilities}).`,
      data: { envelope: { missing: ["_meta"] } },
    };
  }
  if (headerVersion && !LEGACY_REVISIONS.includes(headerVersion))
    return {
      status: 400,
      code: -32000,
      message: `Bad Request: unsupported protocol version ${headerVersion} (supported: ${[...MODERN_REVISIONS, ...LEGACY_REVISIONS].join(", ")}).`,
    };
  return "legacy";
}

export interface McpHandlerOptions {
  /** Builds the per-request tool context for a caller; CredentialsRejected means "sign in again". */
  contextFor(caller: Caller): Promise<ToolContext>;
  toolCalls?: ToolCallMetric;
  /** Milliseconds before a request still unanswered gets a timeout error (DEFAULT_DEADLINE_MS). */
  deadlineMs?: number;
  /** Each caller's rate and concurrency limits; none when absent (stand-ins in tests). */
  limits?: CallerLimits;
  /** This resource's metadata document (RFC 9728), which a step-up challenge names. */
  resourceMetadataUrl: string;
  /** Where a person allows their apps to change data (step-up.ts `accountPage`). */
  accountUrl: string;
  /** Initialize-era hosts' word that they render views, carried in the session id (view-sessions.ts). */
  viewSessions?: ViewSessions;
}

export function mcpHandler({
  contextFor,
  toolCalls,
  deadlineMs = DEFAULT_DEADLINE_MS,
  limits,
  resourceMetadataUrl,
  accountUrl,
  viewSessions,
}: McpHandlerOptions) {
  const toolsList = new ToolsListCache(accountUrl);
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
    const era = eraOf(raw, batch, ctx.get("mcp-protocol-version"));
    if (typeof era !== "string") return rpcProblem(ctx, era, idOf(raw[0]));
    const parsed = raw.map((message) => JSONRPCMessageSchema.safeParse(message));
    if (parsed.some((result) => !result.success))
      return rpcError(ctx, 400, -32600, "Invalid Request: not a JSON-RPC 2.0 message.");
    const messages = parsed.map((result) => result.data as JSONRPCMessage);
    const ids = requestIds(messages);
    if (new Set(ids).size !== ids.length)
      return rpcError(ctx, 400, -32600, "Invalid Request: request ids in a batch must differ.");
    const [first] = messages;
    const header = (name: string) => ctx.req.headers[name] as string | undefined;
    if (era === "modern" && first) {
      if (isRequest(first)) {
        const problem = modernRequestProblem(first, header);
        if (problem) return rpcProblem(ctx, problem, first.id);
      } else if ("method" in first) {
        const problem = modernNotificationProblem(first, header);
        if (problem) return rpcProblem(ctx, problem, undefined);
      }
    } else {
      const problem = legacyHeaderProblem(messages, header);
      if (problem) return rpcProblem(ctx, problem, batch ? null : idOf(first));
    }

    const caller = ctx.state.caller as Caller;
    const needed = missingScope(messages, caller);
    if (needed) {
      const challenge = scopeChallenge(needed, caller, accountUrl);
      if (batch || !first || !isRequest(first) || !fromAppsSdkHost(first)) throw challenge;
      const result = challengeResult(challenge, resourceMetadataUrl);
      ctx.body = {
        result: era === "modern" ? modernResult(first.method, result) : result,
        jsonrpc: "2.0",
        id: first.id,
      };
      return;
    }
    // 2026-07-28 answers a method it does not have with 404 (its HTTP status ladder), before any work.
    if (era === "modern" && first && isRequest(first) && !answers(era, first.method))
      return rpcProblem(ctx, { status: 404, code: ErrorCode.MethodNotFound, message: "Method not found" }, first.id);

    // Before any Odoo call (user mode signs in to Odoo for the context).
    const admitted = admit(limits, caller, requestsToRun(messages));
    const refused = [...admitted.values()].filter(isTooMany);
    if (refused.length > 0 && refused.length === admitted.size) {
      const wait = Math.max(...refused.map((refusal) => refusal.retryAfterSeconds));
      ctx.set("Retry-After", String(wait));
      const problem = { status: 429, code: TOO_MANY_CODE, message: (refused[0] as TooMany).message };
      return rpcProblem(ctx, { ...problem, data: { retryAfterSeconds: wait } }, batch ? null : idOf(first));
    }
    const releaseAll = () => {
      for (const slot of admitted.values()) if (!isTooMany(slot)) slot.release();
    };

    const context = await contextFor(caller).catch((error: unknown) => {
      releaseAll();
      throw error instanceof CredentialsRejected ? new InvalidToken(error.message) : error;
    });
    if (era === "legacy" && viewSessions)
      context.rendersViews = viewSessions.rendersViews(caller, header("mcp-session-id"));

    // The hot path: a lone tools/list, answered from bytes serialised once per era and scope set.
    const listed =
      !batch && first && isRequest(first) ? toolsList.answer(first, listedScopes(context.caller), era) : undefined;
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
    const responses = await exchange(messages, deadlineMs, async (request) => {
      const slot = admitted.get(request.id) ?? NOTHING_HELD;
      if (isTooMany(slot)) return tooManyAnswer(request.id, slot);
      // Held until the handler ends, even past the POST's deadline: its Odoo call is still running.
      return answerRequest(request, context, era, toolCalls).finally(() => slot.release());
    });
    if (responses.length === 0) {
      ctx.status = 202; // notifications and responses only
      return;
    }
    if (viewSessions && era === "legacy" && first && isRequest(first) && first.method === "initialize") {
      const answered = responses[0] as { result?: unknown } | undefined;
      if (answered?.result && declaresUi(first.params?.capabilities))
        ctx.set("Mcp-Session-Id", viewSessions.issue(caller));
    }
    ctx.body = batch ? responses : responses[0];
  };
}
