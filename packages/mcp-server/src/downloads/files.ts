/**
 * The bytes behind a download target, fetched from Odoo with the caller's own client (so Odoo's
 * rights and record rules apply): an attachment's content (`ir.attachment.datas`, its size checked
 * first from `file_size`), or a report's PDF from Odoo's report route.
 */
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

/** A size as people read it in a refusal. */
export const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

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

export async function reportFile(
  odoo: OdooClient,
  target: Extract<DownloadTarget, { kind: "report" }>,
  maxBytes: number,
): Promise<OdooFile> {
  if (!odoo.renderReport) throw new ToolRefusal("This Odoo connection cannot render reports.");
  const bytes = await odoo.renderReport(target.report, target.ids);
  if (bytes.length > maxBytes)
    throw new ToolRefusal(
      `The PDF is ${megabytes(bytes.length)}, more than the ${megabytes(maxBytes)} this server hands out.`,
    );
  return { name: `${target.report.split(".").at(-1)}-${target.ids.join("-")}.pdf`, mimetype: "application/pdf", bytes };
}

export const targetFile = (odoo: OdooClient, target: DownloadTarget, maxBytes: number) =>
  target.kind === "attachment" ? attachmentFile(odoo, target.id, maxBytes) : reportFile(odoo, target, maxBytes);
