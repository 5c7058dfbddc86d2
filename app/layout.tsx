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

// The graph request starts while the page's JavaScript is still loading (saves the hydration
// time, ~0.5 s); components/api.ts picks the promise up when the URL matches.
const prefetchScript = `try{var b=window.__DQM_BASE__||'/';if(!window.__DQM_STATIC__&&location.pathname===b){var p=new URLSearchParams(location.search).get('pipeline');var u=p?b+'api/pipelines/'+encodeURIComponent(p):b+'api/main';window.__dqmGraph={url:u,promise:fetch(u,{cache:'no-store'}).then(function(r){return r.json().then(function(b){return{ok:r.ok,status:r.status,body:b}})})}}}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
        <script dangerouslySetInnerHTML={{ __html: prefetchScript }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
