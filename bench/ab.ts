/**
 * `BENCH_AB=<name> pnpm bench` (or `pnpm bench -- --ab <name>`): a short in-process A/B of one change.
 * The variant and its base alternate in rounds in this one process, so both see the same machine state;
 * the figure is the median CPU µs per request (or call) of each, and variant ÷ base.
 *   adapters    the per-version adapters of packages/odoo-client against the raw calls (adapters.ts)
 *   tools-list  a Koa app on loopback answering tools/list from ToolsListCache's bytes (variant) or with a
 *               fresh JSON.stringify of the same answer object (base); the client's CPU is in both
 */
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import { listTools, ToolsListCache } from "../packages/mcp-server/src/mcp/server.js";
import { ALL_TOOLS } from "../packages/mcp-server/src/tools/index.js";
import { measureAdapters } from "./adapters.js";

export interface AbFigures {
  name: string;
  variant: number;
  base: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** CPU µs per request of `requests` POSTs to `path`, `inFlight` at a time, over one keep-alive agent. */
async function cpuPerRequest(port: number, path: string, body: string, requests: number, inFlight = 8) {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        { port, host: "127.0.0.1", path, method: "POST", agent, headers: { "content-type": "application/json" } },
        (res) => {
          res.on("data", () => undefined);
          res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path}: ${res.statusCode}`))));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const start = process.cpuUsage();
  let left = requests;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (left-- > 0) await once();
    }),
  );
  const used = process.cpuUsage(start);
  agent.destroy();
  return (used.user + used.system) / requests;
}

/** Any account page: the listing names it in the write tools' descriptions. */
const ACCOUNT = "https://auth.example.com/account";

async function toolsListAb(rounds: number, requests: number): Promise<AbFigures[]> {
  const scopes = new Set(ALL_TOOLS.map((tool) => tool.scope));
  const cache = new ToolsListCache(ACCOUNT);
  const app = new Koa();
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
    const message = JSON.parse(Buffer.concat(chunks).toString());
    ctx.type = "application/json";
    if (ctx.path !== "/cached") {
      ctx.body = JSON.stringify({ result: listTools(scopes, ACCOUNT), jsonrpc: "2.0", id: message.id });
      return;
    }
    // As the MCP endpoint writes it: the shared head, then the id.
    const [head, tail] = cache.answer(message, scopes, "legacy") as [Buffer, Buffer];
    ctx.length = head.length + tail.length;
    ctx.respond = false;
    ctx.res.write(head);
    ctx.res.end(tail);
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} });
  await cpuPerRequest(port, "/cached", body, requests / 2); // warm both paths up
  await cpuPerRequest(port, "/fresh", body, requests / 2);
  const variant: number[] = [];
  const base: number[] = [];
  for (let round = 0; round < rounds; round++) {
    variant.push(await cpuPerRequest(port, "/cached", body, requests));
    base.push(await cpuPerRequest(port, "/fresh", body, requests));
  }
  server.close();
  return [
    {
      name: "tools/list on loopback Koa: cached bytes (variant) vs fresh JSON.stringify (base)",
      variant: median(variant),
      base: median(base),
    },
  ];
}

export const AB_NAMES = ["adapters", "tools-list"] as const;

export async function runAb(name: string, rounds: number, requests: number): Promise<AbFigures[]> {
  if (name === "tools-list") return toolsListAb(rounds, requests);
  if (name === "adapters")
    return (await measureAdapters(rounds, requests * 5)).map((row) => ({
      name: `${row.name}: adapted (variant) vs raw (base)`,
      variant: row.adapted,
      base: row.raw,
    }));
  throw new Error(`unknown A/B "${name}": one of ${AB_NAMES.join(", ")}`);
}

export function abTable(name: string, rounds: number, figures: AbFigures[]): string {
  return [
    `| A/B ${name} (${rounds} rounds alternated, median CPU µs per request) | variant µs | base µs | variant ÷ base |`,
    `|---|---:|---:|---:|`,
    ...figures.map(
      (row) =>
        `| ${row.name} | ${row.variant.toFixed(1)} | ${row.base.toFixed(1)} | ${(row.variant / row.base).toFixed(2)} |`,
    ),
  ].join("\n");
}
