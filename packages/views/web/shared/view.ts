/**
 * What every view starts with: the bridge to the host, and the host's context applied to the page —
 * light or dark theme, the host's CSS variables, the language and locale, the display mode — again on
 * every change. A view gives its name and strings and a `render` that draws from its own state; it reads
 * the current language, formatter and strings from the kit.
 */
import type { McpUiHostContext } from "@modelcontextprotocol/ext-apps";
import { type ToolResult, textOf, ViewBridge } from "./bridge.js";
import { Formatter } from "./format.js";
import { COMMON, type Language, languageOf, type Translations } from "./i18n.js";

export interface ViewOptions<Keys extends string> {
  /** The app name the view gives the host (`appInfo.name`). */
  name: string;
  strings: Translations<Keys>;
  /** The tool's arguments arrived (they are in `kit.input` too). */
  toolInput?(args: Record<string, unknown>): void;
  /** The tool's result arrived, and it is no error (an error is in `kit.failure`, and drawn by `placeholder`). */
  toolResult?(result: ToolResult): void;
  /** Draws the view into `kit.root` from the view's state: after connecting, and on every context change. */
  render(): void;
}

export interface ViewKit<Keys extends string> {
  bridge: ViewBridge;
  /** The element the view draws into. */
  root: HTMLElement;
  language: Language;
  /** The view's strings in the current language, and the common ones. */
  text: Record<Keys, string> & (typeof COMMON)["en"];
  format: Formatter;
  /** Set when the call was cancelled (the host said so). */
  cancelled: boolean;
  /** The arguments the tool was called with. */
  input: Record<string, unknown>;
  /** The tool's error, when its result was one. */
  failure?: string;
  /**
   * Draws `nodes` as the whole view, keeping the keyboard where it was: the element that had focus
   * (found again by its id, else by its place) has it again, so a redraw (a preview arriving, a page
   * turned) never throws a keyboard user back to the start.
   */
  draw(...nodes: (Node | null)[]): void;
}

/** The host's style variables are only ever CSS custom properties (`--…`) with plain values. */
const SAFE_VARIABLE = /^--[a-z0-9-]+$/;

function applyHostContext(context: McpUiHostContext): void {
  const root = document.documentElement;
  const theme = context.theme ?? (window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
  root.dataset.displayMode = context.displayMode ?? "inline";
  for (const [name, value] of Object.entries(context.styles?.variables ?? {})) {
    if (SAFE_VARIABLE.test(name) && typeof value === "string") root.style.setProperty(name, value);
  }
  const insets = context.safeAreaInsets;
  if (insets) root.style.padding = `${insets.top}px ${insets.right}px ${insets.bottom}px ${insets.left}px`;
}

type Place = { id: string } | { path: number[] };

function placeOf(root: HTMLElement, element: Element): Place {
  if (element.id) return { id: element.id };
  const path: number[] = [];
  for (let node: Element | null = element; node && node !== root; node = node.parentElement)
    path.unshift(Array.prototype.indexOf.call(node.parentElement?.children ?? [], node));
  return { path };
}

function elementAt(root: HTMLElement, place: Place): HTMLElement | undefined {
  if ("id" in place) return document.getElementById(place.id) ?? undefined;
  let node: Element | undefined = root;
  for (const index of place.path) node = node?.children[index];
  return node instanceof HTMLElement ? node : undefined;
}

/** Connects to the host and keeps the kit in step with its context; the view's handlers do the rest. */
export function startView<Keys extends string>(options: ViewOptions<Keys>): ViewKit<Keys> {
  const root = document.getElementById("view") as HTMLElement;
  const kit = {} as ViewKit<Keys>;
  const contextChanged = (context: McpUiHostContext) => {
    const locale = context.locale ?? navigator.language;
    kit.language = languageOf(locale);
    kit.text = { ...COMMON[kit.language], ...options.strings[kit.language] };
    kit.format = new Formatter(locale, context.timeZone);
    document.documentElement.lang = kit.language;
    applyHostContext(context);
  };
  kit.root = root;
  kit.draw = (...nodes) => {
    const focused = document.activeElement;
    const place = focused && focused !== root && root.contains(focused) ? placeOf(root, focused) : undefined;
    root.replaceChildren(...nodes.filter((node): node is Node => node !== null));
    if (place) elementAt(root, place)?.focus();
  };
  kit.cancelled = false;
  kit.input = {};
  kit.bridge = new ViewBridge(
    { name: options.name, version: "1.0.0" },
    {
      toolInput: (args) => {
        kit.input = args;
        options.toolInput?.(args);
      },
      toolResult: (result) => {
        if (!result.isError) return options.toolResult?.(result);
        kit.failure = textOf(result);
        options.render();
      },
      toolCancelled: () => {
        kit.cancelled = true;
        options.render();
      },
      hostContextChanged: (context) => {
        contextChanged(context);
        options.render();
      },
    },
  );
  contextChanged({});
  // The first drawing once the view's module has its kit (startView returns before it runs).
  queueMicrotask(options.render);
  void kit.bridge.connect().then(() => {
    contextChanged(kit.bridge.hostContext);
    options.render();
  });
  return kit;
}

/** Builds an element: `h("button", { type: "button", onclick }, "Next")`. Text is always text, never HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<Omit<HTMLElementTagNameMap[K], "style">> & {
    class?: string;
    attrs?: Record<string, string>;
  } = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const { class: className, attrs, ...rest } = properties;
  const element = Object.assign(document.createElement(tag), rest);
  if (className) element.className = className;
  for (const [name, value] of Object.entries(attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** A button asking the host for full screen, when it offers that and the view is not already so. */
export function fullscreenButton(kit: ViewKit<string>): HTMLButtonElement | null {
  const context = kit.bridge.hostContext;
  if (!context.availableDisplayModes?.includes("fullscreen") || context.displayMode === "fullscreen") return null;
  return h(
    "button",
    { type: "button", onclick: () => void kit.bridge.requestDisplayMode("fullscreen") },
    kit.text.fullscreen,
  );
}

/** What a view shows before it has its result: the tool's error, a cancelled call, or that it waits. */
export function placeholder(kit: ViewKit<string>): HTMLElement {
  if (kit.failure !== undefined)
    return h("p", { class: "danger", attrs: { role: "alert" } }, `${kit.text.failed} ${kit.failure}`);
  return h("p", { class: "muted" }, kit.cancelled ? kit.text.cancelled : kit.text.loading);
}
