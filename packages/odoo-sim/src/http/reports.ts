/**
 * The report routes of Odoo's web client (addons/web/controllers/report.py `report_routes`):
 * `GET /report/pdf/<reportname>/<docids>` and `/report/html/<reportname>/<docids>`, `auth='user'` — a
 * session cookie, never an API key — answering the PDF with `Content-Type: application/pdf`, or the
 * same report as HTML. Without a session Odoo redirects to `/web/login`; a
 * person who may not read the records gets 403, records that do not exist 404, an unknown report 500.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { renderReportHtml, renderReportPdf, reportByName } from "../models/reports.js";
import { checkAccess, checkRule } from "../orm/access.js";
import { sendHtml } from "./io.js";
import type { WebRoutes } from "./web.js";

/** Serves `path` when it is the report route; false otherwise. */
export async function handleReport(
  web: WebRoutes,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<boolean> {
  const match = /^\/report\/(pdf|html)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (!match) return false;
  request.resume();
  const session = web.sessionOf(request.headers.cookie);
  if (!session) {
    const location = `/web/login?redirect=${encodeURIComponent(request.url ?? path)}`;
    response.writeHead(303, { location, "content-type": "text/html; charset=utf-8" }).end();
    return true;
  }
  const { db, env } = session;
  const report = reportByName(db, decodeURIComponent(match[2] as string));
  if (!report) {
    sendHtml(response, 500, "<h1>Internal Server Error</h1>");
    return true;
  }
  const model = db.requireModel(String(report.model));
  const ids = (match[3] ?? "")
    .split(",")
    .filter((part) => /^\d+$/.test(part))
    .map(Number);
  try {
    checkAccess(env, model, "read");
    checkRule(env, model, ids, "read");
  } catch {
    sendHtml(response, 403, "<h1>Forbidden</h1>");
    return true;
  }
  if (ids.length === 0 || ids.some((id) => !model.rows.has(id))) {
    sendHtml(response, 404, "<h1>Not Found</h1>");
    return true;
  }
  if (match[1] === "html") {
    sendHtml(response, 200, renderReportHtml(db, report, ids));
    return true;
  }
  const pdf = await renderReportPdf(db, report, ids);
  response.writeHead(200, { "content-type": "application/pdf", "content-length": pdf.length });
  response.end(pdf);
  return true;
}
