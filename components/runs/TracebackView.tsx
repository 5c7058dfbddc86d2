'use client';

/**
 * A failure's stack, frames of the project's own files (pipelines/, not the framework or
 * node_modules) in bold: that is where a physicist starts reading.
 */
export function TracebackView({ text }: { text: string }) {
  return (
    <details open data-testid="node-run-traceback-box" className="rounded border" style={{ borderColor: 'var(--border)' }}>
      <summary className="cursor-pointer px-2 py-1 font-semibold" style={{ color: 'var(--muted)' }}>
        Traceback
      </summary>
      <pre data-testid="node-run-traceback" className="m-0 max-h-80 overflow-auto whitespace-pre-wrap break-all px-2 pb-2 font-mono text-[11px] leading-4">
        {text.split('\n').map((line, i) => (
          <span key={i} className={isProjectFrame(line) ? 'font-bold' : undefined} style={isProjectFrame(line) ? undefined : line.startsWith('    at ') ? { color: 'var(--muted)' } : { color: '#dc2626' }}>
            {line}
            {'\n'}
          </span>
        ))}
      </pre>
    </details>
  );
}

function isProjectFrame(line: string): boolean {
  return /^\s+at /.test(line) && /[(/ ]pipelines\//.test(line) && !line.includes('/node_modules/');
}
