import type { Api } from "../api/types";
import type { Entry } from "../bindings/Entry";

/** The workflow steps the timeline and the editor offer. */
export type WorkflowStep = "submit" | "publish" | "retract" | "delete" | "return";

/** Run one workflow step on an entry; `note` is the editor's note for "return". */
export function runWorkflow(api: Api, id: string, step: WorkflowStep, note = ""): Promise<Entry> {
  switch (step) {
    case "submit":
      return api.submitEntry(id);
    case "publish":
      return api.publishEntry(id);
    case "retract":
      return api.retractEntry(id);
    case "delete":
      return api.deleteEntry(id);
    case "return":
      return api.returnEntry(id, note);
  }
}
