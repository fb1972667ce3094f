/**
 * The bytes behind a download target, fetched from Odoo with the caller's own client (so Odoo's
 * rights and record rules apply): an attachment's content (`ir.attachment.datas`, its size checked
 * first from `file_size`), or a report's PDF from Odoo's report route. A link streams a report as Odoo
 * sends it; an attachment comes whole, base64 inside an RPC answer, the only way Odoo's external API
 * gives it (its size checked first).
 */
import type { Readable } from "node:stream";
import type { OdooClient } from "@odoo-mcp/odoo-client";
import { ToolRefusal } from "../tools/types.js";
import type { DownloadTarget } from "./links.js";

export interface OdooFile {
  name: string;
  mimetype: string;
  bytes: Buffer;
}

export interface AttachmentInfo {
  id: number;
  name: string;
  mimetype: string;
  file_size: number;
  res_model: string | false;
  res_id: number | false;
  /** Set when the attachment holds a binary field's value (an image, a key, a certificate), not a file. */
  res_field: string | false;
}

export const ATTACHMENT_FIELDS = ["name", "mimetype", "file_size", "res_model", "res_id", "res_field"];

/** A size as people read it in a refusal (KB below a megabyte, so a small cap does not read "0 MB"). */
export const megabytes = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${Math.round(bytes / 1024 / 1024)} MB`;

export async function attachmentInfo(odoo: OdooClient, id: number): Promise<AttachmentInfo> {
  const [info] = (await odoo.executeKw("ir.attachment", "read", [[id], ATTACHMENT_FIELDS])) as AttachmentInfo[];
  if (!info) throw new ToolRefusal(`Attachment ${id} does not exist (or was deleted).`);
  return info;
}

export async function attachmentFile(odoo: OdooClient, id: number, maxBytes: number): Promise<OdooFile> {
  const info = await attachmentInfo(odoo, id);
  if (info.file_size > maxBytes)
    throw new ToolRefusal(
      `"${info.name}" is ${megabytes(info.file_size)}, more than the ${megabytes(maxBytes)} this server hands out; open it in Odoo.`,
    );
  const [content] = (await odoo.executeKw("ir.attachment", "read", [[id], ["datas"]])) as { datas: string | false }[];
  return {
    name: info.name,
    mimetype: info.mimetype || "application/octet-stream",
    bytes: Buffer.from(content?.datas || "", "base64"),
  };
}

type ReportTarget = Extract<DownloadTarget, { kind: "report" }>;

const reportName = (target: ReportTarget) => `${target.report.split(".").at(-1)}-${target.ids.join("-")}.pdf`;
const pdfTooLarge = (size: number, maxBytes: number) =>
  new ToolRefusal(`The PDF is ${megabytes(size)}, more than the ${megabytes(maxBytes)} this server hands out.`);

export async function reportFile(odoo: OdooClient, target: ReportTarget, maxBytes: number): Promise<OdooFile> {
  if (!odoo.renderReport) throw new ToolRefusal("This Odoo connection cannot render reports.");
  const bytes = await odoo.renderReport(target.report, target.ids);
  if (bytes.length > maxBytes) throw pdfTooLarge(bytes.length, maxBytes);
  return { name: reportName(target), mimetype: "application/pdf", bytes };
}

/** A file as a download link serves it: whole, or as Odoo sends it (its length when Odoo says). */
export interface ServedFile {
  name: string;
  mimetype: string;
  length: number | undefined;
  body: Buffer | Readable;
}

/**
 * What a link names, ready to serve. A report streams, failing past `maxBytes` as the bytes go through;
 * `signal` stops it (the download's deadline).
 */
export async function servedFile(
  odoo: OdooClient,
  target: DownloadTarget,
  maxBytes: number,
  signal: AbortSignal,
): Promise<ServedFile> {
  if (target.kind === "attachment") {
    const { name, mimetype, bytes } = await attachmentFile(odoo, target.id, maxBytes);
    return { name, mimetype, length: bytes.length, body: bytes };
  }
  if (!odoo.openReport) throw new ToolRefusal("This Odoo connection cannot render reports.");
  const file = await odoo.openReport(target.report, target.ids, { signal, maxBytes });
  if (file.length !== undefined && file.length > maxBytes) {
    file.body.destroy();
    throw pdfTooLarge(file.length, maxBytes);
  }
  return { name: reportName(target), mimetype: "application/pdf", length: file.length, body: file.body };
}
