/** Download links and their route, wired from the configuration (app.ts registers them). */
import type { OdooClient } from "@odoo-mcp/odoo-client";
import type { Logger } from "@odoo-mcp/shared";
import type { Middleware } from "koa";
import type { CallerLimits } from "../caller-limits.js";
import type { McpConfig } from "../config.js";
import type { UserOdooClients } from "../odoo/user-clients.js";
import type { FileServices } from "../tools/index.js";
import { createMailBudget } from "../tools/mail-budget.js";
import { createUrlFetcher } from "./fetch-url.js";
import { DownloadLinks } from "./links.js";
import type { LinkRevocations } from "./revocations.js";
import { downloadRoute } from "./route.js";

export const DOWNLOADS_PATH = "/downloads";

export function createFileServices(config: McpConfig, logger: Logger, revocations: LinkRevocations): FileServices {
  if (!config.MCP_DOWNLOAD_SECRET)
    logger.warn(
      { event: "download_secret_generated" },
      "MCP_DOWNLOAD_SECRET is unset: download links work only on this process; set the same value on every replica",
    );
  const origin = new URL(config.MCP_RESOURCE_URL).origin;
  return {
    links: new DownloadLinks(
      config.MCP_DOWNLOAD_SECRET,
      config.MCP_DOWNLOAD_TTL,
      `${origin}${DOWNLOADS_PATH}`,
      revocations,
    ),
    maxBytes: config.MCP_FILE_MAX_BYTES,
    mailRecipients: config.ODOO_MAIL_RECIPIENTS,
    mailBudget: createMailBudget(config.ODOO_MAIL_HOURLY_LIMIT),
    fetchUrl: createUrlFetcher({
      maxBytes: config.MCP_FILE_MAX_BYTES,
      timeoutMs: config.ODOO_TIMEOUT * 1000,
      privateHosts: config.MCP_FETCH_PRIVATE_HOSTS,
    }),
  };
}

/**
 * The route, fetching as the link's owner: the service account in service mode; in user mode the
 * person's own client — from the bearer token when one is presented, else the one kept for them.
 */
export function downloads(options: {
  files: FileServices;
  bearer: Middleware;
  odoo: OdooClient;
  userClients: UserOdooClients | undefined;
  limits: CallerLimits;
  deadlineMs: number;
  logger: Logger;
}): Middleware {
  const { userClients, odoo } = options;
  return downloadRoute({
    links: options.files.links,
    bearer: options.bearer,
    maxBytes: options.files.maxBytes,
    limits: options.limits,
    deadlineMs: options.deadlineMs,
    logger: options.logger,
    odooFor: async (owner, caller) => {
      if (!userClients) return odoo;
      if (caller) return (await userClients.forCaller(caller)).odoo;
      return owner.sub ? userClients.kept(owner.sub)?.odoo : undefined;
    },
  });
}
