/**
 * The OdooClient for one account: XML-RPC (the built-in codec, or odoo-await) or JSON-2, chosen by the operator or,
 * with `auto`, by Odoo's version (asked once) and the credential: XML-RPC before 19.0; from 19.0 an
 * API key goes over JSON-2 and a password through the web client's session (JSON-2 takes no
 * passwords, and XML-RPC is deprecated there).
 */
import type { OdooClient, OdooFile, OdooProtocol, OdooServer, OdooTransport } from "./client.js";
import { OdooError } from "./errors.js";
import { readStream, type StreamOptions } from "./http.js";
import { fetchServerVersion } from "./server-version.js";
import { createJson2Transport } from "./transports/json2.js";
import { createWebSessionTransport, type WebSessionTransport } from "./transports/web-session.js";
import { createXmlRpcTransport, type XmlRpcClientSetting } from "./transports/xmlrpc.js";
import { capabilitiesOf, type OdooCapabilities, parseRelease } from "./version.js";

export type OdooProtocolSetting = "auto" | "xmlrpc" | "json2";

/** Odoo's API keys: `binascii.hexlify(os.urandom(API_KEY_SIZE))`, 20 bytes (res_users.py, every release). */
export const looksLikeApiKey = (secret: string) => /^[0-9a-f]{40}$/.test(secret);

export const credentialKind = (secret: string) => (looksLikeApiKey(secret) ? "api-key" : "password");

export interface OdooSettings {
  url: string;
  db: string;
  username: string;
  /** Password or API key; JSON-2 needs an API key. */
  secret: string;
  timeoutMs: number;
  /** What to tell a person when Odoo refuses these credentials. */
  rejectedMessage: string;
  protocol: OdooProtocolSetting;
  /** The XML-RPC client: the built-in codec (default) or odoo-await. */
  xmlrpcClient?: XmlRpcClientSetting;
}

/** Asks once, shares the answer with concurrent callers, and asks again only after a failure. */
export function once<T>(produce: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= produce().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** The release behind `url`, parsed, with what it offers. */
export async function detectRelease(url: string, timeoutMs: number) {
  const version = await fetchServerVersion(url, timeoutMs);
  try {
    const release = parseRelease(version);
    return { ...release, ...capabilitiesOf(release) };
  } catch {
    throw new OdooError("unavailable", `Odoo reported a version this client does not understand (${version}).`);
  }
}

/**
 * The protocol a credential goes over: the operator's choice, else XML-RPC before 19.0, and from 19.0
 * JSON-2 for an API key and the web client's session for a password (JSON-2 takes no passwords).
 */
export function chooseProtocol(
  setting: OdooProtocolSetting,
  release: Pick<OdooCapabilities, "json2">,
  credential: "api-key" | "password",
): OdooProtocol {
  if (setting !== "auto") return setting;
  if (!release.json2) return "xmlrpc";
  return credential === "api-key" ? "json2" : "web";
}

export function createOdooClient(settings: OdooSettings): OdooClient {
  const url = settings.url.replace(/\/$/, "");
  const release = once(() => detectRelease(url, settings.timeoutMs));
  const xmlrpc = () =>
    createXmlRpcTransport({
      url,
      db: settings.db,
      login: settings.username,
      secret: settings.secret,
      timeoutMs: settings.timeoutMs,
      rejectedMessage: settings.rejectedMessage,
      client: settings.xmlrpcClient,
    });
  const json2 = () =>
    createJson2Transport({
      url,
      db: settings.db,
      apiKey: settings.secret,
      timeoutMs: settings.timeoutMs,
      rejectedMessage: settings.rejectedMessage,
    });
  // One web session per client, shared by calls (19.0 with a password) and report downloads.
  let webSession: WebSessionTransport | undefined;
  const web = () =>
    (webSession ??= createWebSessionTransport({
      url,
      db: settings.db,
      login: settings.username,
      password: settings.secret,
      timeoutMs: settings.timeoutMs,
      rejectedMessage: settings.rejectedMessage,
    }));
  const transport = once(async (): Promise<OdooTransport> => {
    // Only `auto` needs the release: the operator's choice holds even when Odoo cannot say its version.
    const protocol =
      settings.protocol === "auto"
        ? chooseProtocol("auto", await release(), credentialKind(settings.secret))
        : settings.protocol;
    return { xmlrpc, json2, web }[protocol]();
  });
  const server = once(
    async (): Promise<OdooServer> => ({ ...(await release()), protocol: (await transport()).protocol }),
  );
  /** A report from Odoo's report route in `format`, checked to be what was asked for. */
  const reportDownload = async (
    format: "pdf" | "html",
    reportName: string,
    ids: readonly number[],
    options?: StreamOptions,
  ): Promise<OdooFile> => {
    // Report routes are auth='user' (addons/web/controllers/report.py): a session, which takes a password.
    if (looksLikeApiKey(settings.secret))
      throw new OdooError(
        "invalid",
        "Odoo renders PDF reports only in a web session, which needs a password: this Odoo account signs in with an API key.",
      );
    const path = `/report/${format}/${encodeURIComponent(reportName)}/${ids.join(",")}`;
    const download = await web().download(path, options);
    const expected = format === "pdf" ? "application/pdf" : "text/html";
    if (!download.contentType.startsWith(expected)) {
      download.body.destroy();
      throw new OdooError(
        "unavailable",
        `Odoo answered ${download.contentType} instead of ${format === "pdf" ? "a PDF" : "HTML"} for ${reportName}.`,
      );
    }
    return { contentType: download.contentType, length: download.length, body: download.body };
  };
  const openReport = (reportName: string, ids: readonly number[], options?: StreamOptions) =>
    reportDownload("pdf", reportName, ids, options);
  /** Reads a report whole within one deadline, as every other call: a report read whole is a call like any other. */
  const readReport = async (format: "pdf" | "html", reportName: string, ids: readonly number[], maxBytes?: number) => {
    const signal = AbortSignal.timeout(settings.timeoutMs);
    const options = { signal, ...(maxBytes !== undefined && { maxBytes }) };
    return readStream((await reportDownload(format, reportName, ids, options)).body).catch((error: unknown) => {
      throw signal.aborted
        ? new OdooError("unavailable", `Odoo did not answer within ${settings.timeoutMs / 1000} s.`)
        : error;
    });
  };
  return {
    signIn: async () => (await transport()).signIn(),
    executeKw: async (model, method, args, kwargs = {}) => (await transport()).executeKw(model, method, args, kwargs),
    version: async () => ({ server_version: await fetchServerVersion(url, settings.timeoutMs) }),
    server,
    openReport,
    renderReport: (reportName, ids) => readReport("pdf", reportName, ids),
    renderReportHtml: async (reportName, ids, maxBytes) =>
      (await readReport("html", reportName, ids, maxBytes)).toString("utf8"),
  };
}
