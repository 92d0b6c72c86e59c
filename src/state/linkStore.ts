/**
 * What the address asked for that is not a setting of any lab: the controls to hide, the one widget to embed, and
 * the notes about parameters that were ignored, and the setup the address named when the page opened. Written once
 * at startup (linkActions.initLink); the notes can be dismissed.
 */
import { create } from 'zustand';
import type { EmbedWidget, HideableControl, LinkState } from './urlState';

interface LinkStoreState {
  /** The setup the address named when the page opened (null until linkActions.initLink has read it). */
  opened: LinkState | null;
  hide: HideableControl[];
  embed: EmbedWidget | null;
  /** One sentence per ignored parameter. */
  notes: string[];
}

export const useLinkStore = create<LinkStoreState>()(() => ({ opened: null, hide: [], embed: null, notes: [] }));

export function dismissLinkNotes(): void {
  useLinkStore.setState({ notes: [] });
}
