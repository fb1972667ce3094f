/**
 * The view's side of MCP Apps (`io.modelcontextprotocol/ui`, revision 2026-01-26): JSON-RPC 2.0 over
 * postMessage with the host window. It does what `@modelcontextprotocol/ext-apps`' `App` does for a view
 * — the `ui/initialize` handshake, the tool input and result notifications, host context changes, size
 * reports, tool calls, open-link and display-mode requests — in a few kilobytes: `App` brings the MCP
 * SDK's Protocol and zod with it, over 100 KB gzipped once bundled, where a view has 60 KB in all. The
 * messages are ext-apps' own types, and the tests run every view against ext-apps' `AppBridge`, which
 * validates each message it receives.
 */
import type {
  McpUiAppCapabilities,
  McpUiDisplayMode,
  McpUiHostCapabilities,
  McpUiHostContext,
  McpUiInitializeResult,
} from "@modelcontextprotocol/ext-apps";

/** The revision of the extension this view speaks. */
const PROTOCOL_VERSION = "2026-01-26";

/** A tool result as MCP gives it (ext-apps re-exports the SDK's type; this is the part views read). */
export interface ToolResult {
  content?: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

/** A result's text, as a person reads an error or a refusal. */
export const resultText = (result: ToolResult) =>
  (result.content ?? [])
    .map((block) => block.text ?? "")
    .join("\n")
    .trim() || "(no text)";

interface RpcMessage {
  jsonrpc: "2.0";
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/** A request the host answered with a JSON-RPC error. */
export class HostError extends Error {
  override name = "HostError";

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ViewHandlers {
  /** The arguments the tool was called with (sent once, before the result). */
  toolInput?(args: Record<string, unknown>): void;
  /** The tool's result, as the server answered it. */
  toolResult?(result: ToolResult): void;
  /** The tool call was cancelled: the view shows that no result is coming. */
  toolCancelled?(reason: string | undefined): void;
  /** The host context after a change, merged with what was known (theme, locale, display mode…). */
  hostContextChanged?(context: McpUiHostContext): void;
}

export class ViewBridge {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(result: Record<string, unknown>): void; reject(error: Error): void }
  >();
  hostContext: McpUiHostContext = {};
  hostCapabilities: McpUiHostCapabilities = {};

  constructor(
    private readonly appInfo: { name: string; version: string },
    private readonly handlers: ViewHandlers,
    private readonly appCapabilities: McpUiAppCapabilities = { availableDisplayModes: ["inline", "fullscreen"] },
  ) {
    window.addEventListener("message", (event) => {
      // Only the host may talk to the view: any other window's message is ignored.
      if (event.source === window.parent) this.receive(event.data as RpcMessage);
    });
  }

  /** The `ui/initialize` handshake; the host's context and capabilities are known once it resolves. */
  async connect(): Promise<void> {
    const result = (await this.request("ui/initialize", {
      appInfo: this.appInfo,
      appCapabilities: this.appCapabilities,
      protocolVersion: PROTOCOL_VERSION,
    })) as McpUiInitializeResult;
    this.hostContext = result.hostContext ?? {};
    this.hostCapabilities = result.hostCapabilities ?? {};
    this.notify("ui/notifications/initialized", {});
    this.reportSize();
  }

  /** Calls one of the server's tools through the host: the same connection, token and limits as the model's. */
  async callTool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    return (await this.request("tools/call", { name, arguments: args })) as ToolResult;
  }

  /** Asks the host to open a link (in a browser tab); false when it refused or cannot. */
  async openLink(url: string): Promise<boolean> {
    if (!this.hostCapabilities.openLinks) return false;
    const result = await this.request("ui/open-link", { url }).catch(() => ({ isError: true }));
    return result.isError !== true;
  }

  /** Asks for a display mode the host offers; resolves to the mode it actually set. */
  async requestDisplayMode(mode: McpUiDisplayMode): Promise<McpUiDisplayMode | undefined> {
    if (!this.hostContext.availableDisplayModes?.includes(mode)) return this.hostContext.displayMode;
    const result = await this.request("ui/request-display-mode", { mode });
    return result.mode as McpUiDisplayMode;
  }

  private request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ jsonrpc: "2.0", id, method, params });
    });
  }

  private notify(method: string, params: Record<string, unknown>): void {
    this.post({ jsonrpc: "2.0", method, params });
  }

  private post(message: RpcMessage): void {
    // The view's origin is the host's sandbox, unknown to it: "*" as ext-apps' PostMessageTransport sends.
    window.parent.postMessage(message, "*");
  }

  private receive(message: RpcMessage): void {
    if (message?.jsonrpc !== "2.0") return;
    if (message.method === undefined) {
      const waiting = typeof message.id === "number" ? this.pending.get(message.id) : undefined;
      if (!waiting) return;
      this.pending.delete(message.id as number);
      if (message.error) waiting.reject(new HostError(message.error.code, message.error.message));
      else waiting.resolve(message.result ?? {});
      return;
    }
    if (message.id !== undefined) this.answer(message.id, message.method);
    else this.notified(message.method, message.params ?? {});
  }

  /** The host's requests: ping and teardown are answered; anything else is a method this view lacks. */
  private answer(id: string | number, method: string): void {
    if (method === "ping" || method === "ui/resource-teardown") this.post({ jsonrpc: "2.0", id, result: {} });
    else this.post({ jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${method}` } });
  }

  private notified(method: string, params: Record<string, unknown>): void {
    switch (method) {
      case "ui/notifications/tool-input":
        this.handlers.toolInput?.((params.arguments as Record<string, unknown> | undefined) ?? {});
        break;
      case "ui/notifications/tool-result":
        this.handlers.toolResult?.(params as ToolResult);
        break;
      case "ui/notifications/tool-cancelled":
        this.handlers.toolCancelled?.(params.reason as string | undefined);
        break;
      case "ui/notifications/host-context-changed":
        this.hostContext = { ...this.hostContext, ...params };
        this.handlers.hostContextChanged?.(this.hostContext);
        break;
    }
  }

  /**
   * Tells the host the view's size whenever it changes, as ext-apps' App does: the height the content
   * needs (measured at max-content, so it can shrink too) and the window's width.
   */
  private reportSize(): void {
    let scheduled = false;
    let last = "";
    const measure = () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        const root = document.documentElement;
        const height = root.style.height;
        root.style.height = "max-content";
        const size = { width: Math.ceil(window.innerWidth), height: Math.ceil(root.getBoundingClientRect().height) };
        root.style.height = height;
        if (`${size.width}x${size.height}` === last) return;
        last = `${size.width}x${size.height}`;
        this.notify("ui/notifications/size-changed", size);
      });
    };
    const observer = new ResizeObserver(measure);
    observer.observe(document.documentElement);
    observer.observe(document.body);
    measure();
  }
}
