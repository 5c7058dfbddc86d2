'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { pageUrl } from './base-url';

/**
 * A link to a page of the dashboard. Its href is known only in the browser (the prefix behind a
 * proxy, a static site's folder), and hydration keeps the prerendered attribute: so it is set
 * after mount.
 */
export function PageLink({ page, testId, className, style, title, children }: { page: '' | 'plots'; testId: string; className?: string; style?: React.CSSProperties; title?: string; children: ReactNode }) {
  const [href, setHref] = useState(page ? `/${page}` : '/');
  useEffect(() => setHref(pageUrl(page)), [page]);
  return (
    <a href={href} data-testid={testId} className={className} style={style} title={title}>
      {children}
    </a>
  );
}
