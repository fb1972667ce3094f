export {
  type ChangeOutcome,
  CONFIRM_META_KEY,
  type ConfirmMeta,
  type PendingChangeResult,
  RECORDS_META_KEY,
  type RecordsField,
  type RecordsMeta,
  TOTALS_META_KEY,
  type TotalsMeta,
  type UnfinishedAction,
} from "../web/contracts.js";
export { VIEWS, type ViewInfo, type ViewName, viewUri } from "./catalog.js";
export { loadViews, VIEWS_DIR } from "./load.js";
