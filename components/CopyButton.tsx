'use client';

import { useState } from 'react';

/**
 * Copies `text`. The Clipboard API needs a secure context (https or localhost); a static site on
 * plain http falls back to a hidden textarea and execCommand('copy').
 */
export function CopyButton({ text, testId, label = 'Copy' }: { text: string; testId?: string; label?: string }) {
  const [done, setDone] = useState<'ok' | 'failed' | null>(null);
  const copy = async () => {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
      else fallbackCopy(text);
      setDone('ok');
    } catch {
      setDone('failed');
    }
    setTimeout(() => setDone(null), 1500);
  };
  return (
    <button type="button" data-testid={testId} data-copied={done ?? undefined} className="flex-none rounded border px-1.5 py-0.5 text-xs" style={{ borderColor: 'var(--border)' }} title={`Copy: ${text}`} onClick={copy}>
      {done === 'ok' ? '✓ Copied' : done === 'failed' ? 'Select and copy' : label}
    </button>
  );
}

function fallbackCopy(text: string): void {
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  const ok = document.execCommand('copy');
  ta.remove();
  if (!ok) throw new Error('copy refused');
}
