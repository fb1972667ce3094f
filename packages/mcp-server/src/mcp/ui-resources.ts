/**
 * MCP Apps (`io.modelcontextprotocol/ui`, revision 2026-01-26) on the server's side: the views of
 * @odoo-mcp/views served as `ui://odoo/<view>` resources of type `text/html;profile=mcp-app`, with their
 * `_meta.ui`: a CSP that allows no outside origin at all (the views are self-contained and talk only
 * through the host) and a border preference. Tools name their view in their own `_meta` (tools/index.ts).
 *
 * Hosts find a view from the tool that names it and read it with resources/read, which answers every
 * client. resources/list names the views only to a client that declared the extension with this MIME
 * type: the spec lets servers leave UI-only resources out of the list, and a client without the extension
 * sees the list it always saw. A 2026-07-28 request carries its client's capabilities; an initialize-era
 * request does not (the handshake was another, stateless request), so those clients get today's list.
 */
import type { ReadResourceResult, Resource } from "@modelcontextprotocol/sdk/types.js";
import { loadViews, VIEWS, type ViewName, viewUri } from "@odoo-mcp/views";

export const UI_EXTENSION = "io.modelcontextprotocol/ui";
export const UI_MIME_TYPE = "text/html;profile=mcp-app";

/** Every view's `_meta.ui`: no connect, resource, frame or base-URI origin; a border around the table or chart. */
const UI_RESOURCE_META = {
  ui: {
    csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] },
    prefersBorder: true,
  },
} as const;

/** Whether a client's capabilities declare MCP Apps with HTML views (the extension's `mimeTypes`). */
export function declaresUi(capabilities: unknown): boolean {
  const extension = (capabilities as { extensions?: Record<string, unknown> } | undefined)?.extensions?.[UI_EXTENSION];
  const mimeTypes = (extension as { mimeTypes?: unknown } | undefined)?.mimeTypes;
  return Array.isArray(mimeTypes) && mimeTypes.includes(UI_MIME_TYPE);
}

export const isUiUri = (uri: string) => uri.startsWith("ui://");

export const UI_RESOURCES: Resource[] = VIEWS.map((view) => ({
  uri: viewUri(view.name),
  name: `odoo-${view.name}-view`,
  title: view.title,
  description: view.description,
  mimeType: UI_MIME_TYPE,
  _meta: UI_RESOURCE_META,
}));

/** A view's HTML, or undefined when no view has this URI. */
export async function readUiResource(uri: string): Promise<ReadResourceResult | undefined> {
  const view = VIEWS.find((each) => viewUri(each.name) === uri);
  if (!view) return undefined;
  const html = (await loadViews()).get(view.name as ViewName) as string;
  return { contents: [{ uri, mimeType: UI_MIME_TYPE, text: html, _meta: UI_RESOURCE_META }] };
}
