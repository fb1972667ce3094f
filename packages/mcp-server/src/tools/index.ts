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
 * A tool as tools/list shows it, built once: JSON Schema of the input, explicit annotations, and the
 * scope it needs as `securitySchemes` (also in `_meta`, where ChatGPT reads it).
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
    _meta: { securitySchemes },
  };
}

export type ToolDescriptor = ReturnType<typeof describeTool>;
export type { Caller, ToolContext, ToolDefinition } from "./types.js";
export { EXTRA_CONTENT, type FileServices, ToolRefusal } from "./types.js";
