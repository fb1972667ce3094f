/**
 * The route Odoo's own web client signs in and calls models through: JSON-RPC 2.0 on
 * `POST /web/session/authenticate` (db, login, password; sets the `session_id` cookie) and
 * `POST /web/dataset/call_kw/<model>/<method>` with that cookie. It works on every Odoo, with or
 * without XML-RPC, and takes passwords (interactive sign-in refuses API keys, by Odoo's design).
 * Source: odoo/odoo addons/web/controllers/session.py, dataset.py; odoo/http.py (JSON-RPC envelope).
 */

import type { Readable } from "node:stream";
import type { OdooTransport } from "../client.js";
import { kindOfException, OdooError } from "../errors.js";
import { headerOf, parseJson, requestOdoo, type StreamOptions, streamOdoo } from "../http.js";

export interface WebSessionConnection {
  url: string;
  db: string;
  login: string;
  password: string;
  timeoutMs: number;
  rejectedMessage: string;
  /**
   * The address of the person signing in, sent as X-Forwarded-For (with X-Forwarded-Host, without which
   * Odoo ignores it). Odoo's login cooldown counts failures per source address; an Odoo running with
   * `--proxy-mode` then counts the person's address instead of this server's (odoo/http.py, ProxyFix).
   */
  forwardedFor?: string | undefined;
}

/** What `/web/session/authenticate` answers (session_info): the parts a caller uses. */
export interface WebSessionInfo {
  uid: number;
  name?: string;
  username?: string;
  is_system?: boolean;
  server_version?: string;
}

interface JsonRpcAnswer {
  result?: unknown;
  error?: { code?: number; message?: string; data?: { name?: string; message?: string } };
}

/**
 * Odoo 18.0 and 19.0 serving several databases with no dbfilter say their login cooldown's refusal as a
 * ValueError: a sign-in there is a request without a database, so translating the refusal's message
 * reads the login as a user id (tools/translate.py `_get_uid`: `int(frame.f_locals['user'])`, reached from
 * res_users.py `_assert_can_auth(user=login)`; measured on real 18.0 and 19.0). Nothing else in a sign-in
 * converts the login to a number.
 */
function isDisguisedCooldown(error: NonNullable<JsonRpcAnswer["error"]>): boolean {
  return (
    error.data?.name === "builtins.ValueError" &&
    /^invalid literal for int\(\) with base 10: /.test(error.data.message ?? "")
  );
}

const cooldown = () => new OdooError("paused", "Too many login failures, please wait a bit before trying again.");

/** What a web route answered: its content type, its length when Odoo said it, and the body as it arrives. */
export interface WebDownload {
  contentType: string;
  /** Bytes, from Content-Length (undefined when Odoo did not say, or compressed). */
  length: number | undefined;
  body: Readable;
}

export type WebSessionTransport = OdooTransport & {
  authenticate(): Promise<WebSessionInfo>;
  /**
   * `GET path` with the session (`auth='user'` routes such as /report/pdf/…), resolved once Odoo's headers
   * say it succeeded; rejects with OdooError only, and the body fails with one (past `maxBytes`, or when
   * `signal` stops the transfer).
   */
  download(path: string, options?: StreamOptions): Promise<WebDownload>;
};

