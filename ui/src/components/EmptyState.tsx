export function EmptyState({ onCreate, onDemo }: { onCreate: () => void; onDemo: () => void }) {
  return (
    <div className="empty" data-testid="empty-state">
      <div className="empty-card">
        <div className="empty-logo" aria-hidden="true">
          <span className="brand-dot big" />
        </div>
        <h1>Live coverage, even offline</h1>
        <p>
          Liveline keeps a live blog on this computer: write timestamped updates as events unfold, have an editor review,
          correct, pin and reorder them, then publish the coverage as a feed and reader page — with or without a network.
        </p>
        <ol className="empty-steps">
          <li>
            <strong>Create a blog</strong> for the story, in the time zone of the events.
          </li>
          <li>
            <strong>Write entries:</strong> draft → ready for review → published. Add photos with credit and alt text.
          </li>
          <li>
            <strong>Publish</strong> to a folder that your site serves.
          </li>
        </ol>
        <div className="empty-actions">
          <button type="button" className="btn btn-primary btn-large" onClick={onCreate} data-testid="empty-create-blog">
            Create a blog
          </button>
          <button type="button" className="btn btn-large" onClick={onDemo} data-testid="create-demo-blog">
            Create a demo blog
          </button>
        </div>
      </div>
    </div>
  );
}
