/**
 * `odoo_get_report`: the PDF of a record's report (a quotation, an invoice, a delivery slip), found
 * among the model's report actions (`ir.actions.report`, report_type qweb-pdf) and rendered by Odoo on
 * its report route with the caller's own session. Answered as a short-lived download link, and
 * embedded as an MCP resource for clients that show one.
 */
import { SCOPES } from "@odoo-mcp/shared";
import { z } from "zod";
import { reportFile } from "../downloads/files.js";
import type { DownloadTarget } from "../downloads/links.js";
import { checkedModel, modelArg } from "./common.js";
import { filesOf } from "./outbound.js";
import { defineTool, EXTRA_CONTENT, READ_ONLY, type ToolContext, type ToolDefinition, ToolRefusal } from "./types.js";

/** A PDF embedded in a result at most; larger ones come as the link only. */
const EMBED_MAX_BYTES = 2 * 1024 * 1024;

interface ReportAction {
  id: number;
  name: string;
  report_name: string;
}

async function reportsOf(context: ToolContext, model: string): Promise<ReportAction[]> {
  return (await context.odoo.executeKw(
    "ir.actions.report",
    "search_read",
    [
      [
        ["model", "=", model],
        ["report_type", "=", "qweb-pdf"],
      ],
    ],
    { fields: ["name", "report_name"], order: "id" },
  )) as ReportAction[];
}

/** The model's report named `report` (its report_name), or its first when none is named; refused otherwise. */
async function chosenReport(context: ToolContext, model: string, report: string | undefined): Promise<ReportAction> {
  const available = await reportsOf(context, model);
  if (available.length === 0) throw new ToolRefusal(`Odoo has no PDF report for ${model} records.`);
  const chosen = report ? available.find((action) => action.report_name === report) : available[0];
  if (!chosen)
    throw new ToolRefusal(
      `${model} has no report "${report}"; its reports: ${available.map((action) => `${action.report_name} (${action.name})`).join(", ")}.`,
    );
  return chosen;
}

const idsOfReport = z.array(z.number().int().positive()).min(1).max(20).describe("The records, e.g. [12]");

const getReport = defineTool({
  name: "odoo_get_report",
  title: "Get a record's PDF report",
  description:
    "The PDF Odoo prints for records — a quotation (sale.order), an invoice (account.move), a delivery slip (stock.picking) — " +
    "as a download link that works for a few minutes, for you only.",
  scope: SCOPES.read,
  renders: true,
  annotations: READ_ONLY,
  view: "report",
  input: z.object({
    model: modelArg,
    ids: idsOfReport,
    report: z.string().max(128).optional().describe("Which report (its report_name) when the model has several"),
    embed: z.boolean().default(false).describe("Also embed the PDF in the answer, for clients that show files"),
  }),
  async run(context, { model, ids, report, embed }) {
    await checkedModel(context, model);
    const chosen = await chosenReport(context, model, report);
    const target: Extract<DownloadTarget, { kind: "report" }> = {
      kind: "report",
      report: chosen.report_name,
      model,
      ids,
    };
    // Rendered now, so a refusal (no session for an API key, no access) comes back to the chat at once.
    const file = await reportFile(context.odoo, target, filesOf(context).maxBytes);
    const link = filesOf(context).links.mint(context.caller, target);
    const result = {
      model,
      ids,
      report: chosen.name,
      report_name: chosen.report_name,
      size: file.bytes.length,
      download_url: link.url,
      expires_at: link.expires_at,
    };
    if (!embed) return result;
    if (file.bytes.length > EMBED_MAX_BYTES) return { ...result, note: "Too large to embed; use the link." };
    return Object.assign(result, {
      [EXTRA_CONTENT]: [
        {
          type: "resource",
          resource: { uri: link.url, mimeType: "application/pdf", blob: file.bytes.toString("base64") },
        },
      ],
    });
  },
});

/** The most HTML a preview reads from Odoo: a report's first pages, with room for its layout. */
const PREVIEW_MAX_BYTES = 1024 * 1024;

/**
 * For the Report view only: the report as Odoo renders it in HTML (`/report/html/`), the same document as
 * the PDF, from which the view shows the first page. The view draws no PDF (pdf.js alone is several times
 * its size budget, and a browser's PDF viewer does not run in a sandboxed frame), and the server has no
 * PDF rasteriser to rely on; Odoo's HTML is the report itself, rendered by Odoo as the person, and the
 * view keeps only its text structure (no script, style, image or link: nothing loads from anywhere).
 */
const reportPreview = defineTool({
  name: "odoo_get_report_preview",
  title: "Preview a record's report",
  description: "Called by the report view: the report as Odoo renders it in HTML, to show its first page.",
  scope: SCOPES.read,
  renders: true,
  annotations: READ_ONLY,
  visibility: ["app"],
  input: z.object({
    model: modelArg,
    ids: idsOfReport,
    report: z.string().min(1).max(128).describe("Its report_name"),
  }),
  async run(context, { model, ids, report }) {
    await checkedModel(context, model);
    const chosen = await chosenReport(context, model, report);
    if (!context.odoo.renderReportHtml) throw new ToolRefusal("This Odoo connection cannot render reports.");
    const html = await context.odoo.renderReportHtml(chosen.report_name, ids, PREVIEW_MAX_BYTES);
    return { model, ids, report_name: chosen.report_name, html };
  },
});

export const reportTools: ToolDefinition[] = [getReport, reportPreview];
