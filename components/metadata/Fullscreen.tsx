'use client';

import { useEffect, type ReactNode } from 'react';

/** A preview over the whole window; Esc or × closes it. */
export function Fullscreen({ onClose, children }: { onClose: () => void; children: ReactNode }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      onClose();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div data-testid="fullscreen" role="dialog" aria-modal="true" className="fixed inset-0 z-50 flex flex-col gap-2 p-6" style={{ background: 'var(--panel)' }}>
      <button type="button" aria-label="Close full screen" data-testid="fullscreen-close" className="self-end rounded border px-2 py-0.5 text-sm" style={{ borderColor: 'var(--border)' }} onClick={onClose}>
        × Close (Esc)
      </button>
      <div className="min-h-0 flex-1 overflow-auto">{children}</div>
    </div>
  );
}
