/**
 * The Report view (ui://odoo/report) for odoo_get_report: the document (its name, records, size and how
 * long its link works), a button that opens the download link through the host, and a preview of its first
 * page. The preview is Odoo's own HTML rendering of the same report, asked through the app-only tool
 * odoo_get_report_preview (why not the PDF itself: see that tool), parsed inert with DOMParser and rebuilt
 * from text and a few structural tags only — no script, style, image, link or attribute survives, so the
 * page shows the report's words and tables and loads nothing.
 */
import { fill, h, placeholder, startView, textOf } from "../shared/index.js";
import "./report.css";
import { STRINGS } from "./strings.js";

const PREVIEW_TOOL = "odoo_get_report_preview";

/** What odoo_get_report answers. */
interface Report {
  model: string;
  ids: number[];
  report: string;
  report_name: string;
  size: number;
  download_url: string;
  expires_at: string;
  note?: string;
}

type Preview = { kind: "loading" } | { kind: "shown"; page: DocumentFragment } | { kind: "failed"; message: string };

let report: Report | undefined;
let preview: Preview = { kind: "loading" };
let problem: string | undefined;

const kit = startView({
  name: "odoo-report",
  strings: STRINGS,
  toolResult(result) {
    report = result.structuredContent as unknown as Report;
    void loadPreview(report);
    render();
  },
  render,
});

/** Tags kept as they are; any other element gives only its children; these give nothing at all. */
const KEPT = new Set([
  "p",
  "div",
  "span",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "strong",
  "b",
  "em",
  "i",
  "u",
  "small",
  "br",
  "hr",
  "address",
  "ul",
  "ol",
  "li",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "td",
  "th",
]);
const DROPPED = new Set([
  "script",
  "style",
  "link",
  "meta",
  "head",
  "title",
  "img",
  "svg",
  "iframe",
  "object",
  "embed",
  "video",
  "audio",
  "template",
  "noscript",
  "form",
  "input",
  "button",
  "select",
  "textarea",
]);

/** A copy of `node` made of text and KEPT elements only, without one attribute but table spans. */
function cleaned(node: Node): Node[] {
  if (node.nodeType === Node.TEXT_NODE) return [document.createTextNode(node.textContent ?? "")];
  if (node.nodeType !== Node.ELEMENT_NODE) return [];
  const element = node as Element;
  const tag = element.tagName.toLowerCase();
  if (DROPPED.has(tag)) return [];
  const children = [...element.childNodes].flatMap(cleaned);
  if (!KEPT.has(tag)) return children;
  const copy = document.createElement(tag);
  for (const span of ["colspan", "rowspan"]) {
    const value = element.getAttribute(span);
    if (value && /^\d{1,2}$/.test(value)) copy.setAttribute(span, value);
  }
  copy.append(...children);
  return [copy];
}

/**
 * The first page of Odoo's report HTML: the first record's article (from 18.0 the layout draws the
 * addresses and the document's title there, outside its `div.page`), else a page, else the body.
 */
function firstPage(html: string): DocumentFragment {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const page = parsed.querySelector("div.article") ?? parsed.querySelector("div.page") ?? parsed.body;
  const fragment = document.createDocumentFragment();
  fragment.append(...cleaned(page));
  return fragment;
}

async function loadPreview(current: Report): Promise<void> {
  const args = { model: current.model, ids: current.ids.slice(0, 1), report: current.report_name };
  try {
    const result = await kit.bridge.callTool(PREVIEW_TOOL, args);
    const html = result.structuredContent?.html;
    preview =
      result.isError || typeof html !== "string"
        ? { kind: "failed", message: textOf(result) }
        : { kind: "shown", page: firstPage(html) };
  } catch (error) {
    preview = { kind: "failed", message: (error as Error).message };
  }
  render();
}

async function download(current: Report): Promise<void> {
  problem = (await kit.bridge.openLink(current.download_url))
    ? undefined
    : fill(kit.text.downloadFailed, { url: current.download_url });
  render();
}

function previewSection(current: Report): HTMLElement {
  const label = fill(kit.text.previewLabel, { report: current.report });
  const body =
    preview.kind === "loading"
      ? h("p", { class: "muted", attrs: { role: "status" } }, kit.text.previewLoading)
      : preview.kind === "failed"
        ? h("p", { class: "muted" }, fill(kit.text.previewFailed, { message: preview.message }))
        : h(
            "div",
            { class: "paper", tabIndex: 0, attrs: { role: "document", "aria-label": label } },
            // A fresh copy each drawing: the parsed page stays whole for the next one.
            preview.page.cloneNode(true),
          );
  return h("section", {}, h("h2", {}, kit.text.firstPage), body);
}

function render(): void {
  const current = report;
  if (!current) {
    kit.draw(placeholder(kit));
    return;
  }
  const time = new Intl.DateTimeFormat(kit.format.locale, {
    timeStyle: "short",
    ...(kit.format.timeZone ? { timeZone: kit.format.timeZone } : {}),
  }).format(new Date(current.expires_at));
  kit.draw(
    ...[
      h("h1", {}, current.report),
      h(
        "div",
        { class: "facts muted" },
        h("p", {}, fill(kit.text.records, { model: current.model, count: current.ids.length })),
        h("p", {}, fill(kit.text.size, { size: kit.format.number(Math.max(1, Math.round(current.size / 1024)), 0) })),
        h("p", {}, fill(kit.text.expires, { time })),
      ),
      h(
        "div",
        { class: "download" },
        h("button", { type: "button", id: "download", onclick: () => void download(current) }, kit.text.download),
      ),
      problem ? h("p", { class: "danger", attrs: { role: "alert" } }, problem) : null,
      previewSection(current),
    ].filter((node): node is HTMLElement => node !== null),
  );
}
