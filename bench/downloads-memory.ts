/**
 * Memory of report downloads: the whole stack in this one process (simulator, auth server, MCP server),
 * DOWNLOADS report links of DOWNLOAD_MB each opened at once by one person (their download and render
 * limits raised for the measure), Odoo's report route sending the PDF as fast as it is read (one reused
 * chunk, so Odoo's side holds nothing) and the readers dropping what they get. Prints the resident memory
 * before and at its peak (sampled every 5 ms). Run: `cd bench && node --expose-gc --import tsx downloads-memory.ts`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { startStack } from "@odoo-mcp/testkit/stack";

const DOWNLOADS = Number(process.env.DOWNLOADS ?? 8);
const SIZE = Number(process.env.DOWNLOAD_MB ?? 10) * 1024 * 1024;

const stack = await startStack({
  mcpEnv: {
    MCP_DOWNLOADS_CONCURRENT: String(DOWNLOADS),
    MCP_RENDERS_CONCURRENT: String(DOWNLOADS),
    MCP_DOWNLOADS_PER_MINUTE: "1000",
    ODOO_TIMEOUT: "60s",
  },
});
const token = await stack.token();
const [simulator] = stack.sim.server.listeners("request") as RequestListener[];
let large = false;
stack.sim.server.removeAllListeners("request");
stack.sim.server.on("request", (request: IncomingMessage, response: ServerResponse) => {
  if (!large || !request.url?.startsWith("/report/pdf/")) return simulator?.(request, response);
  response.writeHead(200, { "content-type": "application/pdf", "content-length": String(SIZE) });
  const chunk = Buffer.alloc(64 * 1024, "x");
  let sent = 0;
  const more = () => {
    while (sent < SIZE) {
      const piece = chunk.subarray(0, Math.min(chunk.length, SIZE - sent));
      sent += piece.length;
      if (!response.write(piece)) return void response.once("drain", more);
    }
    response.end();
  };
  more();
});

const made = await fetch(stack.mcpUrl, {
  method: "POST",
  headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
  body: JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "tools/call",
    params: { name: "odoo_get_report", arguments: { model: "sale.order", ids: [1] } },
  }),
});
const link = ((await made.json()) as { result: { structuredContent: { download_url: string } } }).result
  .structuredContent.download_url;
large = true;
for (let i = 0; i < 3; i++) {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const before = process.memoryUsage.rss();
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 5);
const answers = await Promise.all(
  Array.from({ length: DOWNLOADS }, async () => {
    const response = await fetch(link);
    let size = 0;
    for await (const piece of response.body as unknown as AsyncIterable<Uint8Array>) size += piece.length;
    return `${response.status}, ${size} bytes`;
  }),
);
clearInterval(sampler);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
console.log(
  JSON.stringify({
    downloads: DOWNLOADS,
    each_mb: SIZE / 1024 / 1024,
    answers: [...new Set(answers)],
    rss_before_mb: mb(before),
    rss_peak_mb: mb(peak),
    growth_mb: mb(peak - before),
  }),
);
await stack.close();
process.exit(0);
