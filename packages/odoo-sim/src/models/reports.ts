/**
 * Report actions (`ir.actions.report`, odoo/addons/base/models/ir_actions_report.py) for quotations,
 * invoices and delivery slips, and their PDF: one page per record with its name, partner, date and
 * lines, drawn with pdf-lib. Odoo renders QWeb through wkhtmltopdf; the content differs, the route and
 * the answer (a PDF per set of records) do not. Content streams are left uncompressed so a test finds
 * the record's name in the bytes.
 */
import { PDFContentStream, PDFDocument, PDFOperator, PDFOperatorNames, PDFString, StandardFonts } from "pdf-lib";
import type { Database, Row } from "../orm/database.js";
import { field } from "../orm/fields.js";
import type { ModelDef } from "../orm/model.js";

export const reportModels: ModelDef[] = [
  {
    name: "ir.actions.report",
    description: "Report Action",
    order: "name",
    fields: {
      name: field.char("Action Name", { required: true }),
      type: field.char("Action Type", { default: "ir.actions.report" }),
      model: field.char("Model Name", { required: true }),
      report_type: field.selection(
        "Report Type",
        [
          ["qweb-html", "HTML"],
          ["qweb-pdf", "PDF"],
          ["qweb-text", "Text"],
        ],
        { required: true, default: "qweb-pdf" },
      ),
      report_name: field.char("Template Name", { required: true }),
      print_report_name: field.char("Printed Report Name"),
      binding_type: field.selection(
        "Binding Type",
        [
          ["action", "Action"],
          ["report", "Report"],
        ],
        { default: "report" },
      ),
    },
  },
];

/** The demo report actions with the XML ids and template names of sale, account and stock. */
export const DEMO_REPORTS = [
  {
    xmlId: "sale.action_report_saleorder",
    name: "Quotation / Order",
    model: "sale.order",
    report_name: "sale.report_saleorder",
    print_report_name:
      "(object.state in ('draft', 'sent') and 'Quotation - %s' % (object.name)) or 'Order - %s' % (object.name)",
  },
  {
    xmlId: "account.account_invoices",
    name: "Invoices",
    model: "account.move",
    report_name: "account.report_invoice",
    print_report_name: "(object._get_report_base_filename())",
  },
  {
    xmlId: "stock.action_report_delivery",
    name: "Delivery Slip",
    model: "stock.picking",
    report_name: "stock.report_deliveryslip",
    print_report_name: "'Delivery Slip - %s - %s' % (object.partner_id.name or '', object.name)",
  },
] as const;

/** The lines a record's page shows: its model's own lines (order lines, moves, invoice total). */
function linesOf(db: Database, model: string, row: Row): string[] {
  const value = (name: string) => db.value(db.requireModel(model), row, name);
  const named = (relation: string, id: unknown) => (typeof id === "number" ? db.displayNameOf(relation, id) : "");
  const rowsWhere = (child: string, key: string) =>
    [...db.requireModel(child).rows.values()].filter((line) => line[key] === row.id);
  switch (model) {
    case "sale.order":
      return [
        ...rowsWhere("sale.order.line", "order_id").map(
          (line) => `${line.name}  x ${line.product_uom_qty}  @ ${line.price_unit}`,
        ),
        `Total: ${value("amount_total")}`,
      ];
    case "stock.picking":
      return rowsWhere("stock.move", "picking_id").map(
        (move) => `${named("product.product", move.product_id)}  x ${move.product_uom_qty}`,
      );
    default:
      return [`Total: ${value("amount_total")}`];
  }
}

/** A Latin-1 PDF literal string: the standard fonts' WinAnsi encoding, with ( ) and \ escaped. */
const literal = (text: string) =>
  PDFString.of(
    text
      .replace(/[^\x20-\x7e\xa0-\xff]/g, "?")
      .replace(/\\/g, "\\\\")
      .replace(/\(/g, "\\(")
      .replace(/\)/g, "\\)"),
  );

