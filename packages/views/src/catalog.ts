/**
 * The views this project ships (MCP Apps, `io.modelcontextprotocol/ui`): one entry per view, the one list
 * the build, the loader and the MCP server's `ui://odoo/<name>` resources read. A view's source is
 * `web/<name>/main.ts` (its CSS imported from there); it is built to `dist/<name>.html`.
 */
export interface ViewInfo {
  /** The folder under web/ and the last part of its URI. */
  name: string;
  title: string;
  description: string;
}

export const VIEWS = [
  {
    name: "records",
    title: "Odoo records",
    description:
      "A search result as a table: names of linked records, money and dates in your language, sortable columns, " +
      "more pages and more columns, each row opening the record in Odoo.",
  },
  {
    name: "confirm",
    title: "Confirm an Odoo change",
    description:
      "Before a delete or a workflow button (validating a transfer, confirming an order): what will happen and on " +
      "which records; it runs only when you confirm.",
  },
  {
    name: "report",
    title: "Odoo report",
    description: "A record's PDF report: a preview of its first page and its download link.",
  },
  {
    name: "totals",
    title: "Odoo totals",
    description:
      "Grouped totals as a bar chart with its table beneath, in your language; a bar or a row opens the records behind it.",
  },
  {
    name: "record",
    title: "Odoo record",
    description:
      "One record with its fields under their labels, its last chatter messages, its attachments and its PDF, " +
      "and a link that opens it in Odoo.",
  },
] as const satisfies readonly ViewInfo[];

export type ViewName = (typeof VIEWS)[number]["name"];

/** The MCP Apps resource a view is served as. */
export const viewUri = (name: ViewName) => `ui://odoo/${name}`;
