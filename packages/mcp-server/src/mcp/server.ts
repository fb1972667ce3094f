/**
 * An MCP server for one request (stateless Streamable HTTP): the low-level SDK Server with the tools the
 * caller's scopes allow. Tool descriptors are built once at start-up; a request only wires handlers.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { OdooError } from "@odoo-mcp/odoo-client";
import type { Histogram } from "prom-client";
import { z } from "zod";
import { ALL_TOOLS, describeTool, type ToolContext, type ToolDefinition, ToolRefusal } from "../tools/index.js";

export const SERVER_INFO = { name: "odoo-mcp", title: "Odoo", version: "0.1.0" };

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

export function findTool(name: string): ToolDefinition | undefined {
  return TOOLS.get(name)?.tool;
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

/** One schema validator for every per-request server: building Ajv costs more than answering a request. */
const jsonSchemaValidator = new AjvJsonSchemaValidator();

/** Where tool calls are counted and timed (the metrics page). */
export type ToolCallMetric = Histogram<"tool" | "outcome">;

export function createMcpServer(context: ToolContext, toolCalls?: ToolCallMetric): Server {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: { listChanged: false } },
    instructions: INSTRUCTIONS,
    jsonSchemaValidator,
  });
  const allowed = (tool: ToolDefinition) => context.caller.scopes.has(tool.scope);

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [...TOOLS.values()].filter(({ tool }) => allowed(tool)).map(({ descriptor }) => descriptor),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const entry = TOOLS.get(request.params.name);
    if (!entry || !allowed(entry.tool))
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const { tool } = entry;
    const args = tool.input.safeParse(request.params.arguments ?? {});
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
      return success(
        context.adaptations.length > 0 ? { ...result, adapted: [...new Set(context.adaptations)] } : result,
      );
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
  });
  return server;
}
