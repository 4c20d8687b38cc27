// The grid every page uses. AG Grid is two thirds of the app's code and none of it is needed for
// the workspace list or while a workspace's document loads (the opening view is plain HTML), so
// it is its own chunk (AgGrid.tsx), loaded when a workspace starts to open (`preloadGrid`) or
// when the first grid is drawn: the browser compiles it off the page's thread, and the page's
// first task no longer evaluates it. Everything else about grids is here or in AgGrid.tsx.

import { lazy } from 'solid-js';
import type { GridApi, GridOptions } from 'ag-grid-community';

export interface GridProps<T> {
  options: GridOptions<T>;
  onReady?: (api: GridApi<T>) => void;
  class?: string;
  ref?: (el: HTMLDivElement) => void;
  /** Columns to bring first on a narrow screen (narrow.ts). */
  narrowKeys?: readonly string[];
}

const Loaded = lazy(() => import('./AgGrid'));

/** Resolves in a task of its own, after the browser has had the chance to paint and take input. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Starts loading AG Grid now (a workspace is opening), so its first grid does not wait for it. */
export function preloadGrid(): void {
  void Loaded.preload();
}

export function Grid<T>(props: GridProps<T>) {
  return <Loaded {...(props as GridProps<unknown>)} />;
}

/** Applies the rows that changed to a grid as one transaction (added, updated, removed). */
export function transact<T>(api: GridApi<T>, ids: ReadonlySet<string>, get: (id: string) => T | undefined): void {
  if (ids.size === 0) return;
  const add: T[] = [], update: T[] = [], remove: T[] = [];
  for (const id of ids) {
    const v = get(id);
    const node = api.getRowNode(id);
    if (v && node) update.push(v);
    else if (v) add.push(v);
    else if (node?.data) remove.push(node.data);
  }
  api.applyTransaction({ add, update, remove });
}
