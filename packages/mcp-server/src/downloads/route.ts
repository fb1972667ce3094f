/**
 * `GET /downloads/<token>`: serves the one Odoo object a signed link names, fetched from Odoo with the
 * rights of the person the link was made for. A browser opens it without a bearer token, so the link
 * alone works until it expires; a request that does carry a bearer token must be that same person and
 * application, or it is refused (403). Files are always sent as attachments, never rendered in place.
 * A report is piped from Odoo to the reader as it arrives, never held whole, within the size cap and a
 * deadline; the link's owner may have only so many downloads (and renders) running (caller-limits.ts).
 */
import { pipeline } from "node:stream";
import type { OdooClient } from "@odoo-mcp/odoo-client";
import { OdooError } from "@odoo-mcp/odoo-client";
import type { Logger } from "@odoo-mcp/shared";
import type { Middleware } from "koa";
import { type CallerLimits, isTooMany, limitKey } from "../caller-limits.js";
import type { Caller } from "../tools/index.js";
import { ToolRefusal } from "../tools/types.js";
import { servedFile } from "./files.js";
import type { DownloadLinks, LinkOwner } from "./links.js";

export interface DownloadRouteOptions {
  links: DownloadLinks;
  /** Checks a bearer token when the request carries one (the MCP endpoint's middleware). */
  bearer: Middleware;
  /** The Odoo client acting for the link's owner, or undefined when it is no longer at hand. */
  odooFor(owner: LinkOwner, caller: Caller | undefined): Promise<OdooClient | undefined>;
  maxBytes: number;
  /** The link owners' download and render limits; none when absent (stand-ins in tests). */
  limits?: CallerLimits;
  /** How long serving one file may take, Odoo's sending and the reader's reading together. */
  deadlineMs: number;
  logger: Logger;
}

/**
 * Content-Disposition for a file name an Odoo user chose (RFC 6266): an ASCII fallback inside quotes
 * (no quote, backslash, control or non-ASCII character) and the UTF-8 name as RFC 5987's `filename*`,
 * every byte outside attr-char percent-encoded (encodeURIComponent leaves `'()*!` and throws on a lone
 * surrogate, which Buffer turns into U+FFFD).
 */
const disposition = (name: string) => {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = [...Buffer.from(name, "utf8")]
    .map((byte) =>
      /[A-Za-z0-9!#$&+.^_`|~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
};

/** The attachment's mimetype when it is a plain `type/subtype`; anything else is served as bytes. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
const servedType = (mimetype: string) => (MEDIA_TYPE.test(mimetype) ? mimetype : "application/octet-stream");

/**
 * Links that do not open. A revoked one is 403, not 410: the file is still there, but the permission the
 * link carried was withdrawn with the app's access (RFC 9110 §15.5.4); asking again only works once the
 * person connects the app again, whereas an expired link (410) is simply replaced by a new one.
 */
const REFUSED_LINKS = {
  expired: [410, "This download link has expired; ask for the file again to get a new link."],
  invalid: [404, "This is not a valid download link."],
  revoked: [
    403,
    "The access of the application this download link was made for has been revoked; connect it again and ask for the file again.",
  ],
} as const;

export function downloadRoute(options: DownloadRouteOptions): Middleware {
  const { links, bearer, logger } = options;
  const refuse = (ctx: Parameters<Middleware>[0], status: number, message: string) => {
    ctx.status = status;
    ctx.set("Cache-Control", "no-store");
    ctx.body = { error: message };
  };
  return async (ctx, next) => {
    const opened = links.open(String(ctx.params?.token ?? ""));
    if ("problem" in opened) {
      const [status, message] = REFUSED_LINKS[opened.problem];
      return refuse(ctx, status, message);
    }
    if (ctx.get("authorization")) await bearer(ctx, async () => {});
    const caller = ctx.state.caller as Caller | undefined;
    if (caller && (caller.sub !== opened.owner.sub || caller.clientId !== opened.owner.clientId)) {
      logger.warn({ event: "download_refused", reason: "other_caller", client_id: caller.clientId });
      return refuse(ctx, 403, "This download link was made for someone else; ask for the file yourself.");
    }
    // Before any Odoo call (user mode may sign in for it).
    const slot = options.limits?.take(
      limitKey(opened.owner),
      opened.target.kind === "report" ? ["downloads", "renders"] : ["downloads"],
    );
    if (slot && isTooMany(slot)) {
      ctx.set("Retry-After", String(slot.retryAfterSeconds));
      return refuse(ctx, 429, slot.message);
    }
    // Held until the response is over, which for a stream is after this middleware returns.
    const stop = new AbortController();
    const deadline = setTimeout(() => stop.abort(), options.deadlineMs);
    ctx.res.once("close", () => {
      clearTimeout(deadline);
      slot?.release();
    });
    const odoo = await options.odooFor(opened.owner, caller);
    if (!odoo) return refuse(ctx, 410, "This download link can no longer be served; ask for the file again.");
    try {
      const file = await servedFile(odoo, opened.target, options.maxBytes, stop.signal);
      ctx.set("Cache-Control", "no-store");
      ctx.set("X-Content-Type-Options", "nosniff");
      ctx.set("Content-Security-Policy", "sandbox");
      ctx.set("Content-Disposition", disposition(file.name));
      ctx.type = servedType(file.mimetype);
      if (Buffer.isBuffer(file.body)) ctx.body = file.body;
      else {
        ctx.status = 200;
        if (file.length !== undefined) ctx.length = file.length;
        // Piped here rather than by Koa: a transfer cut short (the size cap, the deadline, Odoo or the
        // reader gone) is a warning, and the reader sees the response end unfinished, never a short file.
        ctx.respond = false;
        pipeline(file.body, ctx.res, (error) => {
          if (error)
            logger.warn({ event: "download_stopped", client_id: opened.owner.clientId, detail: error.message });
        });
      }
    } catch (error) {
      if (error instanceof ToolRefusal) return refuse(ctx, 413, error.message);
      if (!(error instanceof OdooError)) throw error;
      const status = { access: 403, missing: 404, credentials: 401, invalid: 422, unavailable: 502, paused: 503 }[
        error.kind
      ];
      return refuse(ctx, status, error.message);
    }
    await next();
  };
}
