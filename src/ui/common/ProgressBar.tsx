/** A labelled progress bar with its message and, for work that can stop, a Cancel button. */
interface ProgressBarProps {
  label: string;
  /** 0…1, or null when the amount of work is unknown. */
  fraction: number | null;
  message?: string;
  onCancel?: () => void;
}

export function ProgressBar({ label, fraction, message, onCancel }: ProgressBarProps) {
  return (
    <div className="progress-row">
      <progress aria-label={label} max={1} value={fraction ?? undefined} />
      <span className="progress-message">{message ?? label}</span>
      {onCancel && (
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
