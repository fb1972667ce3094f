/**
 * The MCP server, one for the process (stateless Streamable HTTP): a dispatcher that answers the
 * initialize era (initialize, ping) and 2026-07-28 (server/discover, results with resultType, cache hints
 * and serverInfo) alike for tools, resources, prompts and completions, as the SDK's low-level `Server`
 * does (its request schemas validate every request, and errors carry the same codes and messages), without
 * building a `Server` per request. Tool descriptors are built once at start-up, and each era's and scope
 * set's tools/list answer is serialised once.
 */
import {
  CallToolRequestSchema,
  type CallToolResult,
  CompleteRequestSchema,
  type ContentBlock,
  ErrorCode,
  GetPromptRequestSchema,
  InitializeRequestSchema,
  type InitializeResult,
  isTaskAugmentedRequestParams,
  type JSONRPCMessage,
  type JSONRPCRequest,
  LATEST_PROTOCOL_VERSION,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  type ListToolsResult,
  McpError,
  PingRequestSchema,
  ReadResourceRequestSchema,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import { OdooError } from "@odoo-mcp/odoo-client";
import { SCOPES } from "@odoo-mcp/shared";
import type { Histogram } from "prom-client";
import { z } from "zod";
import {
  ALL_TOOLS,
  describeTool,
  EXTRA_CONTENT,
  RESULT_META,
  type ToolContext,
  type ToolDefinition,
  ToolRefusal,
} from "../tools/index.js";
import { type CompletionRef, complete } from "./completions.js";
import { getPrompt, InvalidPromptArguments, PROMPTS, UnknownPrompt } from "./prompts.js";
import { listResources, RESOURCE_TEMPLATES, ResourceNotFound, readResource } from "./resources.js";
import { LEGACY_REVISIONS, META_KEYS, MODERN_REVISIONS } from "./revisions.js";
import { cannotConsentTo, listedScopes, stepUpNote } from "./step-up.js";
import { declaresUi, isUiUri, readUiResource, UI_RESOURCES } from "./ui-resources.js";

/** legacy: the initialize-era revisions (2025-11-25 and older); modern: 2026-07-28 (revisions.ts). */
export type Era = "legacy" | "modern";

export const SERVER_INFO = { name: "odoo-mcp", title: "Odoo", version: "0.1.0" };
const CAPABILITIES = {
  tools: { listChanged: false },
  resources: { subscribe: false, listChanged: false },
  prompts: { listChanged: false },
  completions: {},
};

const INSTRUCTIONS =
  "Work on the company's Odoo ERP. Find records with odoo_search_read_records (Odoo domains, e.g. " +
  '[["customer_rank", ">", 0]] for customers), count with odoo_count_records, look up ids by name with ' +
  "odoo_name_search, inspect fields with odoo_get_model_fields before building domains or values, and " +
  "total and group with odoo_aggregate_records (e.g. stock by location, sales by month), change data with " +
  "odoo_create_record / odoo_update_record / odoo_delete_record and press workflow buttons (confirm, validate, " +
  "cancel) with odoo_call_method; if a change is refused because the connection may only read, ask the person to allow changes (each of those tools says how). Post on a record's chatter with odoo_post_message, " +
  "email a result or a document with odoo_send_email (to the person asking unless the operator allows more), " +
  "get a quotation's, invoice's or delivery slip's PDF with odoo_get_report, and list, read or add files with " +
  "the attachment tools. Multi-company users pick companies with context.allowed_company_ids. " +
  "Odoo versions name some things differently (a storable product is type 'product' up to 17, is_storable from 18): " +
  "odoo_get_model_fields shows what this Odoo has, and the server rewrites the common cases, saying so in `adapted`.";

const TOOLS = new Map(ALL_TOOLS.map((tool) => [tool.name, { tool, descriptor: describeTool(tool) }]));
/** The scopes tools ask for, in a fixed order: a caller's share of them names its tools/list answer. */
const TOOL_SCOPES = [...new Set(ALL_TOOLS.map((tool) => tool.scope))].sort();

export function findTool(name: string): ToolDefinition | undefined {
  return TOOLS.get(name)?.tool;
}

/** The SDK Server's answer to initialize: the client's protocol version when supported, else the latest. */
export function initializeResult(requestedVersion: string): InitializeResult {
  return {
    protocolVersion: LEGACY_REVISIONS.includes(requestedVersion) ? requestedVersion : LATEST_PROTOCOL_VERSION,
    capabilities: CAPABILITIES,
    serverInfo: SERVER_INFO,
    instructions: INSTRUCTIONS,
  };
}

/** 2026-07-28's server/discover: what initialize told, for a client that has no handshake. */
function discoverResult() {
  return { supportedVersions: MODERN_REVISIONS, capabilities: CAPABILITIES, instructions: INSTRUCTIONS };
}

/**
 * What a request's client said of MCP Apps: a 2026-07-28 request carries its capabilities, so true or
 * false; an initialize-era request does not (its handshake was another request), so undefined.
 */
export function uiDeclared(request: JSONRPCRequest): boolean | undefined {
  const capabilities = request.params?._meta?.[META_KEYS.clientCapabilities];
  return capabilities === undefined ? undefined : declaresUi(capabilities);
}

/** What a request says of views: its own capabilities (2026-07-28), else its connection's (view-sessions.ts). */
const rendersViews = (request: JSONRPCRequest, context: ToolContext) =>
  uiDeclared(request) ?? (context.rendersViews === true ? true : undefined);

/**
 * Whether tools/list shows a tool to a client by what it said of MCP Apps (uiDeclared): a tool only views
 * call is left out for a client known not to render views, and listed, marked, to one that may (hosts
 * keep it from their model, as MCP Apps requires of them).
 */
export const listedFor = (tool: ToolDefinition, ui: boolean | undefined) =>
  ui !== false || !tool.visibility || tool.visibility.includes("model");

/**
 * The tools of these scopes (`listedScopes` of a caller), as tools/list answers them: always in ALL_TOOLS's
 * order, each write tool saying how the person allows changes when the token lacks the scope (step-up.ts).
 * Tools only views call are listed as `listedFor` says.
 */
export function listTools(scopes: ReadonlySet<string>, accountUrl: string, ui?: boolean): ListToolsResult {
  const note = stepUpNote(accountUrl);
  return {
    tools: [...TOOLS.values()]
      .filter(({ tool }) => scopes.has(tool.scope) && listedFor(tool, ui))
      .map(({ tool, descriptor }) =>
        tool.scope === SCOPES.write ? { ...descriptor, description: `${descriptor.description} ${note}` } : descriptor,
      ),
  };
}

/**
 * How long a 2026-07-28 client may reuse a result (its cache hints), by method. Lists change only with a
 * deployment; `private` because what a list holds depends on the token's scopes.
 */
const CACHE_TTL_MS: ReadonlyMap<string, number> = new Map([
  ["server/discover", 300_000],
  ["tools/list", 300_000],
  ["prompts/list", 300_000],
  ["resources/list", 300_000],
  ["resources/templates/list", 300_000],
  ["resources/read", 0], // records change under the reader
]);
/** A view (ui://) changes only with a deployment, and is the same for everyone. */
const VIEW_CACHE_HINT = { ttlMs: 300_000, cacheScope: "public" } as const;

function cacheHint(method: string, result: Record<string, unknown>) {
  const [first] = (result.contents as { uri?: string }[] | undefined) ?? [];
  if (method === "resources/read" && first?.uri && isUiUri(first.uri)) return VIEW_CACHE_HINT;
  const ttlMs = CACHE_TTL_MS.get(method);
  return ttlMs === undefined ? {} : { ttlMs, cacheScope: "private" };
}

/** A result as 2026-07-28 requires it: `resultType`, cache hints where the method is cacheable, serverInfo. */
export function modernResult(method: string, result: Record<string, unknown>): Record<string, unknown> {
  return {
    ...result,
    resultType: "complete",
    ...cacheHint(method, result),
    _meta: { ...(result._meta as Record<string, unknown> | undefined), [META_KEYS.serverInfo]: SERVER_INFO },
  };
}

const json = (value: unknown) => JSON.stringify(value, null, 1);

/**
 * The result as text and as structured content, then any content block the tool adds (an embedded PDF),
 * and the `_meta` it gives its view.
 */
function success(
  result: Record<string, unknown> & { [EXTRA_CONTENT]?: ContentBlock[]; [RESULT_META]?: Record<string, unknown> },
): CallToolResult {
  const meta = result[RESULT_META];
  return {
    content: [{ type: "text", text: json(result) }, ...(result[EXTRA_CONTENT] ?? [])],
    structuredContent: result,
    ...(meta && { _meta: meta }),
  };
}

function failure(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

const ODOO_HINTS: Record<OdooError["kind"], string> = {
  access: "Odoo refused the operation (access rights)",
  credentials: "Sign-in to Odoo failed",
  missing: "The record does not exist in Odoo",
  invalid: "Odoo rejected the request",
  unavailable: "Odoo is not answering right now; try again in a moment",
  paused: "Odoo is pausing sign-ins from this server after repeated failures; try again in a minute",
};

/** Where tool calls are counted and timed (the metrics page). */
export type ToolCallMetric = Histogram<"tool" | "outcome">;

/** One tool call: a tool error (isError) for what the model can fix, logged and counted either way. */
export async function callTool(
  context: ToolContext,
  params: { name: string; arguments?: Record<string, unknown> },
  toolCalls?: ToolCallMetric,
): Promise<CallToolResult> {
  const entry = TOOLS.get(params.name);
  if (entry && !context.caller.scopes.has(entry.tool.scope) && cannotConsentTo(entry.tool.scope, context.caller))
    return failure(`${entry.tool.name} changes data, and ${context.caller.writeRefusal}`);
  if (!entry || !context.caller.scopes.has(entry.tool.scope))
    throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
  const { tool } = entry;
  const args = tool.input.safeParse(params.arguments ?? {});
  if (!args.success) {
    toolCalls?.observe({ tool: tool.name, outcome: "invalid_arguments" }, 0);
    return failure(`Invalid arguments for ${tool.name}:\n${z.prettifyError(args.error)}`);
  }
  const started = performance.now();
  const model =
    typeof (args.data as { model?: unknown }).model === "string" ? (args.data as { model: string }).model : undefined;
  const log = (outcome: string, detail?: string) => {
    toolCalls?.observe({ tool: tool.name, outcome }, (performance.now() - started) / 1000);
    context.logger.info({
      event: "mcp_tool_called",
      tool: tool.name,
      model,
      outcome,
      duration_ms: Math.round(performance.now() - started),
      login: context.caller.login,
      sub: context.caller.sub,
      client_id: context.caller.clientId,
      ...(detail ? { detail } : {}),
    });
  };
  try {
    const result = await tool.run(context, args.data);
    log("ok");
    return success(context.adaptations.length > 0 ? { ...result, adapted: [...new Set(context.adaptations)] } : result);
  } catch (error) {
    if (error instanceof ToolRefusal) {
      log("refused", error.message);
      return failure(error.message);
    }
    if (error instanceof OdooError) {
      log(`odoo_${error.kind}`, error.message);
      return failure(`${ODOO_HINTS[error.kind]}: ${error.message}`);
    }
    context.logger.error({ event: "mcp_tool_failed", tool: tool.name, err: error });
    log("error");
    return failure(`${tool.name} failed unexpectedly; the error was logged on the server.`);
  }
}

/** Parses with the SDK's schema and throws its ZodError as the SDK's Protocol does (answered as -32603). */
function parse<T>(schema: z.ZodType<T>, request: JSONRPCRequest): T {
  const parsed = schema.safeParse(request);
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}

type Handler = (
  request: JSONRPCRequest,
  context: ToolContext,
  toolCalls?: ToolCallMetric,
) => Promise<Record<string, unknown>>;

/** The methods both eras answer alike. */
const COMMON_HANDLERS: [string, Handler][] = [
  [
    "tools/list",
    async (request, context) => {
      parse(ListToolsRequestSchema, request);
      return listTools(listedScopes(context.caller), context.accountUrl, rendersViews(request, context));
    },
  ],
  [
    "tools/call",
    async (request, context, toolCalls) =>
      callTool(
        { ...context, rendersViews: rendersViews(request, context) === true },
        parse(CallToolRequestSchema, request).params,
        toolCalls,
      ),
  ],
  [
    "resources/list",
    async (request, context) => {
      parse(ListResourcesRequestSchema, request);
      const views = rendersViews(request, context) ? UI_RESOURCES : [];
      return { resources: [...(await listResources(context)), ...views] };
    },
  ],
  [
    "resources/templates/list",
    async (request) => {
      parse(ListResourceTemplatesRequestSchema, request);
      return { resourceTemplates: RESOURCE_TEMPLATES };
    },
  ],
  [
    "resources/read",
    async (request, context) => {
      const { uri } = parse(ReadResourceRequestSchema, request).params;
      if (!isUiUri(uri)) return readResource(context, uri);
      const view = await readUiResource(uri);
      if (!view)
        throw new ResourceNotFound(
          uri,
          `"${uri}" is not one of this server's views (${UI_RESOURCES.map((each) => each.uri).join(", ")}).`,
        );
      return view;
    },
  ],
  [
    "prompts/list",
    async (request) => {
      parse(ListPromptsRequestSchema, request);
      return { prompts: PROMPTS };
    },
  ],
  [
    "prompts/get",
    async (request) => {
      const { name, arguments: args } = parse(GetPromptRequestSchema, request).params;
      return getPrompt(name, args ?? {});
    },
  ],
  [
    "completion/complete",
    async (request, context) => {
      const { ref, argument, context: given } = parse(CompleteRequestSchema, request).params;
      return { completion: await complete(context, ref as CompletionRef, argument, given?.arguments) };
    },
  ],
];

/** Per era, the methods the SDK Server would have handlers for: its own (initialize, ping; discover) and ours. */
const HANDLERS: Record<Era, ReadonlyMap<string, Handler>> = {
  legacy: new Map<string, Handler>([
    ["initialize", async (request) => initializeResult(parse(InitializeRequestSchema, request).params.protocolVersion)],
    [
      "ping",
      async (request) => {
        parse(PingRequestSchema, request);
        return {};
      },
    ],
    ...COMMON_HANDLERS,
  ]),
  // No handshake and no ping in 2026-07-28; server/discover tells what initialize told.
  modern: new Map<string, Handler>([["server/discover", async () => discoverResult()], ...COMMON_HANDLERS]),
};

/** Whether the era has the method: 2026-07-28 answers one it lacks with HTTP 404. */
export const answers = (era: Era, method: string) => HANDLERS[era].has(method);

/**
 * What the catalogue handlers throw, as the JSON-RPC errors the spec names: an unknown resource is
 * -32002 before 2026-07-28 and -32602 from it (with its uri either way); an unknown prompt or bad prompt
 * arguments are invalid params; Odoo's refusals keep their explanation.
 */
function asMcpError(error: unknown, era: Era): unknown {
  if (error instanceof ResourceNotFound)
    return new McpError(era === "modern" ? ErrorCode.InvalidParams : -32002, error.message, { uri: error.uri });
  if (error instanceof UnknownPrompt || error instanceof InvalidPromptArguments)
    return new McpError(ErrorCode.InvalidParams, error.message);
  if (error instanceof OdooError)
    return new McpError(ErrorCode.InternalError, `${ODOO_HINTS[error.kind]}: ${error.message}`);
  return error;
}

const errorResponse = (id: RequestId, code: number, message: string, data?: unknown): JSONRPCMessage => ({
  jsonrpc: "2.0",
  id,
  error: { code, message, ...(data !== undefined && { data }) },
});

/**
 * The response to one request, as the SDK's Protocol builds it (key order included): the handler's result,
 * or its error (`code` when it has an integer one, else -32603, and its message), or -32601 without one.
 * A task-augmented request is refused as the SDK does when no task capability is declared.
 */
export async function answerRequest(
  request: JSONRPCRequest,
  context: ToolContext,
  era: Era,
  toolCalls?: ToolCallMetric,
): Promise<JSONRPCMessage> {
  const handler = HANDLERS[era].get(request.method);
  if (!handler) return errorResponse(request.id, ErrorCode.MethodNotFound, "Method not found");
  try {
    if (request.params?.task !== undefined && isTaskAugmentedRequestParams(request.params))
      throw new Error(`Server does not support task creation (required for ${request.method})`);
    const result = await handler(request, context, toolCalls);
    return {
      result: era === "modern" ? modernResult(request.method, result) : result,
      jsonrpc: "2.0",
      id: request.id,
    } as JSONRPCMessage;
  } catch (thrown) {
    const error = asMcpError(thrown, era);
    const { code, message, data } = error as { code?: unknown; message?: string; data?: unknown };
    return errorResponse(
      request.id,
      Number.isSafeInteger(code) ? (code as number) : ErrorCode.InternalError,
      message ?? "Internal error",
      data,
    );
  }
}

/**
 * A lone tools/list request answered from bytes: the `{"result":{"tools":[...]},"jsonrpc":"2.0","id":`
 * part is serialised once per era, listed scope set (`listedScopes`) and what the client said of MCP Apps
 * (the tools a caller sees depend on nothing else; the account page is the process's), and the id
 * follows it: two chunks to write one after the other, the shared head never copied. Together, byte for
 * byte what JSON.stringify makes of answerRequest's response. Undefined when the request is not one the
 * cache can answer (invalid params, a task): the normal path answers those.
 */
export class ToolsListCache {
  private readonly heads = new Map<string, Buffer>();

  constructor(private readonly accountUrl: string) {}

  answer(request: JSONRPCRequest, scopes: ReadonlySet<string>, era: Era): [Buffer, Buffer] | undefined {
    if (request.method !== "tools/list") return undefined;
    if (request.params !== undefined) {
      if (request.params.task !== undefined || !ListToolsRequestSchema.safeParse(request).success) return undefined;
    }
    return [this.head(scopes, era, uiDeclared(request)), Buffer.from(`${JSON.stringify(request.id)}}`)];
  }

  private head(scopes: ReadonlySet<string>, era: Era, ui: boolean | undefined): Buffer {
    let key = `${era} ui:${ui}`;
    for (const scope of TOOL_SCOPES) if (scopes.has(scope)) key += ` ${scope}`;
    let head = this.heads.get(key);
    if (!head) {
      const tools = listTools(scopes, this.accountUrl, ui);
      const result = JSON.stringify(era === "modern" ? modernResult("tools/list", tools) : tools);
      head = Buffer.from(`{"result":${result},"jsonrpc":"2.0","id":`);
      this.heads.set(key, head);
    }
    return head;
  }
}
