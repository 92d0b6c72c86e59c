/** The one place errors appear: an alert a screen reader announces, dismissible. */
interface ErrorBannerProps {
  message: string;
  onDismiss: () => void;
}

export function ErrorBanner({ message, onDismiss }: ErrorBannerProps) {
  return (
    <div className="banner banner-error">
      {/* The alert holds the message only, so its text is exactly what went wrong. */}
      <p role="alert" data-testid="error-message">
        {message}
      </p>
      <button type="button" className="banner-dismiss" aria-label="Dismiss error" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
