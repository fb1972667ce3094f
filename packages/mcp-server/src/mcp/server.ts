/**
 * The MCP server, one for the process (stateless Streamable HTTP): a dispatcher that answers initialize,
 * ping, tools/list and tools/call as the SDK's low-level `Server` does (its request schemas validate
 * every request, and errors carry the same codes and messages), without building a `Server` per request.
 * Tool descriptors are built once at start-up, and each scope set's tools/list answer is serialised once.
 */
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  InitializeRequestSchema,
  type InitializeResult,
  isTaskAugmentedRequestParams,
  type JSONRPCMessage,
  type JSONRPCRequest,
  LATEST_PROTOCOL_VERSION,
  ListToolsRequestSchema,
  type ListToolsResult,
  McpError,
  PingRequestSchema,
  type RequestId,
  SUPPORTED_PROTOCOL_VERSIONS,
} from "@modelcontextprotocol/sdk/types.js";
import { OdooError } from "@odoo-mcp/odoo-client";
import type { Histogram } from "prom-client";
import { z } from "zod";
import { ALL_TOOLS, describeTool, type ToolContext, type ToolDefinition, ToolRefusal } from "../tools/index.js";

export const SERVER_INFO = { name: "odoo-mcp", title: "Odoo", version: "0.1.0" };
const CAPABILITIES = { tools: { listChanged: false } };

const INSTRUCTIONS =
  "Work on the company's Odoo ERP. Find records with odoo_search_read_records (Odoo domains, e.g. " +
  '[["customer_rank", ">", 0]] for customers), count with odoo_count_records, look up ids by name with ' +
  "odoo_name_search, inspect fields with odoo_get_model_fields before building domains or values, and " +
  "total and group with odoo_aggregate_records (e.g. stock by location, sales by month), change data with " +
  "odoo_create_record / odoo_update_record / odoo_delete_record and press workflow buttons (confirm, validate, " +
  "cancel) with odoo_call_method when the token allows it. Multi-company users pick companies with context.allowed_company_ids. " +
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
    protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requestedVersion)
      ? requestedVersion
      : LATEST_PROTOCOL_VERSION,
    capabilities: CAPABILITIES,
    serverInfo: SERVER_INFO,
    instructions: INSTRUCTIONS,
  };
}

/** The tools these scopes allow, as tools/list answers them. */
export function listTools(scopes: ReadonlySet<string>): ListToolsResult {
  return {
    tools: [...TOOLS.values()].filter(({ tool }) => scopes.has(tool.scope)).map(({ descriptor }) => descriptor),
  };
}

const json = (value: unknown) => JSON.stringify(value, null, 1);

function success(result: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: json(result) }], structuredContent: result };
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

type Handler = (request: JSONRPCRequest, context: ToolContext, toolCalls?: ToolCallMetric) => Promise<unknown>;

/** The methods the SDK Server would have handlers for: its own (initialize, ping) and ours (tools). */
const HANDLERS = new Map<string, Handler>([
  ["initialize", async (request) => initializeResult(parse(InitializeRequestSchema, request).params.protocolVersion)],
  [
    "ping",
    async (request) => {
      parse(PingRequestSchema, request);
      return {};
    },
  ],
  [
    "tools/list",
    async (request, context) => {
      parse(ListToolsRequestSchema, request);
      return listTools(context.caller.scopes);
    },
  ],
  [
    "tools/call",
    async (request, context, toolCalls) => callTool(context, parse(CallToolRequestSchema, request).params, toolCalls),
  ],
]);

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
  toolCalls?: ToolCallMetric,
): Promise<JSONRPCMessage> {
  const handler = HANDLERS.get(request.method);
  if (!handler) return errorResponse(request.id, ErrorCode.MethodNotFound, "Method not found");
  try {
    if (request.params?.task !== undefined && isTaskAugmentedRequestParams(request.params))
      throw new Error(`Server does not support task creation (required for ${request.method})`);
    const result = await handler(request, context, toolCalls);
    return { result, jsonrpc: "2.0", id: request.id } as JSONRPCMessage;
  } catch (error) {
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
 * part is serialised once per scope set (the tools a caller sees depend on nothing else), and the id
 * follows it: two chunks to write one after the other, the shared head never copied. Together, byte for
 * byte what JSON.stringify makes of answerRequest's response. Undefined when the request is not one the
 * cache can answer (invalid params, a task): the normal path answers those.
 */
export class ToolsListCache {
  private readonly heads = new Map<string, Buffer>();

  answer(request: JSONRPCRequest, scopes: ReadonlySet<string>): [Buffer, Buffer] | undefined {
    if (request.method !== "tools/list") return undefined;
    if (request.params !== undefined) {
      if (request.params.task !== undefined || !ListToolsRequestSchema.safeParse(request).success) return undefined;
    }
    return [this.head(scopes), Buffer.from(`${JSON.stringify(request.id)}}`)];
  }

  private head(scopes: ReadonlySet<string>): Buffer {
    let key = "";
    for (const scope of TOOL_SCOPES) if (scopes.has(scope)) key += `${scope} `;
    let head = this.heads.get(key);
    if (!head) {
      const result = JSON.stringify(listTools(scopes));
      head = Buffer.from(`{"result":${result},"jsonrpc":"2.0","id":`);
      this.heads.set(key, head);
    }
    return head;
  }
}
