/** Reading MCP answers in tests, and one tools/call as curl would send it. */

/** The structured result of a tool call that succeeded. */
export function structured(result: unknown): Record<string, unknown> {
  const { isError, structuredContent, content } = result as {
    isError?: boolean;
    structuredContent?: Record<string, unknown>;
    content: { text: string }[];
  };
  if (isError) throw new Error(`tool failed: ${content.map((item) => item.text).join("\n")}`);
  return structuredContent as Record<string, unknown>;
}

/** The message of a tool call that failed with isError. */
export function toolError(result: unknown): string {
  const { isError, content } = result as { isError?: boolean; content: { text: string }[] };
  if (!isError) throw new Error(`expected a tool error, got ${JSON.stringify(result)}`);
  return content.map((item) => item.text).join("\n");
}

/** One MCP request over plain HTTP with a bearer token, as curl would send it. */
export function mcpRequest(mcpUrl: string, token: string, method: string, params: Record<string, unknown> = {}) {
  return fetch(mcpUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
}

/** One MCP tools/call over plain HTTP with a bearer token, as curl would send it. */
export const callTool = (mcpUrl: string, token: string, name: string, args: Record<string, unknown>) =>
  mcpRequest(mcpUrl, token, "tools/call", { name, arguments: args });
