import { field } from "../orm/fields.js";
import type { ModelDef } from "../orm/model.js";

/** `ir.model`: one record per model of the database, filled when the database is built. */
export const irModels: ModelDef[] = [
  {
    name: "ir.model",
    description: "Models",
    order: "model",
    fields: {
      name: field.char("Model Description", { required: true }),
      model: field.char("Model", { required: true }),
      info: field.text("Information"),
      state: field.selection(
        "Type",
        [
          ["manual", "Custom Object"],
          ["base", "Base Object"],
        ],
        { default: "base" },
      ),
      transient: field.boolean("Transient Model", { default: false }),
      modules: field.char("In Apps"),
    },
  },
];
