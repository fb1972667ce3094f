/**
 * DNS rebinding protection for the MCP endpoint (MCP transports: servers MUST validate `Origin` and answer
 * 403 when it is present and not allowed). A page from another site that got its name resolved to this
 * server's address still sends its own Origin, so it is refused. Allowed: this server's own origin, loopback
 * origins (local tools such as the MCP Inspector's page), and the operator's MCP_ALLOWED_ORIGINS. Requests
 * without an Origin (ChatGPT's and Claude's back ends, mcp-remote, the SDK clients) are not browsers' and pass.
 */
import type { Context, Middleware } from "koa";

const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(ownOrigin: string, configured: readonly string[]) {
    this.allowed = new Set([ownOrigin, ...configured]);
  }

  allows(origin: string): boolean {
    if (this.allowed.has(origin)) return true;
    if (!URL.canParse(origin)) return false; // including "null" (sandboxed frames, file: pages)
    const { protocol, hostname } = new URL(origin);
    return (protocol === "http:" || protocol === "https:") && LOOPBACK_HOST.test(hostname);
  }

  /** For CORS: the origin to allow, or "" (no CORS headers) for one this policy refuses. */
  corsOrigin(ctx: Context): string {
    const origin = ctx.get("origin");
    return origin && this.allows(origin) ? origin : "";
  }
}

/** 403 with a JSON-RPC error without id for a request whose Origin the policy refuses. */
export function originGuard(policy: OriginPolicy): Middleware {
  return async (ctx, next) => {
    const origin = ctx.get("origin");
    if (!origin || policy.allows(origin)) return next();
    ctx.status = 403;
    ctx.body = {
      jsonrpc: "2.0",
      error: {
        code: -32000,
        message: `Forbidden: pages from ${origin} may not call this MCP server (allowed: its own origin, loopback, MCP_ALLOWED_ORIGINS).`,
      },
      id: null,
    };
  };
}
