/** The shared view kit: import everything a view needs from here. */
export { HostError, type ToolResult, textOf, ViewBridge } from "./bridge.js";
export { cellText, NUMERIC_TYPES, SHOWABLE_TYPES } from "./cells.js";
export { Formatter } from "./format.js";
export { COMMON, fill, type Language, languageOf, type Translations } from "./i18n.js";
export { fullscreenButton, h, placeholder, startView, type ViewKit, type ViewOptions } from "./view.js";

import "./base.css";
