import { viewUri } from "@odoo-mcp/views";
import { z } from "zod";
import { attachmentTools } from "./attachments.js";
import { chatgptTools } from "./chatgpt.js";
import { mailTools } from "./mail.js";
import { readTools } from "./read.js";
import { reportTools } from "./reports.js";
import type { ToolDefinition } from "./types.js";
import { writeTools } from "./write.js";

export const ALL_TOOLS: readonly ToolDefinition[] = [
  ...readTools,
  ...writeTools,
  ...chatgptTools,
  ...mailTools,
  ...attachmentTools,
  ...reportTools,
];

/**
 * A tool's MCP Apps metadata: its view (`_meta.ui.resourceUri`, and `openai/outputTemplate`, the same URI
 * for ChatGPT builds that read only that), whether views may call it (`openai/widgetAccessible`), and its
 * visibility when views alone call it (with ChatGPT's `openai/visibility: "private"`). Plain `_meta` that
 * clients without the extension ignore.
 */
function uiMeta(tool: ToolDefinition): Record<string, unknown> {
  const appOnly = tool.visibility !== undefined && !tool.visibility.includes("model");
  if (!tool.view && !tool.visibility) return {};
  return {
    ui: {
      ...(tool.view && { resourceUri: viewUri(tool.view) }),
      ...(tool.visibility && { visibility: [...tool.visibility] }),
    },
    ...(tool.view && { "openai/outputTemplate": viewUri(tool.view) }),
    "openai/widgetAccessible": true,
    ...(appOnly && { "openai/visibility": "private" }),
  };
}

/**
 * A tool as tools/list shows it, built once: JSON Schema of the input, explicit annotations, the scope it
 * needs as `securitySchemes` (also in `_meta`, where ChatGPT reads it), and its view (uiMeta).
 */
export function describeTool(tool: ToolDefinition) {
  const securitySchemes = [{ type: "oauth2", scopes: [tool.scope] }];
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as {
      type: "object";
      [key: string]: unknown;
    },
    annotations: { title: tool.title, ...tool.annotations },
    securitySchemes,
    _meta: { securitySchemes, ...uiMeta(tool) },
  };
}

export type ToolDescriptor = ReturnType<typeof describeTool>;
export type { Caller, ToolContext, ToolDefinition } from "./types.js";
export { EXTRA_CONTENT, type FileServices, RESULT_META, ToolRefusal } from "./types.js";
