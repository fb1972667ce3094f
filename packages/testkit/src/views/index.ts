/**
 * Views (MCP Apps) in real Chromium, as a web host shows them: a host page built on ext-apps' AppBridge
 * (../../web/view-host.ts) puts the view's HTML from resources/read into a sandboxed iframe under its CSP,
 * feeds it a real tool result, and forwards every tool call the view makes to the real MCP server with
 * the test's token. The test reads what happened: the calls, the links the view asked to open, what it
 * told the model, console errors, and every network request the page made (a view talks only through the
 * bridge, so none).
 */
import { fileURLToPath } from "node:url";
import type { McpUiHostContext, McpUiResourceCsp } from "@modelcontextprotocol/ext-apps";
import { build } from "esbuild";
import type { Browser, FrameLocator, Page } from "playwright-core";
import { expect } from "vitest";
import { launchChromium, screenshotPath } from "../chromium.js";
import { mcpRequest } from "../mcp.js";
import { connectorTokens, startTestSystem, type TestSystem } from "../system.js";

/** A view as resources/read serves it. */
export interface ViewResource {
  uri: string;
  mimeType: string;
  html: string;
  csp: McpUiResourceCsp | undefined;
  meta: Record<string, unknown> | undefined;
}

/** A JSON-RPC answer's result, or an Error carrying its JSON-RPC error. */
async function rpcResult(response: Response): Promise<Record<string, unknown>> {
  const body = (await response.json()) as { result?: Record<string, unknown>; error?: { message: string } };
  if (body.error || !body.result) throw new Error(`MCP error: ${body.error?.message ?? response.status}`);
  return body.result;
}

/** Reads a view from the MCP server with a bearer token, as a host does before showing it. */
export async function readView(mcpUrl: string, token: string, uri: string): Promise<ViewResource> {
  const result = await rpcResult(await mcpRequest(mcpUrl, token, "resources/read", { uri }));
  const [content] = result.contents as {
    uri: string;
    mimeType: string;
    text: string;
    _meta?: Record<string, unknown>;
  }[];
  if (!content) throw new Error(`${uri}: no contents`);
  const ui = content._meta?.ui as { csp?: McpUiResourceCsp } | undefined;
  return { uri: content.uri, mimeType: content.mimeType, html: content.text, csp: ui?.csp, meta: content._meta };
}

/** Calls a tool on the MCP server with a bearer token: what a host does for the model and for its views. */
export async function callMcpTool(mcpUrl: string, token: string, name: string, args: Record<string, unknown>) {
  return rpcResult(await mcpRequest(mcpUrl, token, "tools/call", { name, arguments: args }));
}

/**
 * A tools/call as a host that renders views sends it in 2026-07-28: the revision and the client's
 * capabilities, MCP Apps among them, in the request's `_meta`, and the headers that repeat the body.
 */
export async function callMcpToolFromViewHost(
  mcpUrl: string,
  token: string,
  name: string,
  args: Record<string, unknown>,
) {
  const response = await fetch(mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": "2026-07-28",
      "mcp-method": "tools/call",
      "mcp-name": name,
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: {
        name,
        arguments: args,
        _meta: {
          "io.modelcontextprotocol/protocolVersion": "2026-07-28",
          "io.modelcontextprotocol/clientCapabilities": {
            extensions: { "io.modelcontextprotocol/ui": { mimeTypes: ["text/html;profile=mcp-app"] } },
          },
        },
      },
    }),
  });
  return rpcResult(response);
}

export interface ViewCall {
  name: string;
  arguments: Record<string, unknown>;
  result: Record<string, unknown>;
}