/** `_render_qweb_pdf(report_ref, res_ids)`: the PDF of `report` for the records `ids` (one page each). */
export async function renderReportPdf(db: Database, report: Row, ids: readonly number[]): Promise<Uint8Array> {
  const model = String(report.model);
  const records = db.requireModel(model);
  const pdf = await PDFDocument.create();
  pdf.setTitle(String(report.name));
  pdf.setProducer("odoo-sim");
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const id of ids) {
    const row = records.rows.get(id) as Row;
    const page = pdf.addPage([595, 842]);
    const fontName = page.node.newFontDictionary("F1", font.ref);
    const partner = row.partner_id ? db.displayNameOf("res.partner", row.partner_id as number) : "";
    const date = String(row.date_order ?? row.invoice_date ?? row.scheduled_date ?? "");
    const lines = [
      String(report.name),
      db.displayNameOf(model, id),
      ...(partner ? [partner] : []),
      ...(date ? [date] : []),
      "",
      ...linesOf(db, model, row),
    ];
    const operators = [
      PDFOperator.of(PDFOperatorNames.BeginText),
      PDFOperator.of(PDFOperatorNames.SetFontAndSize, [fontName, pdf.context.obj(12)]),
      PDFOperator.of(PDFOperatorNames.SetTextLineHeight, [pdf.context.obj(16)]),
      PDFOperator.of(PDFOperatorNames.MoveText, [pdf.context.obj(50), pdf.context.obj(790)]),
      ...lines.flatMap((line) => [
        PDFOperator.of(PDFOperatorNames.ShowText, [literal(line)]),
        PDFOperator.of(PDFOperatorNames.NextLine),
      ]),
      PDFOperator.of(PDFOperatorNames.EndText),
    ];
    const stream = PDFContentStream.of(pdf.context.obj({}), operators, false);
    page.node.addContentStream(pdf.context.register(stream));
  }
  return pdf.save({ useObjectStreams: false });
}

/** Text as HTML shows it (markupsafe's escape): for report pages and message bodies. */
export const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * `_render_qweb_html(report_ref, res_ids)`: the report as Odoo's HTML route answers it, in its layout —
 * its stylesheet link, a script, the company logo as an image, and one `div.page` per record inside
 * `div.article` — with the same text the PDF prints. The document's title is the page's own heading in
 * 17.0; from 18.0 reports set `layout_document_title` and the layout draws it in the article, before the
 * page (web/views/report_templates.xml 18.0 and 19.0 L349; sale/report/ir_actions_report_templates.xml L40).
 */
export function renderReportHtml(db: Database, report: Row, ids: readonly number[]): string {
  const model = String(report.model);
  const records = db.requireModel(model);
  const pages = ids.map((id) => {
    const row = records.rows.get(id) as Row;
    const partner = row.partner_id ? db.displayNameOf("res.partner", row.partner_id as number) : "";
    const date = String(row.date_order ?? row.invoice_date ?? row.scheduled_date ?? "");
    const lines = linesOf(db, model, row).map((line) => `<tr><td>${escapeHtml(line)}</td></tr>`);
    const title = `<h2>${escapeHtml(String(report.name))}: <span>${escapeHtml(db.displayNameOf(model, id))}</span></h2>`;
    const [inArticle, inPage] = db.release.major >= 18 ? [title, ""] : ["", title];
    return (
      `<div class="article o_report_layout_standard" data-oe-model="${escapeHtml(model)}" data-oe-id="${id}">` +
      `${inArticle}<div class="page">${inPage}` +
      (partner ? `<address>${escapeHtml(partner)}</address>` : "") +
      (date ? `<p><strong>Date:</strong> ${escapeHtml(date)}</p>` : "") +
      `<table class="table table-sm"><tbody>${lines.join("")}</tbody></table></div></div>`
    );
  });
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(String(report.name))}</title>` +
    `<link rel="stylesheet" href="/web/assets/web.report_assets_common.min.css">` +
    `<script src="/web/assets/web.report_assets_common.min.js"></script></head>` +
    `<body class="container"><div class="header"><img src="/web/binary/company_logo" alt="Logo"></div>` +
    `${pages.join("")}<div class="footer o_standard_footer"><span class="page"></span></div></body></html>`
  );
}

/** `_get_report(report_ref)` by template name, as the `/report/pdf/<reportname>` route looks it up. */
export function reportByName(db: Database, reportName: string): Row | undefined {
  return [...db.requireModel("ir.actions.report").rows.values()].find((row) => row.report_name === reportName);
}
