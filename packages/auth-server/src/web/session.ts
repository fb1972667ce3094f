/**
 * Sessions for the server's own pages (/account, /admin), apart from oidc-provider's: a signed,
 * HTTP-only, SameSite=Strict cookie limited to the page's path, expiring after 30 minutes, and CSRF
 * tokens bound to it (or, before sign-in, to a one-off form cookie).
 */
import { randomBytes } from "node:crypto";
import type { Context } from "koa";
import { csrfToken, csrfValid } from "./csrf.js";

const SESSION_SECONDS = 30 * 60;

export interface PageSession {
  id: string;
  sub: string;
  exp: number;
}

export function pageSessions(name: string, path: string, secret: string) {
  const sessionCookie = `odoo_mcp_${name}`;
  const formCookie = `odoo_mcp_${name}_form`;
  const options = (ctx: Context, maxAgeSeconds: number) => ({
    signed: true,
    httpOnly: true,
    sameSite: "strict" as const,
    secure: ctx.secure,
    path,
    maxAge: maxAgeSeconds * 1000,
  });
  const csrfFor = (session: PageSession) => csrfToken(secret, `${name}:${session.id}`);

  function read(ctx: Context): PageSession | undefined {
    const raw = ctx.cookies.get(sessionCookie, { signed: true });
    if (!raw) return undefined;
    try {
      const session = JSON.parse(Buffer.from(raw, "base64url").toString()) as PageSession;
      return session.exp > Date.now() / 1000 ? session : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    read,
    csrfFor,
    start(ctx: Context, sub: string): void {
      const session: PageSession = {
        id: randomBytes(16).toString("base64url"),
        sub,
        exp: Math.floor(Date.now() / 1000) + SESSION_SECONDS,
      };
      ctx.cookies.set(
        sessionCookie,
        Buffer.from(JSON.stringify(session)).toString("base64url"),
        options(ctx, SESSION_SECONDS),
      );
      ctx.cookies.set(formCookie, "", options(ctx, 0));
    },
    end(ctx: Context): void {
      ctx.cookies.set(sessionCookie, "", options(ctx, 0));
    },
    /** The CSRF token for a sign-in form, tied to a fresh form cookie set on this response. */
    signInCsrf(ctx: Context): string {
      const nonce = randomBytes(16).toString("base64url");
      ctx.cookies.set(formCookie, nonce, options(ctx, SESSION_SECONDS));
      return csrfToken(secret, `${name}-login:${nonce}`);
    },
    signInCsrfValid(ctx: Context, presented: unknown): boolean {
      const nonce = ctx.cookies.get(formCookie, { signed: true });
      return Boolean(nonce) && csrfValid(secret, `${name}-login:${nonce}`, presented);
    },
    /** The session behind a form posted from a signed-in page, when its CSRF token matches. */
    posted(ctx: Context): PageSession | undefined {
      const session = read(ctx);
      const presented = (ctx.request.body as Record<string, unknown> | undefined)?.csrf;
      return session && csrfValid(secret, `${name}:${session.id}`, presented) ? session : undefined;
    },
  };
}

export type PageSessions = ReturnType<typeof pageSessions>;