export function createWebSessionTransport(connection: WebSessionConnection): WebSessionTransport {
  const base = connection.url;
  const forwarding: Record<string, string> = connection.forwardedFor
    ? { "x-forwarded-for": connection.forwardedFor, "x-forwarded-host": new URL(base).host }
    : {};
  let cookie: string | undefined;
  let session: Promise<WebSessionInfo> | undefined;
  let sequence = 0;

  const rpc = async (
    path: string,
    params: Record<string, unknown>,
  ): Promise<{ answer: JsonRpcAnswer; setCookie: string | null }> => {
    // Redirects are never followed (../http.ts): Odoo sending the session elsewhere is an error here.
    const response = await requestOdoo(
      `${base}${path}`,
      {
        method: "POST",
        headers: { "content-type": "application/json", ...forwarding, ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ jsonrpc: "2.0", method: "call", params, id: ++sequence }),
      },
      connection.timeoutMs,
    );
    if (!response.ok) throw new OdooError("unavailable", `Odoo answered HTTP ${response.status} at ${path}.`);
    const answer = parseJson(response.text) as JsonRpcAnswer | undefined;
    if (!answer || typeof answer !== "object")
      throw new OdooError("unavailable", `Odoo answered ${path} with something that is not JSON-RPC.`);
    return { answer, setCookie: headerOf(response, "set-cookie") ?? null };
  };

  const failure = (error: NonNullable<JsonRpcAnswer["error"]>): OdooError => {
    const name = error.data?.name;
    const message = error.data?.message ?? error.message ?? "Odoo refused the request";
    const kind = error.code === 100 ? "credentials" : kindOfException(name, message);
    return new OdooError(kind, kind === "credentials" ? connection.rejectedMessage : message);
  };

  const authenticate = (): Promise<WebSessionInfo> => {
    session ??= (async () => {
      cookie = undefined;
      const { answer, setCookie } = await rpc("/web/session/authenticate", {
        db: connection.db,
        login: connection.login,
        password: connection.password,
      });
      if (answer.error) throw isDisguisedCooldown(answer.error) ? cooldown() : failure(answer.error);
      const info = answer.result as WebSessionInfo | undefined;
      // A person with two-factor authentication gets no uid here: only an API key lets a program in.
      if (!info || typeof info.uid !== "number") throw new OdooError("credentials", connection.rejectedMessage);
      const sessionId = /(?:^|[;,]\s*)session_id=([^;,\s]+)/.exec(setCookie ?? "")?.[1];
      if (!sessionId) throw new OdooError("unavailable", "Odoo signed in but set no session cookie.");
      cookie = `session_id=${sessionId}`;
      return info;
    })().catch((error: unknown) => {
      session = undefined;
      throw error;
    });
    return session;
  };

  const callKw = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => {
    await authenticate();
    const path = `/web/dataset/call_kw/${encodeURIComponent(model)}/${encodeURIComponent(method)}`;
    const { answer } = await rpc(path, { model, method, args, kwargs });
    // From 18.0 the route looks the model up before anything else and answers werkzeug's NotFound
    // (web/controllers/dataset.py `_call_kw_readonly`): said as JSON-2 says it.
    if (answer.error?.code === 404) throw new OdooError("invalid", `the model '${model}' does not exist`);
    if (answer.error) throw failure(answer.error);
    return answer.result;
  };

  /** An `auth='user'` route without a valid session redirects to /web/login (odoo/http.py). */
  const get = async (path: string, options: StreamOptions | undefined): Promise<WebDownload | "expired"> => {
    await authenticate();
    const response = await streamOdoo(
      `${base}${path}`,
      { headers: cookie ? { cookie } : {} },
      connection.timeoutMs,
      options,
    );
    const refusal = (): OdooError | "expired" | undefined => {
      if (response.status >= 300 && response.status < 400) {
        if (/\/web\/login/.test(headerOf(response, "location") ?? "")) return "expired";
        return new OdooError("unavailable", `Odoo redirected ${path} elsewhere (HTTP ${response.status}).`);
      }
      if (response.status === 403) return new OdooError("access", "Odoo refused: you may not read these records.");
      if (response.status === 404) return new OdooError("missing", "Odoo found no such records (or report).");
      if (!response.ok) return new OdooError("unavailable", `Odoo answered HTTP ${response.status} at ${path}.`);
      return undefined;
    };
    const refused = refusal();
    if (refused) {
      response.body.destroy(); // an error page nobody reads: the connection goes with it
      if (refused === "expired") return refused;
      throw refused;
    }
    const encoded = headerOf(response, "content-encoding");
    const declared = Number(headerOf(response, "content-length"));
    return {
      contentType: headerOf(response, "content-type") ?? "application/octet-stream",
      length: !encoded && Number.isSafeInteger(declared) ? declared : undefined,
      body: response.body,
    };
  };

  return {
    protocol: "web",
    authenticate,
    async download(path, options) {
      const first = await get(path, options);
      if (first !== "expired") return first;
      // The session expired: sign in again once, as executeKw does.
      session = undefined;
      const second = await get(path, options);
      if (second === "expired") throw new OdooError("credentials", connection.rejectedMessage);
      return second;
    },
    async signIn() {
      await authenticate();
    },
    async executeKw(model, method, args, kwargs) {
      try {
        return await callKw(model, method, args, kwargs);
      } catch (error) {
        // An expired session signs in again once: Odoo checks the session before running anything.
        if (!(error instanceof OdooError) || error.kind !== "credentials" || !cookie) throw error;
        session = undefined;
        return callKw(model, method, args, kwargs);
      }
    },
  };
}
