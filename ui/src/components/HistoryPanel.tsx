import { useEffect, useState } from "react";
import { useApi } from "../api";
import type { Revision } from "../bindings/Revision";
import { formatDate, formatTime } from "../lib/time";
import { BlockPreview } from "./BlockPreview";
import { Modal } from "./Modal";
import { useToasts } from "./Toasts";

export function HistoryPanel({ entryId, onClose, onRestored }: { entryId: string; onClose: () => void; onRestored?: () => void }) {
  const api = useApi();
  const toasts = useToasts();
  const [revs, setRevs] = useState<Revision[] | null>(null);
  const [sel, setSel] = useState<number | null>(null);
  const load = () =>
    api
      .entryHistory(entryId)
      .then((r) => {
        setRevs(r);
        setSel((s) => s ?? r[r.length - 1]?.revision ?? null);
      })
      .catch(toasts.error);
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entryId]);
  const current = revs?.find((r) => r.revision === sel) ?? null;
  const latest = revs?.[revs.length - 1]?.revision;
  return (
    <Modal title="Revision history" onClose={onClose} wide testId="history-panel">
      <div className="history">
        <ul className="history-list" role="listbox" aria-label="Revisions">
          {(revs ?? [])
            .slice()
            .reverse()
            .map((r) => (
              <li
                key={r.revision}
                role="option"
                aria-selected={r.revision === sel}
                tabIndex={0}
                className={`history-item${r.revision === sel ? " history-selected" : ""}`}
                onClick={() => setSel(r.revision)}
                onKeyDown={(e) => e.key === "Enter" && setSel(r.revision)}
                data-testid="revision-item"
              >
                <span className="rev-num">#{r.revision}</span>
                <span className="rev-action">
                  {r.action}
                  {r.restored_from ? ` from #${r.restored_from}` : ""}
                </span>
                <span className="rev-meta">
                  {formatTime(r.at)} {formatDate(r.at)} · {r.author}
                </span>
              </li>
            ))}
          {revs && revs.length === 0 && <li className="muted">No revisions.</li>}
        </ul>
        <div className="history-preview">
          {current ? (
            <>
              <h3>{current.content.title}</h3>
              <div className="muted small">
                {current.content.author ?? "No byline"} · shown at {formatTime(current.content.display_at)} {formatDate(current.content.display_at)}
              </div>
              {current.content.correction_note && <div className="chip chip-correction">Correction: {current.content.correction_note}</div>}
              <BlockPreview blocks={current.content.blocks} />
              <div className="form-actions">
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={current.revision === latest}
                  data-testid="restore-revision"
                  onClick={async () => {
                    try {
                      await api.restoreRevision(entryId, current.revision);
                      toasts.push({ kind: "success", message: `Restored revision #${current.revision} as a new revision.` });
                      await load();
                      setSel(null);
                      onRestored?.();
                    } catch (e) {
                      toasts.error(e);
                    }
                  }}
                >
                  Restore this revision
                </button>
              </div>
            </>
          ) : (
            <div className="muted">Select a revision.</div>
          )}
        </div>
      </div>
    </Modal>
  );
}
