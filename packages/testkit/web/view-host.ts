/**
 * The test host page's script (bundled by ../src/views/host.ts): what a web host such as ChatGPT or
 * Claude does with a view, built on ext-apps' own host side. The view's HTML goes into a sandboxed iframe
 * (`allow-scripts` only, so an opaque origin apart from the host's) under the CSP the spec builds from
 * the resource's `_meta.ui.csp`; an `AppBridge` connects to it, sends the host context, the tool input and
 * result, and hands the view's tool calls, open-link requests and what it tells the model to the test
 * (functions the test exposed).
 */
import type { McpUiHostContext, McpUiResourceCsp } from "@modelcontextprotocol/ext-apps";
import { AppBridge, PostMessageTransport } from "@modelcontextprotocol/ext-apps/app-bridge";

export interface RenderRequest {
  html: string;
  csp: McpUiResourceCsp | undefined;
  hostContext: McpUiHostContext;
  toolInput: Record<string, unknown>;
  toolResult: Record<string, unknown>;
}

/** What the test exposes to the page (Playwright's exposeFunction). */
interface TestSide {
  viewCallTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<Record<string, unknown>>;
  viewOpenLink(url: string): Promise<void>;
  /** What the view told the model (ui/update-model-context or ui/message), as its text. */
  viewToldModel(told: { method: string; text: string }): Promise<void>;
}

declare global {
  interface Window extends TestSide {
    renderView(request: RenderRequest): Promise<void>;
    changeHostContext(context: McpUiHostContext): void;
  }
}

/** MCP Apps' CSP for a view ("Content Security Policy Enforcement"), from the domains it declares. */
function contentSecurityPolicy(csp: McpUiResourceCsp | undefined): string {
  const list = (domains: string[] | undefined, fallback = "") => domains?.join(" ") || fallback;
  const resources = list(csp?.resourceDomains);
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${resources}`,
    `style-src 'self' 'unsafe-inline' ${resources}`,
    `connect-src 'self' ${list(csp?.connectDomains)}`,
    `img-src 'self' data: ${resources}`,
    `font-src 'self' ${resources}`,
    `media-src 'self' data: ${resources}`,
    `frame-src ${list(csp?.frameDomains, "'none'")}`,
    "object-src 'none'",
    `base-uri ${list(csp?.baseUriDomains, "'self'")}`,
  ].join("; ");
}

const withPolicy = (html: string, policy: string) =>
  html.replace(
    /<head>/i,
    `<head><meta http-equiv="Content-Security-Policy" content="${policy.replace(/"/g, "&quot;")}">`,
  );

let bridge: AppBridge | undefined;

window.renderView = async ({ html, csp, hostContext, toolInput, toolResult }) => {
  const iframe = document.getElementById("view") as HTMLIFrameElement;
  const view = iframe.contentWindow as Window;
  bridge = new AppBridge(
    null,
    { name: "odoo-mcp test host", version: "1.0.0" },
    { openLinks: {}, serverTools: {}, logging: {}, updateModelContext: { text: {} }, message: { text: {} } },
    { hostContext },
  );
  bridge.oncalltool = async (params) => (await window.viewCallTool(params)) as never;
  bridge.onopenlink = async ({ url }) => {
    await window.viewOpenLink(url);
    return {};
  };
  const textOf = (content: { type: string; text?: string }[] | undefined) =>
    (content ?? []).map((block) => block.text ?? "").join("\n");
  bridge.onupdatemodelcontext = async ({ content }) => {
    await window.viewToldModel({ method: "ui/update-model-context", text: textOf(content) });
    return {};
  };
  bridge.onmessage = async ({ content }) => {
    await window.viewToldModel({ method: "ui/message", text: textOf(content) });
    return {};
  };
  bridge.onrequestdisplaymode = async ({ mode }) => ({
    mode: hostContext.availableDisplayModes?.includes(mode) ? mode : (hostContext.displayMode ?? "inline"),
  });
  bridge.onsizechange = ({ height }) => {
    if (height !== undefined) iframe.style.height = `${height}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    (bridge as AppBridge).oninitialized = () => resolve();
  });
  await bridge.connect(new PostMessageTransport(view, view));
  iframe.srcdoc = withPolicy(html, contentSecurityPolicy(csp));
  const late = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("the view sent no ui/initialize within 10 s")), 10_000),
  );
  await Promise.race([initialized, late]);
  await bridge.sendToolInput({ arguments: toolInput });
  await bridge.sendToolResult(toolResult as never);
};

window.changeHostContext = (context) => bridge?.setHostContext(context);
