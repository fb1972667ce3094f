/**
 * The languages views speak and how a host's locale picks one: Spanish for any `es…` locale, English
 * otherwise. Each view keeps its own strings, one object per language with the same keys (the type
 * checks that), and the words every view needs are here.
 */
export type Language = "en" | "es";

export type Strings<Keys extends string> = Record<Keys, string>;

/** A view's strings in every language. */
export type Translations<Keys extends string> = Record<Language, Strings<Keys>>;

export const languageOf = (locale: string | undefined): Language =>
  locale?.toLowerCase().startsWith("es") ? "es" : "en";

/** Words every view uses. */
export const COMMON = {
  en: {
    loading: "Waiting for the result…",
    cancelled: "The call was cancelled; nothing to show.",
    failed: "Odoo did not answer this request:",
    yes: "Yes",
    no: "No",
    retry: "Try again",
    linked: "{count} linked",
    fullscreen: "Full screen",
    callFailed: "The request failed: {message}",
    openFailed: "The host did not open the link: {url}",
  },
  es: {
    loading: "Esperando el resultado…",
    cancelled: "La llamada se canceló; no hay nada que mostrar.",
    failed: "Odoo no respondió a esta petición:",
    yes: "Sí",
    no: "No",
    retry: "Reintentar",
    linked: "{count} vinculados",
    fullscreen: "Pantalla completa",
    callFailed: "La petición falló: {message}",
    openFailed: "El anfitrión no abrió el enlace: {url}",
  },
} satisfies Translations<string>;

/** A sentence with `{name}` placeholders filled in. */
export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
