/**
 * What the address asked for that is not a setting of any lab: the controls to hide, the one widget to embed, and
 * the notes about parameters that were ignored. Written once at startup (linkActions.initLink); the notes can be
 * dismissed.
 */
import { create } from 'zustand';
import type { EmbedWidget, HideableControl } from './urlState';

interface LinkStoreState {
  hide: HideableControl[];
  embed: EmbedWidget | null;
  /** One sentence per ignored parameter. */
  notes: string[];
}

export const useLinkStore = create<LinkStoreState>()(() => ({ hide: [], embed: null, notes: [] }));

export function dismissLinkNotes(): void {
  useLinkStore.setState({ notes: [] });
}
