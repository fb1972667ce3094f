/** The Records view's words, in English and Spanish. */
import type { Translations } from "../shared/index.js";

const en = {
  caption: "{model}: rows {from}–{to}",
  captionMore: "{model}: rows {from}–{to}, more follow",
  empty: "No records match.",
  previous: "Previous page",
  next: "Next page",
  sortBy: "Sort by",
  sortNone: "Odoo's order",
  ascending: "{label}, A→Z / lowest first",
  descending: "{label}, Z→A / highest first",
  addColumn: "More columns",
  addColumnPick: "Add a column…",
  open: "Open {name} in Odoo",
  loading: "Loading…",
};

export const STRINGS: Translations<keyof typeof en> = {
  en,
  es: {
    caption: "{model}: filas {from}–{to}",
    captionMore: "{model}: filas {from}–{to}, hay más",
    empty: "Ningún registro coincide.",
    previous: "Página anterior",
    next: "Página siguiente",
    sortBy: "Ordenar por",
    sortNone: "Orden de Odoo",
    ascending: "{label}, A→Z / de menor a mayor",
    descending: "{label}, Z→A / de mayor a menor",
    addColumn: "Más columnas",
    addColumnPick: "Añadir una columna…",
    open: "Abrir {name} en Odoo",
    loading: "Cargando…",
  },
};
