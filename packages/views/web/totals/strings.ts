/** The Totals view's words, in English and Spanish. */
import type { Translations } from "../shared/index.js";

const en = {
  count: "Count",
  none: "None",
  sum: "{label} (sum)",
  avg: "{label} (average)",
  min: "{label} (lowest)",
  max: "{label} (highest)",
  other: "{label} ({fn})",
  caption: "{measure} by {groups}",
  summary:
    "Bar chart of {measure} by {groups}, {count} groups. Highest: {top} ({topValue}). The table below lists every group.",
  summaryEmpty: "No group matches.",
  measure: "Chart shows",
  open: "Show the records of {group}",
  records: "Records of {group}",
  shown: "First {shown} of {count}",
  allShown: "{count} records",
  oneShown: "1 record",
  close: "Close",
  openRecord: "Open {name} in Odoo",
  loading: "Loading…",
};

export const STRINGS: Translations<keyof typeof en> = {
  en,
  es: {
    count: "Cantidad",
    none: "Ninguno",
    sum: "{label} (suma)",
    avg: "{label} (promedio)",
    min: "{label} (mínimo)",
    max: "{label} (máximo)",
    other: "{label} ({fn})",
    caption: "{measure} por {groups}",
    summary:
      "Gráfico de barras de {measure} por {groups}, {count} grupos. El mayor: {top} ({topValue}). La tabla de abajo lista todos los grupos.",
    summaryEmpty: "Ningún grupo coincide.",
    measure: "El gráfico muestra",
    open: "Ver los registros de {group}",
    records: "Registros de {group}",
    shown: "Los primeros {shown} de {count}",
    allShown: "{count} registros",
    oneShown: "1 registro",
    close: "Cerrar",
    openRecord: "Abrir {name} en Odoo",
    loading: "Cargando…",
  },
};
