/** What programs need from Odoo, whatever the protocol underneath. */
import type { Readable } from "node:stream";
import type { StreamOptions } from "./http.js";
import type { OdooCapabilities, OdooRelease } from "./version.js";

/** How calls travel: XML-RPC, JSON-2, or the web client's JSON-RPC session (sign-in without XML-RPC). */
export type OdooProtocol = "xmlrpc" | "json2" | "web";

/** One way of calling Odoo's models (XML-RPC or JSON-2), signed in as one account. */
export interface OdooTransport {
  readonly protocol: OdooProtocol;
  /** `execute_kw(model, method, args, kwargs)`; rejects with OdooError only. */
  executeKw(model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): Promise<unknown>;
  /** Proves the credentials work; rejects with OdooError ("credentials" when refused). */
  signIn(): Promise<void>;
}

/** A file Odoo is sending: its type, its length when Odoo said it, and the bytes as they arrive. */
export interface OdooFile {
  contentType: string;
  length: number | undefined;
  /** Fails with an OdooError when the transfer does; destroying it stops the transfer. */
  body: Readable;
}

/** The Odoo a client talks to: its release and what that release offers. */
export type OdooServer = OdooRelease & OdooCapabilities & { protocol: OdooProtocol };

export interface OdooClient {
  /** `execute_kw(model, method, args, kwargs)` as given; rejects with OdooError only. */
  executeKw(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<unknown>;
  /** Signs in unless already signed in; rejects with OdooError ("credentials" when refused). */
  signIn(): Promise<void>;
  /** Asks Odoo its version now: proves Odoo answers. */
  version(): Promise<{ server_version: string }>;
  /** The release this client adapts to, asked once. */
  server(): Promise<OdooServer>;
  /**
   * The PDF of the report named `reportName` (`ir.actions.report.report_name`) for the records `ids`,
   * from the web client's `/report/pdf/` route, in this account's own session; rejects with OdooError
   * only ("invalid" for an API key: Odoo opens web sessions with passwords only). Absent on stand-ins
   * that only call models (benchmarks).
   */
  renderReport?(reportName: string, ids: readonly number[]): Promise<Buffer>;
  /**
   * The same PDF as it arrives (renderReport reads it whole), for handing on without holding it: resolved
   * once Odoo starts sending it; the body fails past `maxBytes`, and aborting `signal` stops the transfer.
   */
  openReport?(reportName: string, ids: readonly number[], options?: StreamOptions): Promise<OdooFile>;
  /**
   * The same report as Odoo renders it in HTML (`/report/html/`), in this account's session: the
   * document a preview is made from. Rejects past `maxBytes`, and as renderReport does.
   */
  renderReportHtml?(reportName: string, ids: readonly number[], maxBytes: number): Promise<string>;
}
