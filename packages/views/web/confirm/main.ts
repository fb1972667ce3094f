/**
 * The Confirm view (ui://odoo/confirm): for a delete or a workflow button that awaits the person (the
 * server answered a pending change), what will happen and on which records, each opening in Odoo. The
 * change runs only when the person clicks the confirm button: the view then calls the app-only tool with
 * the confirmation token the result gave it. Cancel (or Escape) calls nothing. Either way the model is
 * told the outcome through the host. A button Odoo answers with a wizard (a backorder to decide on) is
 * shown as not finished, with the way to finish it in Odoo. A result that is not pending (a host that
 * rendered the view for a change already made) is shown as it is.
 */
import { type ChangeOutcome, CONFIRM_META_KEY, type ConfirmMeta, type PendingChangeResult } from "../contracts.js";
import { fill, h, placeholder, startView, type ToolResult, textOf } from "../shared/index.js";
import "./confirm.css";
import { STRINGS } from "./strings.js";

type Phase =
  | { kind: "waiting" }
  | { kind: "pending"; change: PendingChangeResult; meta: ConfirmMeta | undefined; problem?: string }
  | { kind: "running"; change: PendingChangeResult; meta: ConfirmMeta | undefined }
  | { kind: "done"; outcome: ChangeOutcome; told?: boolean; asked?: Asked; problem?: string }
  | { kind: "cancelled"; told?: boolean }
  | { kind: "refused"; message: string; told?: boolean };

/** The change as the person was asked to confirm it, with its view-only part. */
type Asked = { change: PendingChangeResult; meta: ConfirmMeta | undefined };

let phase: Phase = { kind: "waiting" };

const kit = startView({
  name: "odoo-confirm",
  strings: STRINGS,
  toolResult(result) {
    const data = (result.structuredContent ?? {}) as Partial<PendingChangeResult> & Partial<ChangeOutcome>;
    phase =
      data.status === "awaiting_confirmation"
        ? {
            kind: "pending",
            change: data as PendingChangeResult,
            meta: result._meta?.[CONFIRM_META_KEY] as ConfirmMeta | undefined,
          }
        : { kind: "done", outcome: data as ChangeOutcome };
    render();
  },
  render,
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && phase.kind === "pending") void cancel(phase.change);
});

/** The button's label Odoo gives, else the method read as words: button_validate → “Validate”. */
const buttonOf = (change: { method?: string; button?: string }) =>
  change.button ??
  (change.method ?? "")
    .replace(/^(action|button)_/, "")
    .replace(/_/g, " ")
    .replace(/^./, (first) => first.toUpperCase());

/** The change in words for the model (English: the model reads it, not the person). */
function describe(change: PendingChangeResult): string {
  const records = change.records.map((record) => `${record.name} (id ${record.id})`).join(", ");
  return change.action === "delete"
    ? `deleting ${change.model} records ${records}`
    : `${change.model}.${change.method} (“${buttonOf(change)}”) on ${records}`;
}

async function tell(text: string): Promise<boolean> {
  return kit.bridge.tellModel(text).catch(() => false);
}

async function confirm(change: PendingChangeResult, meta: ConfirmMeta | undefined): Promise<void> {
  if (!meta) return;
  phase = { kind: "running", change, meta };
  render();
  let result: ToolResult;
  try {
    result = await kit.bridge.callTool(meta.confirmTool, { confirmation: meta.token });
  } catch (error) {
    phase = { kind: "pending", change, meta, problem: fill(kit.text.refused, { message: (error as Error).message }) };
    render();
    return;
  }
  if (result.isError) {
    const message = textOf(result);
    phase = { kind: "refused", message };
    render();
    const told = await tell(`The person confirmed ${describe(change)}, but it did not run: ${message}`);
    phase = { kind: "refused", message, told };
  } else {
    const outcome = (result.structuredContent?.outcome ?? { model: change.model, ids: [] }) as ChangeOutcome;
    phase = { kind: "done", outcome, asked: { change, meta } };
    render();
    const told = await tell(
      outcome.unfinished
        ? `The person confirmed ${describe(change)}, but Odoo did not finish it: it asks for ` +
            `“${outcome.unfinished.name ?? outcome.unfinished.model ?? outcome.unfinished.type}” in its web client. ` +
            `Odoo's answer: ${JSON.stringify(outcome)}`
        : `The person confirmed ${describe(change)}; it is done. Odoo's answer: ${JSON.stringify(outcome)}`,
    );
    phase = { kind: "done", outcome, told, asked: { change, meta } };
  }
  render();
}

async function cancel(change: PendingChangeResult): Promise<void> {
  phase = { kind: "cancelled" };
  render();
  const told = await tell(`The person cancelled ${describe(change)}. Nothing was changed in Odoo.`);
  phase = { kind: "cancelled", told };
  render();
}

