/** The keyboard shortcuts, listed once for the handler and for the "?" dialog. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: '?', does: 'Show or hide this list' },
  { keys: 'P', does: 'Presenter view on or off: large type, high contrast, less on screen' },
  { keys: 'L', does: 'Open the lessons menu' },
  { keys: '← →', does: 'Previous / next step of the open lesson' },
  { keys: '1 2 3', does: 'Attack lab, training lab, analysis' },
  { keys: 'A', does: 'Attack the picture with the current settings (attack lab)' },
  { keys: 'Esc', does: 'Close a menu or this list' },
  { keys: 'Tab, Shift+Tab', does: 'Move between controls; Enter or Space presses, arrow keys change a value' },
  { keys: 'Enter in a field', does: 'Run the attack with the settings typed' },
];
