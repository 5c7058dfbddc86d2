import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import '@xyflow/react/dist/style.css';
import './globals.css';

export const metadata: Metadata = {
  title: 'DQM Playground — pipeline viz',
  description: 'Pipeline graph, node details and dataset previews of a DQM Playground project',
};

// The theme class is set before paint from the URL or the saved choice, so a dark page never flashes white.
const themeScript = `try{var q=new URLSearchParams(location.search).get('theme');var t=q||localStorage.getItem('dqm-viz-theme')||(matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light');if(t==='dark')document.documentElement.classList.add('dark')}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
