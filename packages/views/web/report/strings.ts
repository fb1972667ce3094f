/** The Report view's words, in English and Spanish. */
import type { Translations } from "../shared/index.js";

const en = {
  records: "{model}, {count} record(s)",
  size: "PDF, {size} KB",
  expires: "The link works for you until {time}.",
  download: "Download the PDF",
  downloadFailed: "The host did not open the link; copy it: {url}",
  firstPage: "First page",
  previewLoading: "Preparing the preview…",
  previewFailed: "No preview: {message}",
  previewLabel: "Preview of the first page of {report}",
};

export const STRINGS: Translations<keyof typeof en> = {
  en,
  es: {
    records: "{model}, {count} registro(s)",
    size: "PDF, {size} KB",
    expires: "El enlace funciona para ti hasta las {time}.",
    download: "Descargar el PDF",
    downloadFailed: "El anfitrión no abrió el enlace; cópialo: {url}",
    firstPage: "Primera página",
    previewLoading: "Preparando la vista previa…",
    previewFailed: "Sin vista previa: {message}",
    previewLabel: "Vista previa de la primera página de {report}",
  },
};
