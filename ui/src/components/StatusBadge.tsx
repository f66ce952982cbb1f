import type { Status } from "../bindings/Status";

const LABEL: Record<Status, string> = {
  draft: "Draft",
  ready: "Ready",
  published: "Published",
  retracted: "Retracted",
};

export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge" data-status={status}>
      {LABEL[status]}
    </span>
  );
}