async function openRecord(meta: ConfirmMeta, id: number): Promise<void> {
  const url = meta.recordUrl.replace("{id}", String(id));
  if (!(await kit.bridge.openLink(url)) && (phase.kind === "pending" || phase.kind === "done")) {
    phase = { ...phase, problem: fill(kit.text.openFailed, { url }) };
    render();
  }
}

function recordList(change: PendingChangeResult, meta: ConfirmMeta | undefined): HTMLElement {
  return h(
    "ul",
    { class: "records", attrs: { "aria-label": kit.text.records } },
    ...change.records.map((record) =>
      h(
        "li",
        {},
        meta?.recordUrl
          ? h(
              "a",
              {
                href: meta.recordUrl.replace("{id}", String(record.id)),
                title: fill(kit.text.open, { name: record.name }),
                onclick: (event: MouseEvent) => {
                  event.preventDefault();
                  void openRecord(meta, record.id);
                },
              },
              record.name,
            )
          : record.name,
      ),
    ),
  );
}

function question(phaseNow: Extract<Phase, { kind: "pending" | "running" }>): HTMLElement[] {
  const { change, meta } = phaseNow;
  const running = phaseNow.kind === "running";
  const deleting = change.action === "delete";
  const values = { count: change.records.length, model: change.model_label ?? change.model, button: buttonOf(change) };
  const expiry = meta ? new Date(meta.expiresAt) : undefined;
  const time = expiry
    ? new Intl.DateTimeFormat(kit.format.locale, {
        timeStyle: "short",
        ...(kit.format.timeZone ? { timeZone: kit.format.timeZone } : {}),
      }).format(expiry)
    : "";
  const problem = phaseNow.kind === "pending" ? phaseNow.problem : undefined;
  return [
    h("h1", {}, fill(deleting ? kit.text.deleteTitle : kit.text.runTitle, values)),
    h("p", { class: deleting ? "danger" : "muted" }, deleting ? kit.text.deleteWarning : kit.text.runWarning),
    recordList(change, meta),
    h(
      "p",
      { class: "muted", attrs: { role: "status" } },
      running ? kit.text.working : fill(kit.text.expires, { time }),
    ),
    problem ? h("p", { class: "danger", attrs: { role: "alert" } }, problem) : null,
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          id: "confirm",
          class: deleting ? "primary destructive" : "primary",
          disabled: running || !meta,
          onclick: () => void confirm(change, meta),
        },
        deleting ? kit.text.confirmDelete : fill(kit.text.confirmRun, values),
      ),
      h(
        "button",
        { type: "button", id: "cancel", disabled: running, onclick: () => void cancel(change) },
        kit.text.cancel,
      ),
    ),
  ].filter((node): node is HTMLElement => node !== null);
}

/** A line saying whether the assistant heard of the decision, once the host answered. */
const toldLine = (told: boolean | undefined) =>
  told === undefined ? null : h("p", { class: "muted" }, told ? kit.text.modelTold : kit.text.modelNotTold);

function doneLines({ outcome, asked, problem }: Extract<Phase, { kind: "done" }>): (HTMLElement | null)[] {
  const count = outcome.ids?.length ?? 0;
  const states = outcome.states?.map((each) => each.label ?? String(each.state)).join(", ");
  const { unfinished } = outcome;
  const status = unfinished
    ? fill(kit.text.unfinished, { wizard: unfinished.name ?? unfinished.model ?? unfinished.type })
    : outcome.deleted
      ? fill(kit.text.deleted, { count })
      : fill(kit.text.ran, { count, button: buttonOf(outcome) });
  return [
    h("p", { class: unfinished ? "outcome warning" : "outcome", attrs: { role: "status" } }, status),
    states ? h("p", {}, fill(kit.text.newState, { states })) : null,
    ...(unfinished && asked?.meta ? [h("p", {}, kit.text.finishInOdoo), recordList(asked.change, asked.meta)] : []),
    problem ? h("p", { class: "danger", attrs: { role: "alert" } }, problem) : null,
    outcome.note && !unfinished ? h("p", { class: "muted" }, fill(kit.text.odooNote, { note: outcome.note })) : null,
  ];
}

function render(): void {
  const nodes: (HTMLElement | null)[] = (() => {
    switch (phase.kind) {
      case "waiting":
        return [placeholder(kit)];
      case "pending":
      case "running":
        return question(phase);
      case "done":
        return [...doneLines(phase), toldLine(phase.told)];
      case "cancelled":
        return [
          h("p", { class: "outcome", attrs: { role: "status" } }, kit.text.cancelledChange),
          toldLine(phase.told),
        ];
      case "refused":
        return [
          h("p", { class: "danger", attrs: { role: "alert" } }, fill(kit.text.refused, { message: phase.message })),
          toldLine(phase.told),
        ];
    }
  })();
  kit.draw(...nodes);
}
