import { Suspense } from 'react';
import { Outlet } from 'react-router';
import { PageFallback } from '@/components/PageFallback';

/** The Suspense boundary of lazy pages: while a page's code downloads, the shared fallback shows. */
export function SuspenseOutlet() {
  return (
    <Suspense fallback={<PageFallback />}>
      <Outlet />
    </Suspense>
  );
}
