import { Component } from "react";
import type { ErrorInfo, ReactNode } from "react";

/** Last line of defence: a render error shows a way out, not a white window. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("Liveline UI error", error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="empty" role="alert">
        <div className="empty-card">
          <h1>Something went wrong in this window</h1>
          <p>Your saved work is safe in the database, and unsaved text is kept on this computer. Reload to continue.</p>
          <p className="mono">{this.state.error.message}</p>
          <div className="empty-actions">
            <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
              Reload
            </button>
            <button type="button" className="btn" onClick={() => this.setState({ error: null })}>
              Try to continue
            </button>
          </div>
        </div>
      </div>
    );
  }
}
