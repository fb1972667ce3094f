/** One MCP tools/call over plain HTTP with a bearer token, as curl would send it. */
export function callTool(mcpUrl: string, token: string, name: string, args: Record<string, unknown>) {
  return fetch(mcpUrl, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } }),
  });
}
