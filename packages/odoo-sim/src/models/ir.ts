import { field } from "../orm/fields.js";
import type { ModelDef } from "../orm/model.js";

/**
 * `ir.model` (one record per model), `ir.model.data` (XML ids of the groups) and `ir.model.access`
 * (who may read, write, create, delete each model), filled when the database is built, matching the
 * demo roles' rights (orm/access.ts).
 */
export const irModels: ModelDef[] = [
  {
    name: "ir.model",
    description: "Models",
    order: "model",
    // base/security/ir.model.access.csv: access_ir_model_user gives base.group_user no right (17.0–19.0).
    userAccess: [],
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
  {
    name: "ir.model.data",
    description: "Model Data",
    order: "module, model, name",
    fields: {
      name: field.char("External Identifier", { required: true }),
      module: field.char("Module", { required: true }),
      model: field.char("Model Name", { required: true }),
      res_id: field.integer("Record ID", { aggregator: undefined }),
    },
  },
  {
    name: "ir.model.access",
    description: "Model Access",
    order: "model_id, group_id, name, id",
    fields: {
      name: field.char("Name", { required: true }),
      active: field.boolean("Active", { default: true }),
      model_id: field.many2one("Model", "ir.model", { required: true, ondelete: "cascade" }),
      group_id: field.many2one("Group", "res.groups", { ondelete: "restrict" }),
      perm_read: field.boolean("Read Access", { default: false }),
      perm_write: field.boolean("Write Access", { default: false }),
      perm_create: field.boolean("Create Access", { default: false }),
      perm_unlink: field.boolean("Delete Access", { default: false }),
    },
  },
];
