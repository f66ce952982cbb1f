import { useMemo, useState } from "react";
import { useApi } from "../api";
import { toAppError } from "../api/types";
import type { Blog } from "../bindings/Blog";
import { allTimeZones, systemTimeZone } from "../lib/time";
import { Modal } from "./Modal";

export function CreateBlogDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (b: Blog) => void }) {
  const api = useApi();
  const zones = useMemo(allTimeZones, []);
  const [title, setTitle] = useState("");
  const [timezone, setTimezone] = useState(systemTimeZone());
  const [summary, setSummary] = useState("");
  const [language, setLanguage] = useState(() => defaultLanguage(typeof navigator !== "undefined" ? navigator.language : undefined));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal title="Create a blog" onClose={onClose} testId="create-blog-dialog">
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const b = await api.createBlog({
              title: title.trim(),
              slug: null,
              timezone,
              summary: summary.trim() || null,
              language: language.trim() || null,
            });
            onCreated(b);
          } catch (err) {
            setError(toAppError(err).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <label className="field">
          <span>Title</span>
          <input data-testid="blog-title-input" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. River floods: live updates" required />
        </label>
        <div className="field-row">
          <label className="field">
            <span>Time zone</span>
            <select data-testid="blog-timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)}>
              {(zones.includes(timezone) ? zones : [timezone, ...zones]).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </label>
          <label className="field field-narrow">
            <span>Language</span>
            <input value={language} onChange={(e) => setLanguage(e.target.value)} placeholder="en" />
          </label>
        </div>
        <label className="field">
          <span>Summary (optional)</span>
          <textarea rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} placeholder="The standfirst readers see above the updates." />
        </label>
        <p className="hint">Times of entries are written and shown in this zone, whatever the clock of this computer says.</p>
        {error && (
          <div className="banner banner-error" role="alert">
            {error}
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !title.trim()} data-testid="create-blog-submit">
            Create blog
          </button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * The system's language as a BCP 47 tag, or "en". Under a POSIX locale
 * (LANG=C, common on servers and minimal Linux installs) WebKit reports "C",
 * which is no language at all.
 */
export function defaultLanguage(system: string | undefined): string {
  return system && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/i.test(system) ? system : "en";
}