export interface RenderOptions {
  view: ViewResource;
  /** The call the host made for the model, and its result: what the view is shown. */
  toolInput: Record<string, unknown>;
  toolResult: Record<string, unknown>;
  /** Where the view's own tool calls go (callMcpTool with the test's token). */
  forward(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>>;
  width: number;
  theme: "light" | "dark";
  /** BCP 47, e.g. "en-US", "es-ES". */
  locale: string;
  timeZone?: string;
}

export interface RenderedView {
  page: Page;
  /** The view's document, inside the sandboxed iframe. */
  frame: FrameLocator;
  /** Each tool call the view made through the bridge, with the server's answer. */
  calls: ViewCall[];
  /** The URLs the view asked the host to open. */
  openedLinks: string[];
  /** What the view told the model, in order (ui/update-model-context or ui/message, and the text). */
  toldModel: { method: string; text: string }[];
  consoleErrors: string[];
  /** Every network request the page made after the host page was in place: the view's, if any. */
  requests: string[];
  /** A full-page screenshot in test-results/screenshots/<name>.png; its path. */
  screenshot(name: string): Promise<string>;
  changeHostContext(context: McpUiHostContext): Promise<void>;
  close(): Promise<void>;
}

/** What the host page's script (../../web/view-host.ts) adds to its window. */
interface HostWindow {
  renderView(request: unknown): Promise<void>;
  changeHostContext(context: unknown): void;
}
const HOST_SCRIPT = fileURLToPath(new URL("../../web/view-host.ts", import.meta.url));
let hostScript: Promise<string> | undefined;

/** The host page's script, bundled with ext-apps' AppBridge once per process. */
function hostPageScript(): Promise<string> {
  hostScript ??= build({
    entryPoints: [HOST_SCRIPT],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
  }).then((result) => (result.outputFiles[0] as { text: string }).text);
  return hostScript;
}

const hostPage = (script: string, theme: "light" | "dark") => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test host</title>
<style>body{margin:0;padding:16px;background:${theme === "dark" ? "#212121" : "#ffffff"}}
iframe{display:block;width:100%;border:1px solid #8884;border-radius:12px;height:120px}</style></head>
<body><iframe id="view" sandbox="allow-scripts" title="Odoo view"></iframe>
<script>${script.replace(/<\/script/gi, "<\\/script")}</script></body></html>`;

/** Shows a view in a new page of `browser`, at `width` px, in `theme` and `locale`, fed with a tool result. */
export async function renderView(browser: Browser, options: RenderOptions): Promise<RenderedView> {
  const context = await browser.newContext({
    viewport: { width: options.width, height: 900 },
    colorScheme: options.theme,
    locale: options.locale,
    ...(options.timeZone ? { timezoneId: options.timeZone } : {}),
  });
  const page = await context.newPage();
  const rendered: RenderedView = {
    page,
    frame: page.frameLocator("#view"),
    calls: [],
    openedLinks: [],
    toldModel: [],
    consoleErrors: [],
    requests: [],
    screenshot: async (name) => {
      const path = screenshotPath(name);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    changeHostContext: (change) =>
      page.evaluate((value) => (globalThis as unknown as HostWindow).changeHostContext(value), change as unknown),
    close: () => context.close(),
  };
  page.on("console", (message) => {
    if (message.type() === "error") rendered.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => rendered.consoleErrors.push(error.message));
  await page.exposeFunction(
    "viewCallTool",
    async ({ name, arguments: args = {} }: { name: string; arguments?: Record<string, unknown> }) => {
      const result = await options.forward(name, args);
      rendered.calls.push({ name, arguments: args, result });
      return result;
    },
  );
  await page.exposeFunction("viewOpenLink", (url: string) => {
    rendered.openedLinks.push(url);
  });
  await page.exposeFunction("viewToldModel", (told: { method: string; text: string }) => {
    rendered.toldModel.push(told);
  });
  await page.setContent(hostPage(await hostPageScript(), options.theme));
  page.on("request", (request) => rendered.requests.push(request.url()));
  const hostContext: McpUiHostContext = {
    theme: options.theme,
    locale: options.locale,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    displayMode: "inline",
    availableDisplayModes: ["inline", "fullscreen"],
    platform: "web",
    containerDimensions: { maxHeight: 4000 },
  };
  const request: unknown = {
    html: options.view.html,
    csp: options.view.csp,
    hostContext,
    toolInput: options.toolInput,
    toolResult: options.toolResult,
  };
  await page.evaluate((value) => (globalThis as unknown as HostWindow).renderView(value), request);
  return rendered;
}

/**
 * What a view made of its host context: its document's language, whether its background is dark, and
 * whether its content fits the width (nothing scrolls sideways).
 */
export async function viewAppearance(
  frame: FrameLocator,
): Promise<{ lang: string | null; dark: boolean; fits: boolean }> {
  const html = frame.locator("html");
  const background = await frame
    .locator("body")
    .evaluate((body) => body.ownerDocument.defaultView?.getComputedStyle(body).backgroundColor ?? "");
  const [red = 0, green = 0, blue = 0] = (background.match(/\d+/g) ?? []).map(Number);
  return {
    lang: await html.getAttribute("lang"),
    dark: (red + green + blue) / 3 < 128,
    fits: await html.evaluate((root) => root.scrollWidth <= root.clientWidth),
  };
}

/** A tool call as a test makes it: to one MCP server, with one token, as one kind of client. */
export type ToolCaller = (name: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

export interface ShowViewOptions extends Partial<Omit<RenderOptions, "view" | "toolInput" | "toolResult" | "forward">> {
  view: ViewResource;
  /** The tool the model calls, and its arguments: the view is shown what the call returns. */
  tool: string;
  args: Record<string, unknown>;
  /** How the model's call reaches the server: callMcpTool with a token, or callMcpToolFromViewHost. */
  call: ToolCaller;
  /** Where the view's own calls go; `call` when not given. */
  forward?: ToolCaller;
}

/** A shown view, with the tool result it was fed, which tests read their expectations from. */
export type ShownView = RenderedView & { toolResult: Record<string, unknown> };

/**
 * Shows a view the way a host does after the model's call: the call first, then the view fed with its
 * arguments and result. Unless a test says otherwise, at 1280 px, light, en-US and Europe/Madrid, so that
 * what a test does not vary stays the same from one run and machine to the next.
 */
export async function showView(browser: Browser, options: ShowViewOptions): Promise<ShownView> {
  const { view, tool, args, call, forward = call, ...appearance } = options;
  const toolResult = await call(tool, args);
  const rendered = await renderView(browser, {
    view,
    toolInput: args,
    toolResult,
    forward,
    width: 1280,
    theme: "light",
    locale: "en-US",
    timeZone: "Europe/Madrid",
    ...appearance,
  });
  return Object.assign(rendered, { toolResult });
}

/**
 * The width, theme and locale every view is checked at: wide and narrow, light and dark, English and
 * Spanish, each value at least twice, in four renders rather than all eight.
 */
export const VIEW_APPEARANCES = [
  [1280, "light", "en-US"],
  [1280, "dark", "es-ES"],
  [390, "dark", "en-US"],
  [390, "light", "es-ES"],
] as const;

/**
 * Runs a test's checks on a shown view, then holds it to what every view owes its host: no console error
 * and no network request of its own (it talks only through the bridge). The view is closed whatever
 * happens, so a failed check leaves no browser context behind.
 */
export async function checkView(shown: RenderedView, check: () => Promise<void>): Promise<void> {
  try {
    await check();
    expect(shown.consoleErrors).toEqual([]);
    expect(shown.requests).toEqual([]);
  } finally {
    await shown.close();
  }
}

/** A whole system a view suite calls as ChatGPT's connector does: its servers, the token, and calls with it. */
export interface ViewSystem {
  system: TestSystem;
  token: string;
  /** tools/call with the connector's token, as the model's calls and the views' own reach the server. */
  call: ToolCaller;
  close(): Promise<void>;
}

/** Starts a system in service mode with `env` (the Odoo of systemOdoo, limits…) and connects ChatGPT's connector. */
export async function startViewSystem(env: Record<string, string>): Promise<ViewSystem> {
  const system = await startTestSystem({ ODOO_AUTH_MODE: "service", ...env });
  const token = (await connectorTokens(system)).tokens.access_token;
  return {
    system,
    token,
    call: (name, args) => callMcpTool(system.mcpUrl, token, name, args),
    close: () => system.close(),
  };
}

/** What a view suite works with: its system, the view as a host reads it, and the Chromium it is shown in. */
export interface ViewTestbed extends ViewSystem {
  view: ViewResource;
  browser: Browser;
}

/** A view suite's set-up: the system (startViewSystem), the view `uri` read through it, and Chromium; one close for all. */
export async function startViewTestbed(uri: string, env: Record<string, string>): Promise<ViewTestbed> {
  const viewSystem = await startViewSystem(env);
  try {
    const view = await readView(viewSystem.system.mcpUrl, viewSystem.token, uri);
    const browser = await launchChromium();
    const close = async () => {
      await browser.close();
      await viewSystem.close();
    };
    return { ...viewSystem, view, browser, close };
  } catch (error) {
    await viewSystem.close();
    throw error;
  }
}
