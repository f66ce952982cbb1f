import { useEffect, useState } from "react";
import { useApi } from "../api";
import { toAppError } from "../api/types";
import type { Blog } from "../bindings/Blog";
import type { PublishProgress } from "../bindings/PublishProgress";
import type { PublishReport } from "../bindings/PublishReport";
import { Modal } from "./Modal";

function percent(p: PublishProgress): number {
  switch (p.stage) {
    case "reading":
      return 5;
    case "rendering":
      return 5 + Math.round((60 * p.done) / Math.max(1, p.total));
    case "writing":
      return 65 + Math.round((33 * p.done) / Math.max(1, p.total));
    case "done":
      return 100;
  }
}

function stageText(p: PublishProgress): string {
  switch (p.stage) {
    case "reading":
      return "Reading entries…";
    case "rendering":
      return `Rendering ${p.done} of ${p.total} entries…`;
    case "writing":
      return `Writing file ${p.done} of ${p.total}…`;
    case "done":
      return "Done";
  }
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function PublishDialog({ blog, onClose }: { blog: Blog; onClose: () => void }) {
  const api = useApi();
  const [outDir, setOutDir] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [pageSize, setPageSize] = useState(20);
  const [loaded, setLoaded] = useState(false);
  const [savedBase, setSavedBase] = useState<string | null>(null);
  const [progress, setProgress] = useState<PublishProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<PublishReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .publishSettings(blog.slug)
      .then((s) => {
        if (!live) return;
        if (s) {
          setOutDir(s.out_dir);
          setBaseUrl(s.base_url ?? "");
          setSavedBase(s.base_url);
          setPageSize(s.page_size);
        }
      })
      .catch((e) => live && setError(toAppError(e).message))
      .finally(() => live && setLoaded(true));
    const off = api.on("publish-progress", (p) => {
      if (p.blog === blog.slug) setProgress(p.progress);
    });
    return () => {
      live = false;
      off();
    };
  }, [api, blog.slug]);

  const pick = async () => {
    if (api.kind !== "tauri") return;
    try {
      const { open } = await import("@tauri-apps/plugin-dialog");
      const dir = await open({ directory: true, multiple: false, defaultPath: outDir || undefined, title: "Publish to folder" });
      if (typeof dir === "string") setOutDir(dir);
    } catch (e) {
      setError(toAppError(e).message);
    }
  };

  const run = async () => {
    setRunning(true);
    setError(null);
    setReport(null);
    setProgress({ stage: "reading" });
    try {
      const r = await api.publishBlog(blog.slug, {
        out_dir: outDir.trim() || null,
        // null keeps the saved base URL; "" clears one that was saved.
        base_url: baseUrl.trim() || (savedBase ? "" : null),
        page_size: pageSize,
      });
      setReport(r);
      setSavedBase(r.base_url);
    } catch (e) {
      setError(toAppError(e).message);
      setProgress(null);
    } finally {
      setRunning(false);
    }
  };

  const openReader = async () => {
    if (!report) return;
    try {
      await api.openReader(report.blog);
    } catch (e) {
      setError(toAppError(e).message);
    }
  };

  return (
    <Modal title={`Publish “${blog.title}”`} onClose={onClose} testId="publish-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label className="field">
          <span>Output folder</span>
          <div className="input-with-button">
            <input data-testid="publish-out-dir" value={outDir} onChange={(e) => setOutDir(e.target.value)} placeholder="/path/to/site/live" required disabled={running} />
            {api.kind === "tauri" && (
              <button type="button" className="btn" onClick={() => void pick()} disabled={running}>
                Choose…
              </button>
            )}
          </div>
        </label>
        <div className="field-row">
          <label className="field">
            <span>Base URL (optional)</span>
            <input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://news.example/live/" disabled={running} />
          </label>
          <label className="field field-narrow">
            <span>Entries per page</span>
            <input type="number" min={1} max={500} value={pageSize} onChange={(e) => setPageSize(Number(e.target.value) || 20)} disabled={running} />
          </label>
        </div>
        {progress && !report && (
          <div className="progress" role="progressbar" aria-label="Publishing" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent(progress)} data-testid="publish-progress">
            <div className="progress-bar" style={{ width: `${percent(progress)}%` }} />
            <span className="progress-label">{stageText(progress)}</span>
          </div>
        )}
        {error && (
          <div className="banner banner-error" role="alert">
            {error}
          </div>
        )}
        {report && (
          <div className="report" data-testid="publish-result" role="status">
            <h3>✓ Published {report.incremental ? "(update)" : ""}</h3>
            <dl>
              <dt>Entries</dt>
              <dd data-testid="report-entries">{report.entries}</dd>
              <dt>Pages</dt>
              <dd>{report.pages}</dd>
              <dt>Retracted</dt>
              <dd>{report.retracted}</dd>
              <dt>Files written</dt>
              <dd>
                {report.files_written} ({bytes(report.bytes_written)})
              </dd>
              <dt>Unchanged</dt>
              <dd>{report.files_unchanged}</dd>
              <dt>Removed</dt>
              <dd>{report.files_removed}</dd>
              <dt>Media files</dt>
              <dd>{report.media_files}</dd>
              <dt>Folder</dt>
              <dd className="mono">{report.out_dir}</dd>
              <dt>Feed</dt>
              <dd className="mono">{report.feed}</dd>
              <dt>Time</dt>
              <dd>{report.duration_ms < 10 ? report.duration_ms.toFixed(1) : Math.round(report.duration_ms)} ms</dd>
            </dl>
            {report.warnings.length > 0 && (
              <div className="report-warnings">
                <strong>
                  {report.warnings.length} warning{report.warnings.length === 1 ? "" : "s"}
                </strong>
                <ul>
                  {report.warnings.slice(0, 20).map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              </div>
            )}
          </div>
        )}
        <div className="form-actions">
          {report && (
            <button type="button" className="btn" onClick={() => void openReader()} data-testid="open-reader">
              Open reader page
            </button>
          )}
          <div className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            {report ? "Close" : "Cancel"}
          </button>
          <button type="submit" className="btn btn-primary" disabled={running || !loaded || !outDir.trim()} data-testid="publish-run">
            {running ? "Publishing…" : report ? "Publish again" : "Publish"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
