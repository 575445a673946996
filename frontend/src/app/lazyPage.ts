import { lazy, type ComponentType } from 'react';

/** Downloads a page's module and returns its component. */
export type PageLoader = () => Promise<ComponentType>;

export type LazyPage = ReturnType<typeof lazyPage>;

/**
 * A page whose code is downloaded the first time it is shown, so a feature's libraries
 * (charts, Gantt …) never land in the first page's bundle. `load` is kept on the component
 * so the route table can be checked (and pages preloaded) without rendering them.
 */
export function lazyPage(load: PageLoader) {
  const Page = lazy(async () => ({ default: await load() }));
  return Object.assign(Page, { load });
}
