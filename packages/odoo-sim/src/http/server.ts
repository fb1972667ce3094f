/**
 * The simulator's HTTP face, routed as Odoo routes: `/xmlrpc/2/*` (unless turned off), `/json/2/*`
 * (19.0 on), the web client's session and version routes, and its report route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@odoo-mcp/shared";
import type { Database } from "../orm/database.js";
import type { SimRelease } from "../release.js";
import { sendHtml } from "./io.js";
import { handleJson2 } from "./json2.js";
import { handleReport } from "./reports.js";
import { WebRoutes } from "./web.js";
import { handleXmlRpc } from "./xmlrpc.js";
import { RpcDispatcher } from "./xmlrpc-services.js";

export interface SimServerOptions {
  databases: ReadonlyMap<string, Database>;
  logger: Logger;
  release: SimRelease;
  /** Odoo's `--proxy-mode` (default off, as Odoo's). */
  proxyMode?: boolean | undefined;
  /** Odoo's `base.login_cooldown_after` and `…_duration` (default 10 failures, 60 s; `after` 0: off). */
  loginCooldown?: { after: number; durationSeconds: number } | undefined;
}

export function createSimServer({ databases, logger, release, proxyMode, loginCooldown }: SimServerOptions): Server {
  const dispatcher = new RpcDispatcher(databases, release);
  const web = new WebRoutes(databases, release, proxyMode, loginCooldown);
  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://odoo-sim").pathname;
    const xmlrpc = /^\/xmlrpc\/2\/([a-z_]+)$/.exec(path);
    if (xmlrpc && release.xmlrpc) return handleXmlRpc(dispatcher, logger, request, response, xmlrpc[1] as string);
    const json2 = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
    if (json2 && release.json2) {
      return handleJson2(
        databases,
        request,
        response,
        decodeURIComponent(json2[1] as string),
        decodeURIComponent(json2[2] as string),
      );
    }
    if (await web.handle(request, response, path)) return;
    if (await handleReport(web, request, response, path)) return;
    request.resume();
    sendHtml(response, 404, "<h1>404: Not Found</h1>");
  };
  return createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      logger.error({ event: "odoo_sim_internal_error", err: error }, "request failed");
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
}

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
