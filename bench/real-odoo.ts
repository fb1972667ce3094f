/**
 * `pnpm bench`, real-Odoo scenario: the whole stack (auth server, MCP server over JSON-2, OAuth token)
 * in front of a real Odoo 19.0 (`pnpm real-odoo 19.0`'s kit), against the same call made straight to
 * Odoo's JSON-2 with a node:http keep-alive client, interleaved one after the other in this same run.
 * Also counts the HTTP requests Odoo logs for each read tool once warm (its werkzeug request lines).
 * Skipped, saying why, where real Odoo cannot run (no source tarballs, missing Debian packages).
 */
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSystem } from "@odoo-mcp/launcher";
import { createLogger } from "@odoo-mcp/shared";
import { chatgptClient, codeFlow, exchange } from "@odoo-mcp/testkit/oauth";
import { type RealOdoo, startRealOdoo } from "@odoo-mcp/testkit/real-odoo";
import { UNLIMITED_CALLER } from "./load-env.js";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/** Calls of each kind, interleaved: a few hundred for a measurement, a few dozen for the smoke run. */
const ROUNDS = DURATION >= 5 ? 400 : 40;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: "POST", agent, headers: { "content-type": "application/json", ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function timed(call: () => Promise<{ status: number; text: string }>): Promise<number> {
  const started = process.hrtime.bigint();
  const { status, text } = await call();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (status !== 200 || text.includes('"isError":true'))
    throw new Error(`call failed (${status}): ${text.slice(0, 300)}`);
  return elapsed;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};

/** Odoo's request lines (werkzeug) written to its log since `offset`. */
function requestsLogged(odoo: RealOdoo, offset: number): string[] {
  const text = readFileSync(odoo.logFile, "utf8").slice(offset);
  return text.split("\n").filter((line) => / werkzeug: .*"(GET|POST) \//.test(line));
}

async function main() {
  let odoo: RealOdoo;
  try {
    odoo = await startRealOdoo("19.0");
  } catch (error) {
    process.stdout.write(`\nReal Odoo scenario skipped: ${(error as Error).message}\n`);
    return;
  }
  const admin = odoo.users.find((user) => user.login === "admin");
  if (!admin) throw new Error("the real Odoo has no admin");
  const system = await startSystem(
    {
      AUTH_PORT: "0",
      MCP_PORT: "0",
      AUTH_SQLITE_PATH: join(mkdtempSync(join(tmpdir(), "odoo-mcp-bench-")), "auth.sqlite"),
      ADMIN_TOKEN: "bench-admin-token-0123456789abcdef",
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_USERNAME: admin.login,
      ODOO_PASSWORD: admin.apiKey,
      ODOO_PROTOCOL: "json2",
      // One service account (the administrator's API key) for every call, as the JSON-2 route measured.
      ODOO_AUTH_MODE: "service",
      ODOO_SERVICE_WRITES: "true",
      ...UNLIMITED_CALLER,
      LOG_LEVEL: "warn",
    },
    createLogger({ name: "bench", level: "warn" }),
  );
  try {
    const config = await chatgptClient(system.issuer, system.chatgpt.clientSecret as string);
    const tokens = await exchange(config, await codeFlow(config, { resource: null }));
    const bearer = { authorization: `Bearer ${tokens.access_token}`, accept: "application/json" };
    const tool = (name: string, args: Record<string, unknown>) =>
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } });
    const domain = [["customer_rank", ">", 0]];
    const viaMcp = () =>
      post(
        system.mcpUrl,
        bearer,
        tool("odoo_search_read_records", { model: "res.partner", domain, fields: ["name", "email"], limit: 5 }),
      );
    const direct = () =>
      post(
        `${odoo.url}/json/2/res.partner/search_read`,
        { authorization: `bearer ${admin.apiKey}`, "x-odoo-database": odoo.db },
        JSON.stringify({ domain, fields: ["name", "email"], limit: 5 }),
      );

    // Warm: the token introspected and cached, the field list fetched, Odoo's registry and caches hot.
    for (let round = 0; round < 20; round++) {
      await timed(viaMcp);
      await timed(direct);
    }
    const stack: number[] = [];
    const straight: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating which goes first, so neither always finds the other's work on the CPU.
      if (round % 2) {
        stack.push(await timed(viaMcp));
        straight.push(await timed(direct));
      } else {
        straight.push(await timed(direct));
        stack.push(await timed(viaMcp));
      }
    }

    // Odoo's requests per read tool call, once warm (each tool called once before).
    const [order] = JSON.parse(
      (
        await post(
          `${odoo.url}/json/2/sale.order/search`,
          { authorization: `bearer ${admin.apiKey}`, "x-odoo-database": odoo.db },
          JSON.stringify({ domain: [], limit: 1 }),
        )
      ).text,
    ) as number[];
    const reads: [string, Record<string, unknown>][] = [
      ["odoo_search_read_records", { model: "res.partner", domain, fields: ["name"], limit: 5 }],
      ["odoo_search_records", { model: "res.partner", domain, limit: 5 }],
      ["odoo_count_records", { model: "res.partner", domain }],
      ["odoo_read_records", { model: "sale.order", ids: [order], fields: ["name", "partner_id"] }],
      ["odoo_aggregate_records", { model: "stock.quant", groupby: ["location_id"], aggregates: ["quantity:sum"] }],
      ["odoo_name_search", { model: "product.product", name: "Laptop" }],
      ["odoo_get_model_fields", { model: "sale.order", fields: ["name", "amount_total"] }],
      ["odoo_list_models", {}],
      ["fetch", { id: `sale.order:${order}` }],
      ["search", { query: "Laptop" }],
    ];
    const perTool: [string, number][] = [];
    for (const [name, args] of reads) {
      await timed(() => post(system.mcpUrl, bearer, tool(name, args)));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const offset = statSync(odoo.logFile).size;
      await timed(() => post(system.mcpUrl, bearer, tool(name, args)));
      await new Promise((resolve) => setTimeout(resolve, 300));
      perTool.push([name, requestsLogged(odoo, offset).length]);
    }

    const ratio = quantile(stack, 0.5) / quantile(straight, 0.5);
    const lines = [
      "",
      `| real Odoo ${odoo.version}, JSON-2 (${ROUNDS} calls each, interleaved) | p50 ms | p90 ms |`,
      "|---|---:|---:|",
      `| odoo_search_read_records through the whole stack | ${quantile(stack, 0.5).toFixed(2)} | ${quantile(stack, 0.9).toFixed(2)} |`,
      `| the same search_read straight to Odoo (node:http) | ${quantile(straight, 0.5).toFixed(2)} | ${quantile(straight, 0.9).toFixed(2)} |`,
      "",
      "| real Odoo goal | measured | |",
      "|---|---|---|",
      `| whole stack ÷ straight to Odoo, p50 latency | ${ratio.toFixed(2)} | ${ratio <= 1.1 ? "met" : "missed"} (≤ 1.10) |`,
      ...perTool.map(
        ([name, count]) =>
          `| Odoo requests per ${name} call (warm) | ${count} | ${count <= 1 ? "met" : name === "search" ? "one per model searched (MCP_SEARCH_MODELS)" : "missed"} (≤ 1) |`,
      ),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await system.close();
    await odoo.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`real-Odoo bench failed: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
