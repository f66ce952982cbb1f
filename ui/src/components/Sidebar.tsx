import type { AppInfo } from "../bindings/AppInfo";
import type { BlogSummary } from "../bindings/BlogSummary";

export function Sidebar({
  blogs,
  selected,
  onSelect,
  onNew,
  info,
}: {
  info?: AppInfo | null;
  blogs: BlogSummary[];
  selected: string | null;
  onSelect: (slug: string) => void;
  onNew: () => void;
}) {
  return (
    <nav className="sidebar" aria-label="Blogs">
      <div className="sidebar-head">
        <span className="brand" aria-label="Liveline">
          <span className="brand-dot" aria-hidden="true" />
          Liveline
        </span>
        <button type="button" className="btn btn-small" onClick={onNew} data-testid="new-blog-button" title="Create a blog">
          + Blog
        </button>
      </div>
      <ul className="blog-list">
        {blogs.map(({ blog, counts }) => (
          <li key={blog.id}>
            <button
              type="button"
              className={`blog-item${blog.slug === selected ? " blog-item-selected" : ""}`}
              aria-current={blog.slug === selected ? "page" : undefined}
              data-testid="blog-list-item"
              data-slug={blog.slug}
              onClick={() => onSelect(blog.slug)}
            >
              <span className="blog-item-title">{blog.title}</span>
              <span className="blog-item-meta">
                {blog.live ? (
                  <span className="live-pill" aria-label="Live">
                    ● Live
                  </span>
                ) : (
                  <span className="ended-pill">Ended</span>
                )}
                <span title="Published">{counts.published} pub</span>
                {counts.ready > 0 && (
                  <span className="count-ready" title="Ready for review">
                    {counts.ready} ready
                  </span>
                )}
                {counts.draft > 0 && <span title="Drafts">{counts.draft} draft</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {info && (
        <div className="sidebar-foot" title={`Database: ${info.db_path}`} data-testid="app-info">
          <span>Saving as <strong>{info.user}</strong></span>
          <span className="muted">v{info.version}</span>
        </div>
      )}
    </nav>
  );
}
