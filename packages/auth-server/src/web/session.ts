/**
 * Sessions for the server's own pages (/account, /admin), apart from oidc-provider's. The session lives
 * on the server (model `PageSession`, 30 minutes from sign-in, stored under a digest of its id like a
 * token: storage/hashed-ids.ts); the browser holds its id in a signed, HTTP-only, SameSite=Strict cookie
 * limited to the page's path. Signing out ends it on the server, so a copied cookie stops working at
 * once, and signing out of the authorization server (`/oauth/logout`) ends every page session of that
 * person. CSRF tokens are bound to the session (or, before sign-in, to a one-off form cookie).
 */
import { randomBytes } from "node:crypto";
import type { Context } from "koa";
import type { AdapterPayload } from "oidc-provider";
import type { Storage } from "../storage/contract.js";
import { csrfToken, csrfValid } from "./csrf.js";

const SESSION_SECONDS = 30 * 60;
export const PAGE_SESSION_MODEL = "PageSession";

export interface PageSession {
  id: string;
  sub: string;
}

/** What is stored: whose session it is and which page's. */
interface StoredSession {
  sub: string;
  page: string;
  /**
   * The storage indexes payloads by `grantId` in every engine, for "everything of this grant": a person's
   * page sessions are filed under one such key, so that they all end together (`endPageSessionsOf`).
   */
  grantId: string;
}

const personKey = (sub: string) => `page-sessions:${sub}`;

/** Ends every /account and /admin session of a person (they signed out of the authorization server). */
export async function endPageSessionsOf(storage: Storage, sub: string): Promise<void> {
  await storage.adapter(PAGE_SESSION_MODEL).revokeByGrantId(personKey(sub));
}

export function pageSessions(name: string, path: string, secret: string, storage: Storage) {
  const store = storage.adapter(PAGE_SESSION_MODEL);
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

  /** The session the cookie names, while the server still holds it for this page. */
  async function read(ctx: Context): Promise<PageSession | undefined> {
    const id = ctx.cookies.get(sessionCookie, { signed: true });
    if (!id) return undefined;
    const stored = (await store.find(id)) as StoredSession | undefined;
    return stored?.page === name && typeof stored.sub === "string" ? { id, sub: stored.sub } : undefined;
  }

  return {
    read,
    csrfFor,
    async start(ctx: Context, sub: string): Promise<void> {
      const id = randomBytes(32).toString("base64url");
      const stored: StoredSession = { sub, page: name, grantId: personKey(sub) };
      await store.upsert(id, stored as unknown as AdapterPayload, SESSION_SECONDS);
      ctx.cookies.set(sessionCookie, id, options(ctx, SESSION_SECONDS));
      ctx.cookies.set(formCookie, "", options(ctx, 0));
    },
    async end(ctx: Context, session: PageSession): Promise<void> {
      await store.destroy(session.id);
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
    async posted(ctx: Context): Promise<PageSession | undefined> {
      const session = await read(ctx);
      const presented = (ctx.request.body as Record<string, unknown> | undefined)?.csrf;
      return session && csrfValid(secret, `${name}:${session.id}`, presented) ? session : undefined;
    },
  };
}

export type PageSessions = ReturnType<typeof pageSessions>;
