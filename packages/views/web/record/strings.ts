/** The Record view's words, in English and Spanish. */
import type { Translations } from "../shared/index.js";

const en = {
  pick: "Record",
  openInOdoo: "Open in Odoo",
  report: "Get the PDF",
  reportReady: "Download {name} (PDF)",
  fields: "Details",
  moreFields: "Show {count} more fields",
  fewerFields: "Show fewer fields",
  messages: "Last messages",
  noMessages: "No messages yet.",
  attachments: "Attachments",
  noAttachments: "No files attached.",
  linksExpire: "Download links work for a few minutes, for you only.",
  download: "Download {name}",
  loading: "Loading…",
  empty: "No such record: it does not exist or was deleted.",
};

export const STRINGS: Translations<keyof typeof en> = {
  en,
  es: {
    pick: "Registro",
    openInOdoo: "Abrir en Odoo",
    report: "Obtener el PDF",
    reportReady: "Descargar {name} (PDF)",
    fields: "Detalles",
    moreFields: "Ver {count} campos más",
    fewerFields: "Ver menos campos",
    messages: "Últimos mensajes",
    noMessages: "Aún no hay mensajes.",
    attachments: "Adjuntos",
    noAttachments: "No hay archivos adjuntos.",
    linksExpire: "Los enlaces de descarga funcionan unos minutos, solo para ti.",
    download: "Descargar {name}",
    loading: "Cargando…",
    empty: "Ese registro no existe o se eliminó.",
  },
};
